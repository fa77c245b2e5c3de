import type pg from 'pg';

/** What the bridge recorded of one trace, wherever it recorded it: the raw facts of a transaction's journey. */
export interface TraceFacts {
  readonly operations: readonly {
    readonly id: string; readonly kind: string; readonly documentId: string; readonly state: string; readonly attempts: number;
    readonly answerStatus?: number; readonly localIndexed: boolean; readonly createdAt: Date; readonly updatedAt: Date;
  }[];
  readonly events: readonly { readonly type: string; readonly status: string; readonly at: Date; readonly message?: string }[];
  readonly accesses: readonly { readonly transaction: string; readonly direction: string; readonly counterpart: string; readonly outcome: string; readonly at: Date; readonly errorCodes: readonly string[] }[];
}

/**
 * Reads a trace's publication operations (005), status events (004, by trace and by the operations' workflow ids,
 * so the worker's and the INI reconciliation's later events are found too) and access-log records (008).
 */
export async function traceFacts(pool: pg.Pool, traceId: string, workflowInstanceId?: string): Promise<TraceFacts> {
  const ops = await pool.query<{ id: string; kind: string; document_id: string; state: string; attempts: number; answer_status: number | null;
    local_indexed: boolean; created_at: Date; updated_at: Date; workflow_instance_id: string | null }>(
    `SELECT id, kind, document_id, state, attempts, answer_status, local_indexed, created_at, updated_at, workflow_instance_id
       FROM gateway_operation WHERE trace_id = $1 ORDER BY seq`, [traceId]);
  const workflows = [...new Set([workflowInstanceId, ...ops.rows.map((r) => r.workflow_instance_id)].filter((w): w is string => Boolean(w)))];
  const events = await pool.query<{ event_type: string; event_status: string; event_date: Date; message: string | null }>(
    `SELECT event_type, event_status, event_date, message FROM transaction_event
      WHERE trace_id = $1 OR workflow_instance_id = ANY($2::text[]) ORDER BY event_date, id LIMIT 200`, [traceId, workflows]);
  // trace_id has no index of its own in the access log; the BRIN index on recorded_at bounds the scan to the
  // operations' period when there are operations, else the last day.
  const since = ops.rows[0]?.created_at ?? new Date(Date.now() - 24 * 3600_000);
  const audits = await pool.query<{ transaction: string; direction: string; counterpart: string; outcome: string; recorded_at: Date; error_codes: string[] }>(
    `SELECT transaction, direction, counterpart, outcome, recorded_at, error_codes FROM audit_record
      WHERE trace_id = $1 AND recorded_at >= $2::timestamptz - interval '1 minute' ORDER BY id LIMIT 100`, [traceId, since]);
  return {
    operations: ops.rows.map((r) => ({
      id: r.id, kind: r.kind, documentId: r.document_id, state: r.state, attempts: r.attempts, localIndexed: r.local_indexed,
      createdAt: r.created_at, updatedAt: r.updated_at, ...(r.answer_status === null ? {} : { answerStatus: r.answer_status }),
    })),
    events: events.rows.map((r) => ({ type: r.event_type, status: r.event_status, at: r.event_date, ...(r.message ? { message: r.message } : {}) })),
    accesses: audits.rows.map((r) => ({ transaction: r.transaction, direction: r.direction, counterpart: r.counterpart, outcome: r.outcome, at: r.recorded_at, errorCodes: r.error_codes })),
  };
}
