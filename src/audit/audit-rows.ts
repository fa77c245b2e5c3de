import type { AuditDirection, AuditOutcome, AuditRecord } from './audit-record.js';

/** A row of `audit_record` (migration 008) as `pg` returns it: bigint as a string, text[] as string[]. */
export interface AuditRow {
  id: string; canonical_version: number; recorded_at: Date; direction: AuditDirection; transaction: string;
  counterpart: string; subject_id: string | null; subject_role: string | null; organization_id: string | null;
  organization_name: string | null; purpose_of_use: string | null; patient_id: string | null; document_ids: string[];
  outcome: AuditOutcome; error_codes: string[]; trace_id: string | null; credential_id: string | null;
  prev_hash: string; hash: string;
}

/** Every column, in table order. */
export const AUDIT_COLUMNS = `id, canonical_version, recorded_at, direction, transaction, counterpart, subject_id,
  subject_role, organization_id, organization_name, purpose_of_use, patient_id, document_ids, outcome, error_codes,
  trace_id, credential_id, prev_hash, hash`;

/** A record as the row to insert (`insertRows` shape). */
export function toRow(r: AuditRecord): Record<string, unknown> {
  return {
    id: r.id, canonical_version: r.canonicalVersion, recorded_at: r.recordedAt, direction: r.direction,
    transaction: r.transaction, counterpart: r.counterpart, subject_id: r.subjectId ?? null,
    subject_role: r.subjectRole ?? null, organization_id: r.organizationId ?? null,
    organization_name: r.organizationName ?? null, purpose_of_use: r.purposeOfUse ?? null,
    patient_id: r.patientId ?? null, document_ids: r.documentIds, outcome: r.outcome, error_codes: r.errorCodes,
    trace_id: r.traceId ?? null, credential_id: r.credentialId ?? null, prev_hash: r.prevHash, hash: r.hash,
  };
}

/** A row read back as a record; NULL columns become absent fields, as in the entry that was recorded. */
export function toRecord(row: AuditRow): AuditRecord {
  const optional = {
    subjectId: row.subject_id, subjectRole: row.subject_role, organizationId: row.organization_id,
    organizationName: row.organization_name, purposeOfUse: row.purpose_of_use, patientId: row.patient_id,
    traceId: row.trace_id, credentialId: row.credential_id,
  };
  const present = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== null));
  return {
    ...present,
    id: Number(row.id), canonicalVersion: row.canonical_version, recordedAt: row.recorded_at,
    direction: row.direction, transaction: row.transaction, counterpart: row.counterpart,
    documentIds: row.document_ids, outcome: row.outcome, errorCodes: row.error_codes,
    prevHash: row.prev_hash, hash: row.hash,
  };
}
