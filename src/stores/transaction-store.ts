import type pg from 'pg';

/** Event types of the status API. See: Gateway API digest, 9.2 (open list: unknown values are kept). */
export type StatusEventType =
  | 'VALIDATION' | 'VALIDATION_FOR_PUBLICATION' | 'VALIDATION_FOR_REPLACE' | 'PUBLICATION' | 'REPLACE' | 'UPDATE'
  | 'DELETE' | 'RIFERIMENTI_INI' | 'INI_DELETE' | 'INI_UPDATE' | 'EDS_DELETE' | 'EDS_UPDATE' | 'SEND_TO_INI'
  | 'SEND_TO_EDS' | 'SEND_TO_UAR' | 'UAR_FINAL_STATUS' | 'DESERIALIZE' | (string & {});

export type StatusEventStatus = 'SUCCESS' | 'BLOCKING_ERROR' | 'NON_BLOCKING_ERROR' | 'ASYNC_RETRY' | 'BLOCKING_ERROR_MAX_RETRY';

/**
 * One status event of a transaction. The REST adapter maps these English names to the Gateway's fields:
 * documentId = `identificativoDocumento`, activity = `tipoAttivita`, organizationId = `organizzazione`
 * (STYLE rule 17). See: Gateway API digest, 9.1.
 */
export interface StatusEvent {
  readonly workflowInstanceId?: string;
  /** The HTTP call that produced the event. */
  readonly traceId: string;
  readonly spanId?: string;
  readonly eventType: StatusEventType;
  readonly eventStatus: StatusEventStatus;
  readonly eventDate: Date;
  readonly message?: string;
  readonly documentId?: string;
  /** JWT `sub` and role of the caller. */
  readonly subject?: string;
  readonly subjectRole?: string;
  readonly activity?: string;
  readonly organizationId?: string;
  /** JWT `iss` of the call; the status API's visibility cone compares it with the reader's `sub`. */
  readonly issuer: string;
  readonly expiringDate?: Date;
  readonly extra?: string;
}

/** The status store answers at most this many events per query by default, as the Gateway's. */
export const DEFAULT_EVENT_LIMIT = 100;

export interface TransactionStore {
  append(event: StatusEvent): Promise<void>;
  /** Events of one workflow instance, ascending eventDate (then insertion order). */
  listByWorkflowInstanceId(workflowInstanceId: string, limit?: number): Promise<StatusEvent[]>;
  /** Events produced by one HTTP call, ascending eventDate. */
  listByTraceId(traceId: string, limit?: number): Promise<StatusEvent[]>;
  /** Drops events whose expiringDate has passed; returns how many went. */
  purgeExpired(now?: Date): Promise<number>;
}

interface EventRow {
  workflow_instance_id: string | null; trace_id: string; span_id: string | null; event_type: string;
  event_status: StatusEventStatus; event_date: Date; message: string | null; document_id: string | null;
  subject: string | null; subject_role: string | null; activity: string | null; organization_id: string | null;
  issuer: string; expiring_date: Date | null; extra: string | null;
}

const COLUMNS = `workflow_instance_id, trace_id, span_id, event_type, event_status, event_date, message, document_id,
  subject, subject_role, activity, organization_id, issuer, expiring_date, extra`;

function toEvent(r: EventRow): StatusEvent {
  const optional = {
    workflowInstanceId: r.workflow_instance_id, spanId: r.span_id, message: r.message, documentId: r.document_id,
    subject: r.subject, subjectRole: r.subject_role, activity: r.activity, organizationId: r.organization_id,
    expiringDate: r.expiring_date, extra: r.extra,
  };
  const present = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== null));
  return { ...present, traceId: r.trace_id, eventType: r.event_type, eventStatus: r.event_status, eventDate: r.event_date, issuer: r.issuer };
}

/** Status events on PostgreSQL (table `transaction_event`, migration 004). */
export function createTransactionStore(pool: pg.Pool): TransactionStore {
  const list = async (column: 'workflow_instance_id' | 'trace_id', value: string, limit: number) => {
    const { rows } = await pool.query<EventRow>(
      `SELECT ${COLUMNS} FROM transaction_event WHERE ${column} = $1 ORDER BY event_date, id LIMIT $2`,
      [value, limit],
    );
    return rows.map(toEvent);
  };
  return {
    async append(e) {
      await pool.query(
        `INSERT INTO transaction_event (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
        [e.workflowInstanceId ?? null, e.traceId, e.spanId ?? null, e.eventType, e.eventStatus, e.eventDate,
          e.message ?? null, e.documentId ?? null, e.subject ?? null, e.subjectRole ?? null, e.activity ?? null,
          e.organizationId ?? null, e.issuer, e.expiringDate ?? null, e.extra ?? null],
      );
    },
    listByWorkflowInstanceId: (id, limit = DEFAULT_EVENT_LIMIT) => list('workflow_instance_id', id, limit),
    listByTraceId: (traceId, limit = DEFAULT_EVENT_LIMIT) => list('trace_id', traceId, limit),
    async purgeExpired(now = new Date()) {
      const result = await pool.query('DELETE FROM transaction_event WHERE expiring_date <= $1', [now]);
      return result.rowCount ?? 0;
    },
  };
}
