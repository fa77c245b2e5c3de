import type { WorkflowInstanceId } from '../domain/workflow-instance-id.js';

/**
 * The record a `VALIDATION` leaves behind: the key of the validated CDA and its workflow instance id.
 * See: Gateway API digest, 7.7 (one validation = one publication attempt, within 5 whole days).
 */
export interface ValidationRecord {
  readonly cdaKey: string;
  readonly workflowInstanceId: WorkflowInstanceId;
  readonly docType?: string;
  readonly createdAt: Date;
}

export type TakeOutcome =
  | { readonly kind: 'found'; readonly record: ValidationRecord }
  | { readonly kind: 'missing' }
  | { readonly kind: 'expired'; readonly record: ValidationRecord };

/** Storage of validation records. The pipeline issue moves it to PostgreSQL; the contract stays. */
export interface ValidationRecordStore {
  /** Saves a record, replacing any earlier one for the same CDA (a re-validation invalidates the old id). */
  put(record: ValidationRecord): Promise<void>;
  /** Removes and returns the record for a CDA: a record is usable once, and is consumed even when expired. */
  take(cdaKey: string, now?: Date): Promise<TakeOutcome>;
  /** Drops records older than the retention window; returns how many went. */
  purgeExpired(now?: Date): Promise<number>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** True when more than `ttlDays` whole days have elapsed: `floor((now - created) / 24h) > ttlDays`. */
export function isExpired(record: ValidationRecord, now: Date, ttlDays: number): boolean {
  return Math.floor((now.getTime() - record.createdAt.getTime()) / DAY_MS) > ttlDays;
}

/** Process-local store: correct semantics, no durability. Suitable for a single instance and for tests. */
export function createMemoryValidationRecordStore(ttlDays: number): ValidationRecordStore {
  const records = new Map<string, ValidationRecord>();
  return {
    async put(record) {
      records.set(record.cdaKey, record);
    },
    async take(cdaKey, now = new Date()) {
      const record = records.get(cdaKey);
      if (!record) return { kind: 'missing' };
      records.delete(cdaKey);
      return isExpired(record, now, ttlDays) ? { kind: 'expired', record } : { kind: 'found', record };
    },
    async purgeExpired(now = new Date()) {
      let removed = 0;
      for (const [key, record] of records) {
        if (isExpired(record, now, ttlDays)) {
          records.delete(key);
          removed += 1;
        }
      }
      return removed;
    },
  };
}
