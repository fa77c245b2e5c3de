import { z } from 'zod';
import { FseError } from '../../errors/fse-error.js';
import { isValidFiscalCode } from '../../jwt/fiscal-code.js';

/**
 * The JSON bodies of the citizen API and the rights operators' API, one schema each (STYLE rule 8): shape and
 * format here (400), meaning in the operations (422, 409). Dates are `YYYY-MM-DD` or ISO 8601 date-times; a date-only
 * `to` includes that day (the relation ends at the next midnight, UTC). See: docs/privacy.md, the citizen API.
 */
const day = /^\d{4}-\d{2}-\d{2}$/;
const When = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);
const FiscalCode = z.string().refine((v) => isValidFiscalCode(v.split('^')[0] ?? ''), 'not a fiscal code');
const TypeCodes = z.array(z.string().regex(/^\d+-\d$/, 'a LOINC code')).min(1);

export const VisibilityBody = z.strictObject({ obscured: z.boolean() });
export const ConsentBody = z.strictObject({ consultation: z.boolean() });
export const DelegationBody = z.strictObject({ delegate: FiscalCode, documentTypes: TypeCodes.optional(), from: When, to: When });
export const RelationBody = z.strictObject({
  kind: z.enum(['delegate', 'parent', 'guardian']), delegate: FiscalCode, documentTypes: TypeCodes.optional(), from: When, to: When.optional(),
});

/** Parses a body against its schema: a missing field is `mandatoryElement`, anything else `invalidFormat` (both 400). */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  if (body === undefined) throw new FseError('mandatoryElement', 'the request has no JSON body');
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const missing = parsed.error.issues.find((i) => i.code === 'invalid_type' && i.input === undefined);
  const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
  throw new FseError(missing ? 'mandatoryElement' : 'invalidFormat', detail);
}

export function startOf(value: string): Date {
  return new Date(day.test(value) ? `${value}T00:00:00Z` : value);
}

export function endOf(value: string): Date {
  const d = startOf(value);
  return day.test(value) ? new Date(d.getTime() + 86_400_000) : d;
}
