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

/** Storage of validation records (in PostgreSQL: `pg-validation-record-store.ts`). */
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
