/**
 * The simulated Gateway's validation records, in memory: CDA hash -> workflowInstanceId and insertion date. A record
 * is stored by a `VALIDATION` (or validate-and-*), overwritten by a re-validation of the same CDA, and consumed by the
 * first publication or replacement that finds it, even one that fails later. See: Gateway API digest, 3.3 steps
 * 10-12 and 7.7.
 */

/** What a `VALIDATION` leaves behind. */
export interface SimValidationRecord {
  readonly workflowInstanceId: string;
  readonly createdAt: Date;
}

/** The outcome of looking a record up for a publication. */
export type RecordLookup =
  | { readonly kind: 'missing' }
  | { readonly kind: 'found'; readonly record: SimValidationRecord }
  | { readonly kind: 'expired'; readonly record: SimValidationRecord };

export interface SimValidationRecords {
  /** Stores (or overwrites) the record of a CDA. */
  put(cdaKey: string, record: SimValidationRecord): void;
  /** Removes and returns the record of a CDA, telling whether its publication window is over. */
  take(cdaKey: string, now: Date): RecordLookup;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** `days.allow-publish-after-validation`: over when `floor((now - validation) / 24h) > ttlDays`. See: 7.7. */
function windowOver(record: SimValidationRecord, now: Date, ttlDays: number): boolean {
  return Math.floor((now.getTime() - record.createdAt.getTime()) / DAY_MS) > ttlDays;
}

export function createSimValidationRecords(ttlDays: number): SimValidationRecords {
  const records = new Map<string, SimValidationRecord>();
  return {
    put(cdaKey, record) {
      records.set(cdaKey, record);
    },
    take(cdaKey, now) {
      const record = records.get(cdaKey);
      if (!record) return { kind: 'missing' };
      records.delete(cdaKey);
      return windowOver(record, now, ttlDays) ? { kind: 'expired', record } : { kind: 'found', record };
    },
  };
}
