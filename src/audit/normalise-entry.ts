import type { AuditEntry } from './audit-record.js';

/** Longest text kept in one field; longer values are cut there (a SAML attribute is attacker-controlled). */
export const MAX_FIELD_LENGTH = 1024;

/** Most document uniqueIds or error codes kept in one record. */
export const MAX_LIST_LENGTH = 10_000;

/** What is stored: every optional text either a non-empty string or absent, both lists present. */
export type NormalisedEntry = Omit<AuditEntry, 'documentIds' | 'errorCodes'> & {
  readonly documentIds: readonly string[];
  readonly errorCodes: readonly string[];
};

// NUL cannot be stored in PostgreSQL text, and a lone surrogate would be stored as U+FFFD: either would make the
// stored record differ from the hashed one. Both become U+FFFD before hashing.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function clean(value: string): string {
  const storable = value.replace(UNSTORABLE, '\uFFFD');
  if (storable.length <= MAX_FIELD_LENGTH) return storable;
  // Do not cut a surrogate pair in two.
  const end = /[\uD800-\uDBFF]/.test(storable.charAt(MAX_FIELD_LENGTH - 1)) ? MAX_FIELD_LENGTH - 1 : MAX_FIELD_LENGTH;
  return storable.slice(0, end);
}

function optional(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const cleaned = clean(value);
  return cleaned === '' ? undefined : cleaned;
}

/**
 * Makes an entry storable exactly as it is hashed: texts cleaned and bounded, empty strings treated as absent,
 * lists bounded and defaulted to empty. A record is always written, whatever the caller sent: refusing would let a
 * malformed attribute erase the trace of a call.
 */
export function normaliseEntry(entry: AuditEntry): NormalisedEntry {
  const list = (values: readonly string[] | undefined) => (values ?? []).slice(0, MAX_LIST_LENGTH).map(clean);
  const fields = {
    subjectId: optional(entry.subjectId),
    subjectRole: optional(entry.subjectRole),
    organizationId: optional(entry.organizationId),
    organizationName: optional(entry.organizationName),
    purposeOfUse: optional(entry.purposeOfUse),
    patientId: optional(entry.patientId),
    traceId: optional(entry.traceId),
    credentialId: optional(entry.credentialId),
  };
  const present = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return {
    ...present,
    direction: entry.direction,
    transaction: clean(entry.transaction),
    counterpart: clean(entry.counterpart),
    outcome: entry.outcome,
    documentIds: list(entry.documentIds),
    errorCodes: list(entry.errorCodes),
  };
}
