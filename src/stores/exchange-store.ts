import type pg from 'pg';

/** One HTTP exchange at the REST or SOAP door, as the console lists it (migration 012). */
export interface ExchangeSummary {
  readonly id: number;
  readonly at: Date;
  readonly door: 'rest' | 'soap';
  readonly action: string;
  readonly method: string;
  readonly path: string;
  readonly httpStatus: number;
  readonly outcome: 'success' | 'failure';
  readonly ms: number;
  readonly traceId: string;
  readonly workflowInstanceId?: string;
  readonly patientId?: string;
  readonly documentIds: readonly string[];
  readonly caller?: string;
}

export interface RawMessage {
  readonly headers: Readonly<Record<string, string>>;
  /** Masked and summarised text (src/rest/raw-masking.ts). */
  readonly body: string;
  readonly truncated: boolean;
}

export interface NewExchange extends Omit<ExchangeSummary, 'id'> {
  readonly request: RawMessage;
  readonly response: RawMessage;
}

export interface ExchangeFilter {
  readonly patientId?: string;
  readonly documentId?: string;
  readonly workflowInstanceId?: string;
  readonly traceId?: string;
  readonly door?: 'rest' | 'soap';
  readonly outcome?: 'success' | 'failure';
  readonly from?: Date;
  readonly to?: Date;
  /** Only exchanges older than this id (the last id of the previous page). */
  readonly before?: number;
  readonly limit: number;
}

/** The channel on which each committed batch announces its ids (the console's live updates, any process). */
export const EXCHANGE_CHANNEL = 'fse_exchange';

export interface ExchangeStore {
  /** Inserts rows in one statement and announces their ids on {@link EXCHANGE_CHANNEL}. */
  insert(rows: readonly NewExchange[]): Promise<number[]>;
  search(filter: ExchangeFilter): Promise<ExchangeSummary[]>;
  get(id: number): Promise<ExchangeSummary | undefined>;
  raw(id: number): Promise<{ request: RawMessage; response: RawMessage } | undefined>;
  /** Summaries of the given ids (what a notification names), in id order. */
  byIds(ids: readonly number[]): Promise<ExchangeSummary[]>;
}

const SUMMARY = `id, started_at, door, action, method, path, http_status, outcome, ms, trace_id, workflow_instance_id,
  patient_id, document_ids, caller`;
type Row = {
  id: string; started_at: Date; door: 'rest' | 'soap'; action: string; method: string; path: string; http_status: number;
  outcome: 'success' | 'failure'; ms: number; trace_id: string; workflow_instance_id: string | null; patient_id: string | null;
  document_ids: string[]; caller: string | null;
};
const toSummary = (r: Row): ExchangeSummary => ({
  id: Number(r.id), at: r.started_at, door: r.door, action: r.action, method: r.method, path: r.path, httpStatus: r.http_status,
  outcome: r.outcome, ms: r.ms, traceId: r.trace_id, documentIds: r.document_ids,
  ...(r.workflow_instance_id ? { workflowInstanceId: r.workflow_instance_id } : {}),
  ...(r.patient_id ? { patientId: r.patient_id } : {}),
  ...(r.caller ? { caller: r.caller } : {}),
});

const COLUMNS = ['started_at', 'ms', 'door', 'action', 'method', 'path', 'http_status', 'outcome', 'trace_id', 'workflow_instance_id',
  'patient_id', 'document_ids', 'caller', 'request_headers', 'request_body', 'request_truncated', 'response_headers', 'response_body',
  'response_truncated'] as const;

function values(e: NewExchange): unknown[] {
  return [e.at, Math.round(e.ms), e.door, e.action, e.method, e.path, e.httpStatus, e.outcome, e.traceId, e.workflowInstanceId ?? null,
    e.patientId ?? null, e.documentIds, e.caller ?? null, JSON.stringify(e.request.headers), e.request.body, e.request.truncated,
    JSON.stringify(e.response.headers), e.response.body, e.response.truncated];
}

export function createExchangeStore(pool: pg.Pool): ExchangeStore {
  return {
    async insert(rows) {
      if (rows.length === 0) return [];
      const params: unknown[] = [];
      const tuples = rows.map((row) => {
        const start = params.length;
        params.push(...values(row));
        return `(${COLUMNS.map((_, i) => `$${start + i + 1}`).join(', ')})`;
      });
      // One statement, so the NOTIFY in the same transaction is delivered only once the rows are visible.
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const { rows: ids } = await client.query<{ id: string }>(`INSERT INTO exchange (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')} RETURNING id`, params);
        const list = ids.map((r) => Number(r.id));
        await client.query('SELECT pg_notify($1, $2)', [EXCHANGE_CHANNEL, list.join(',')]);
        await client.query('COMMIT');
        return list;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async search(f) {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (sql: string, value: unknown) => {
        params.push(value);
        where.push(sql.replace('?', `$${params.length}`));
      };
      if (f.patientId) add('patient_id = ?', f.patientId);
      if (f.documentId) add('document_ids @> ARRAY[?::text]', f.documentId);
      if (f.workflowInstanceId) add('workflow_instance_id = ?', f.workflowInstanceId);
      if (f.traceId) add('trace_id = ?', f.traceId);
      if (f.door) add('door = ?', f.door);
      if (f.outcome) add('outcome = ?', f.outcome);
      if (f.from) add('started_at >= ?', f.from);
      if (f.to) add('started_at < ?', f.to);
      if (f.before !== undefined) add('id < ?', f.before);
      params.push(f.limit);
      // Newest first by id: ids grow with insertion, and (started_at DESC, id DESC) serves the unfiltered page.
      const { rows } = await pool.query<Row>(
        `SELECT ${SUMMARY} FROM exchange ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`, params);
      return rows.map(toSummary);
    },
    async get(id) {
      const { rows } = await pool.query<Row>(`SELECT ${SUMMARY} FROM exchange WHERE id = $1`, [id]);
      return rows[0] && toSummary(rows[0]);
    },
    async raw(id) {
      const { rows } = await pool.query<{ request_headers: Record<string, string>; request_body: string; request_truncated: boolean;
        response_headers: Record<string, string>; response_body: string; response_truncated: boolean; }>(
        'SELECT request_headers, request_body, request_truncated, response_headers, response_body, response_truncated FROM exchange WHERE id = $1', [id]);
      const r = rows[0];
      return r && {
        request: { headers: r.request_headers, body: r.request_body, truncated: r.request_truncated },
        response: { headers: r.response_headers, body: r.response_body, truncated: r.response_truncated },
      };
    },
    async byIds(ids) {
      if (ids.length === 0) return [];
      const { rows } = await pool.query<Row>(`SELECT ${SUMMARY} FROM exchange WHERE id = ANY($1::bigint[]) ORDER BY id`, [ids]);
      return rows.map(toSummary);
    },
  };
}
