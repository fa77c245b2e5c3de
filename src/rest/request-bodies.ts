import { z } from 'zod';
import { FseError } from '../errors/fse-error.js';

/**
 * Request bodies of the national contract, parsed as strictly as the Gateway's Jackson mapper: unknown fields,
 * bad JSON and values outside an enum are refused with its exact messages. See: Gateway API digest, 2.2 and 4.
 */
const ValidationCDAReqDTO = z.strictObject({
  activity: z.enum(['VALIDATION', 'VERIFICA']).optional(),
  mode: z.enum(['ATTACHMENT', 'RESOURCE']).optional(),
  healthDataFormat: z.enum(['CDA']).optional(),
});

export type ValidationRequestBody = { activity: 'VALIDATION' | 'VERIFICA'; mode?: 'ATTACHMENT' | 'RESOURCE'; healthDataFormat?: 'CDA' };

/**
 * Binds a JSON body to a strict schema with the Gateway's (Jackson's) messages: malformed JSON and enum errors are
 * "conversion" errors, unknown properties "unrecognised parameter" errors. Shared by every request body.
 */
export function parseDto<T extends z.ZodType>(schema: T, className: string, raw: string | undefined): z.infer<T> {
  let json: unknown;
  try {
    json = JSON.parse(raw ?? '');
  } catch {
    throw new FseError('mandatoryElement', `Errore durante la conversione da json a oggetto ${className}`);
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const unknownKey = parsed.error.issues.some((i) => i.code === 'unrecognized_keys');
  throw new FseError('mandatoryElement', unknownKey
    ? `Parametro non riconosciuto all'interno della request nella conversione di ${className}`
    : `Errore durante la conversione da json a oggetto ${className}`);
}

/** The validation body: `activity` is mandatory (the code refuses its absence, whatever the spec's prose says). */
export function parseValidationBody(raw: string | undefined): ValidationRequestBody {
  const dto = parseDto(ValidationCDAReqDTO, 'ValidationCDAReqDTO', raw);
  if (!dto.activity) throw new FseError('mandatoryElement', 'Il campo activity deve essere valorizzato.');
  return { ...dto, activity: dto.activity };
}
