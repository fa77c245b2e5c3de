import type pg from 'pg';
import { noteSubject } from '../logging/context.js';
import type { PatientId } from '../domain/ids.js';
import { createAppendBatcher } from './append-batcher.js';
import type { AuditEntry, AuditRecord } from './audit-record.js';
import { AUDIT_COLUMNS, toRecord, type AuditRow } from './audit-rows.js';
import { appendToChain } from './chain-append.js';
import { normaliseEntry } from './normalise-entry.js';
import { verifyChain, type VerifyOptions, type VerifyResult } from './verify-chain.js';

/** Page size of {@link AuditLog.listByPatient} when none is given, and the largest accepted. */
export const DEFAULT_LIST_LIMIT = 100;
export const MAX_LIST_LIMIT = 1000;

export interface ListByPatientOptions {
  /** Records per page, 1 to {@link MAX_LIST_LIMIT}; default {@link DEFAULT_LIST_LIMIT}. */
  readonly limit?: number;
  /** Only records older than this id: the id of the last record of the previous page. */
  readonly before?: number;
}

/** The access log: one hash chain of {@link AuditRecord}s in PostgreSQL (migration 008). */
export interface AuditLog {
  /**
   * Appends one record and resolves once it is committed, with its id, time and hashes. Concurrent calls in one
   * process share a transaction (group commit); calls from other processes take turns on the chain lock.
   */
  record(entry: AuditEntry): Promise<AuditRecord>;
  /** One patient's records, newest first (descending id, which is descending time). */
  listByPatient(patientId: PatientId, options?: ListByPatientOptions): Promise<AuditRecord[]>;
  /** The newest records of every patient (the operator console's access log), newest first. */
  listRecent(options?: ListByPatientOptions): Promise<AuditRecord[]>;
  /** Checks the whole chain, or from an id, streaming in batches. */
  verify(options?: VerifyOptions): Promise<VerifyResult>;
}

export interface AuditLogOptions {
  /** Most records appended in one transaction; default 100. 1 disables group commit. */
  readonly maxBatch?: number;
}

/** The access log on a pool whose `search_path` holds the tables of migration 008. */
export function createAuditLog(pool: pg.Pool, options: AuditLogOptions = {}): AuditLog {
  const append = createAppendBatcher((entries) => appendToChain(pool, entries), options.maxBatch ?? 100);
  return {
    record: (entry) => {
      // The console's journal shows which patient and documents an exchange was about: the access log knows.
      noteSubject(entry.patientId, entry.documentIds);
      return append(normaliseEntry(entry));
    },
    async listByPatient(patientId, list = {}) {
      const limit = list.limit ?? DEFAULT_LIST_LIMIT;
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
        throw new RangeError(`limit must be 1 to ${MAX_LIST_LIMIT}: ${limit}`);
      }
      // coalesce rather than `$2 IS NULL OR ...`, so the bound stays an index condition of audit_record_patient_idx.
      const { rows } = await pool.query<AuditRow>(
        `SELECT ${AUDIT_COLUMNS}
           FROM audit_record
          WHERE patient_id = $1 AND id < coalesce($2::bigint, 9223372036854775807)
          ORDER BY id DESC
          LIMIT $3`,
        [patientId, list.before ?? null, limit],
      );
      return rows.map(toRecord);
    },
    async listRecent(list = {}) {
      const limit = list.limit ?? DEFAULT_LIST_LIMIT;
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) throw new RangeError(`limit must be 1 to ${MAX_LIST_LIMIT}: ${limit}`);
      const { rows } = await pool.query<AuditRow>(
        `SELECT ${AUDIT_COLUMNS} FROM audit_record WHERE id < coalesce($1::bigint, 9223372036854775807) ORDER BY id DESC LIMIT $2`,
        [list.before ?? null, limit],
      );
      return rows.map(toRecord);
    },
    verify: (verifyOptions) => verifyChain(pool, verifyOptions),
  };
}
