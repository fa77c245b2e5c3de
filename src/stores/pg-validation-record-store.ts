import type pg from 'pg';
import type { WorkflowInstanceId } from '../domain/workflow-instance-id.js';
import { isExpired, type ValidationRecord, type ValidationRecordStore } from './validation-record-store.js';

const DAY_MS = 24 * 60 * 60 * 1000;

interface ValidationRecordRow {
  cda_key: string;
  workflow_instance_id: string;
  doc_type: string | null;
  created_at: Date;
}

function toRecord(r: ValidationRecordRow): ValidationRecord {
  const record = { cdaKey: r.cda_key, workflowInstanceId: r.workflow_instance_id as WorkflowInstanceId, createdAt: r.created_at };
  return r.doc_type === null ? record : { ...record, docType: r.doc_type };
}

/**
 * {@link ValidationRecordStore} on PostgreSQL, shared by every bridge instance. `take` is one
 * `DELETE ... RETURNING`, so of two concurrent publications of the same CDA exactly one gets the record; the expiry
 * rule is `isExpired` of validation-record-store.ts. See: Gateway API digest, 7.7.
 */
export function createPgValidationRecordStore(pool: pg.Pool, ttlDays: number): ValidationRecordStore {
  return {
    async put(record) {
      // A re-validation replaces the earlier record: its workflow instance id is no longer usable.
      await pool.query(
        `INSERT INTO validation_record (cda_key, workflow_instance_id, doc_type, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (cda_key) DO UPDATE
           SET workflow_instance_id = excluded.workflow_instance_id, doc_type = excluded.doc_type, created_at = excluded.created_at`,
        [record.cdaKey, record.workflowInstanceId, record.docType ?? null, record.createdAt],
      );
    },

    async take(cdaKey, now = new Date()) {
      const { rows } = await pool.query<ValidationRecordRow>(
        'DELETE FROM validation_record WHERE cda_key = $1 RETURNING cda_key, workflow_instance_id, doc_type, created_at',
        [cdaKey],
      );
      const row = rows[0];
      if (row === undefined) return { kind: 'missing' };
      const record = toRecord(row);
      return isExpired(record, now, ttlDays) ? { kind: 'expired', record } : { kind: 'found', record };
    },

    async purgeExpired(now = new Date()) {
      // isExpired: floor((now - created) / 1 day) > ttl  <=>  now - created >= (ttl + 1) days.
      const cutoff = new Date(now.getTime() - (ttlDays + 1) * DAY_MS);
      const result = await pool.query('DELETE FROM validation_record WHERE created_at <= $1', [cutoff]);
      return result.rowCount ?? 0;
    },
  };
}
