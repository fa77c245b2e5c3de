import { createHash } from 'node:crypto';
import type { AuditRecord } from './audit-record.js';

/** The version of the canonical form below; stored with each record (`canonical_version`) and inside the form. */
export const CANONICAL_VERSION = 1;

/** The tag that opens every version-1 canonical form. */
export const CANONICAL_TAG_V1 = 'fse-bridge/audit-record/1';

/** `prev_hash` of the genesis record (id 1), and the chain head of an empty log. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields a record is hashed over: all of it but its own hash. */
export type HashedFields = Omit<AuditRecord, 'hash'>;

/**
 * The canonical form, version 1: a JSON array of exactly these 17 elements, in this order, serialised without any
 * whitespace. Absent optional fields are `null`; lists are arrays of strings in the order given; the id is a decimal
 * string (no precision limit); the time is `YYYY-MM-DDTHH:mm:ss.sssZ` (UTC, milliseconds).
 *
 *   [tag, id, recordedAt, direction, transaction, counterpart, subjectId, subjectRole, organizationId,
 *    organizationName, purposeOfUse, patientId, documentIds, outcome, errorCodes, traceId, credentialId]
 *
 * Only strings, null and arrays of strings occur, so the serialisation is the RFC 8785 (JCS) one, which is
 * ECMAScript's JSON.stringify: `"` and `\` escaped, U+0000-U+001F as \b \t \n \f \r or \u00xx (lowercase hex),
 * everything else as is, in UTF-8. prevHash is not an element: it prefixes the hashed bytes (see {@link chainHash}).
 *
 * This function must never change for version 1: a new field means a new version, a new tag and a new branch here,
 * so that records already written still verify. See: docs/audit-log.md.
 */
export function canonicalForm(r: HashedFields): string {
  if (r.canonicalVersion !== CANONICAL_VERSION) throw new Error(`unknown canonical form version ${r.canonicalVersion}`);
  return JSON.stringify([
    CANONICAL_TAG_V1,
    String(r.id),
    r.recordedAt.toISOString(),
    r.direction,
    r.transaction,
    r.counterpart,
    r.subjectId ?? null,
    r.subjectRole ?? null,
    r.organizationId ?? null,
    r.organizationName ?? null,
    r.purposeOfUse ?? null,
    r.patientId ?? null,
    [...r.documentIds],
    r.outcome,
    [...r.errorCodes],
    r.traceId ?? null,
    r.credentialId ?? null,
  ]);
}

/**
 * `hash = sha256(prevHash || canonical form)`: the UTF-8 bytes of the 64 lowercase hex characters of the previous
 * hash immediately followed by those of the canonical form; the result in lowercase hex.
 */
export function chainHash(r: HashedFields): string {
  return createHash('sha256').update(r.prevHash, 'utf8').update(canonicalForm(r), 'utf8').digest('hex');
}
