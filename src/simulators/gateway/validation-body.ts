import { FseError } from '../../errors/fse-error.js';

/**
 * The `requestBody` of `POST /v1/documents/validation` (`ValidationCDAReqDTO`), bound as strictly as the Gateway's
 * Jackson mapper, field by field in the order received: an unknown field is "Parametro non riconosciuto", bad JSON or
 * a value outside an enum a conversion error, both `/msg/mandatory-element`; then `activity` is mandatory (the code
 * refuses its absence, whatever the spec's prose says). See: Gateway API digest, 2.2, 3.1 and 12 item 1.
 */

/** The validation body, bound. */
export interface ValidationBody {
  readonly activity: 'VALIDATION' | 'VERIFICA';
  readonly mode?: 'ATTACHMENT' | 'RESOURCE';
}

const CLASS_NAME = 'ValidationCDAReqDTO';

/** Each field's enum. See: Gateway API digest, 3.1 (request table) and 7.8. */
const ENUMS: Readonly<Record<string, readonly string[]>> = {
  activity: ['VALIDATION', 'VERIFICA'],
  mode: ['ATTACHMENT', 'RESOURCE'],
  healthDataFormat: ['CDA'],
};

const conversion = () => new FseError('mandatoryElement', `Errore durante la conversione da json a oggetto ${CLASS_NAME}`);

/** Binds the validation body; throws the Gateway's `/msg/mandatory-element` with its exact detail. */
export function parseValidationBody(raw: string): ValidationBody {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw conversion();
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw conversion();
  const bound: Record<string, string> = {};
  for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
    const values = ENUMS[name];
    if (values === undefined) {
      throw new FseError('mandatoryElement', `Parametro non riconosciuto all'interno della request nella conversione di ${CLASS_NAME}`);
    }
    if (value === null) continue;
    if (typeof value !== 'string' || !values.includes(value)) throw conversion();
    bound[name] = value;
  }
  if (bound.activity === undefined) throw new FseError('mandatoryElement', 'Il campo activity deve essere valorizzato.');
  return {
    activity: bound.activity as ValidationBody['activity'],
    ...(bound.mode === undefined ? {} : { mode: bound.mode as NonNullable<ValidationBody['mode']> }),
  };
}
