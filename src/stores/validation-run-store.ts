import type pg from 'pg';
import type { LocatedFinding } from '../validation/finding-lines.js';

/** Where a validation run came from: a producer's REST validation, or an operator's upload in the console. */
export type ValidationOrigin = 'rest' | 'playground';

/** A validation to keep for the console (migration 013). */
export interface NewValidationRun {
  readonly origin: ValidationOrigin;
  readonly traceId?: string;
  /** The console user who uploaded a playground run. */
  readonly operator?: string;
  readonly docType?: string;
  readonly valid: boolean;
  /** The CDA as validated: the lines of `findings` are lines of this text. */
  readonly source: string;
  /** Errors and warnings, each with its severity. */
  readonly findings: readonly LocatedFinding[];
}

/** One row of the console's list. See: docs/console-api.md, `GET /console/api/validations`. */
export interface ValidationRunSummary {
  readonly id: number;
  readonly at: Date;
  readonly traceId?: string;
  readonly origin: ValidationOrigin;
  readonly docType?: string;
  readonly valid: boolean;
  readonly errors: number;
  readonly warnings: number;
}

/** One run with its source and findings. See: docs/console-api.md, `GET /console/api/validations/{id}`. */
export interface ValidationRun extends ValidationRunSummary {
  readonly operator?: string;
  readonly source: string;
  readonly findings: readonly LocatedFinding[];
}

export interface ValidationRunStore {
  /** Saves a run; returns its id and time, as the console will list it. */
  record(run: NewValidationRun): Promise<{ id: number; at: Date }>;
  /** Newest first; `before` is an id (the next page starts below the last id seen). */
  list(query: { limit: number; before?: number }): Promise<ValidationRunSummary[]>;
  get(id: number): Promise<ValidationRun | undefined>;
  /** Deletes the runs more than `days` whole days old; returns how many went. */
  purgeOlderThan(days: number, now?: Date): Promise<number>;
}

export interface ValidationRunStoreOptions {
  /**
   * `FSE_VALIDATION_TTL_DAYS`: the sources are health data and live no longer than validation records do. With it,
   * reads skip expired runs and every insert purges them in the same statement (the created_at index makes that
   * cheap), so retention holds without a scheduler.
   */
  readonly ttlDays?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The cutoff of "more than `days` whole days old", the rule of validation records (validation-record-store.ts
 * isExpired: floor(age / 24 h) > days, i.e. age >= days + 1 days).
 */
const cutoffOf = (days: number, now: Date): Date => new Date(now.getTime() - (days + 1) * DAY_MS);

interface SummaryRow {
  id: string; created_at: Date; origin: ValidationOrigin; trace_id: string | null; doc_type: string | null; valid: boolean;
  errors: number; warnings: number;
}
interface RunRow extends SummaryRow { operator: string | null; source: string; findings: LocatedFinding[] }

const SUMMARY = `id, created_at, origin, trace_id, doc_type, valid,
  (SELECT count(*)::int FROM jsonb_array_elements(findings) f WHERE f->>'severity' = 'error') AS errors,
  (SELECT count(*)::int FROM jsonb_array_elements(findings) f WHERE f->>'severity' = 'warning') AS warnings`;

function toSummary(r: SummaryRow): ValidationRunSummary {
  return {
    id: Number(r.id), at: r.created_at, origin: r.origin, valid: r.valid, errors: r.errors, warnings: r.warnings,
    ...(r.trace_id === null ? {} : { traceId: r.trace_id }),
    ...(r.doc_type === null ? {} : { docType: r.doc_type }),
  };
}

/** {@link ValidationRunStore} on PostgreSQL (migration 013). */
export function createValidationRunStore(pool: pg.Pool, options: ValidationRunStoreOptions = {}): ValidationRunStore {
  const { ttlDays } = options;
  // Without a TTL nothing expires: -infinity keeps every row.
  const liveSince = (): Date | string => (ttlDays === undefined ? '-infinity' : cutoffOf(ttlDays, new Date()));
  return {
    async record(run) {
      const values = [run.origin, run.traceId ?? null, run.operator ?? null, run.docType ?? null, run.valid, run.source,
        JSON.stringify(run.findings), liveSince()];
      const { rows } = await pool.query<{ id: string; created_at: Date }>(
        `WITH purged AS (DELETE FROM validation_run WHERE created_at <= $8)
         INSERT INTO validation_run (origin, trace_id, operator, doc_type, valid, source, findings)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb) RETURNING id, created_at`,
        values,
      );
      const row = rows[0];
      if (!row) throw new Error('INSERT ... RETURNING gave no row');
      return { id: Number(row.id), at: row.created_at };
    },

    async list({ limit, before }) {
      const { rows } = await pool.query<SummaryRow>(
        `SELECT ${SUMMARY} FROM validation_run
         WHERE created_at > $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
        [liveSince(), before ?? null, limit],
      );
      return rows.map(toSummary);
    },

    async get(id) {
      if (!Number.isSafeInteger(id) || id < 1) return undefined;
      const { rows } = await pool.query<RunRow>(
        `SELECT ${SUMMARY}, operator, source, findings FROM validation_run WHERE id = $1 AND created_at > $2`,
        [id, liveSince()],
      );
      const row = rows[0];
      if (!row) return undefined;
      return { ...toSummary(row), ...(row.operator === null ? {} : { operator: row.operator }), source: row.source, findings: row.findings };
    },

    async purgeOlderThan(days, now = new Date()) {
      const result = await pool.query('DELETE FROM validation_run WHERE created_at <= $1', [cutoffOf(days, now)]);
      return result.rowCount ?? 0;
    },
  };
}
