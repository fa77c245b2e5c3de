import type pg from 'pg';
import type { RegistryAction } from '../domain/registry-action.js';
import type { SignatureClaims } from '../jwt/claims.js';

export type OperationKind = 'create' | 'replace' | 'validate-and-create' | 'validate-and-replace' | 'delete' | 'metadata' | 'metadata-iti-57';

/**
 * received: stored, not yet sent; sending: a send is in flight (a crash here means "ask the Gateway before resending");
 * answered: the Gateway answered the live call; local: the Gateway was unreachable, the document is indexed locally
 * and awaits replay; forwarded: a replay was accepted; rejected: a replay was refused by the Gateway.
 */
export type OperationState = 'received' | 'sending' | 'answered' | 'local' | 'forwarded' | 'rejected';

export interface NewOperation {
  readonly id: string;
  readonly kind: OperationKind;
  readonly documentId: string;
  readonly targetId?: string;
  readonly method: 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly tokens: { readonly authorization: string; readonly signature: string };
  readonly claims: SignatureClaims;
  readonly requestBody?: string;
  readonly pdf?: Uint8Array;
  readonly callbackUrl?: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly workflowInstanceId?: string;
  /**
   * `producer` (REST): the producer's tokens, forwarded as the certificate case says. `region` (SOAP): the region
   * mints both tokens at every send from `claims`. See: Gateway API digest 1.4.
   */
  readonly signing?: 'producer' | 'region';
  /** What the registry records once the Gateway takes the operation (SOAP producers' own ebRIM). */
  readonly registryAction?: RegistryAction;
}

export interface Operation extends NewOperation {
  readonly seq: number;
  readonly state: OperationState;
  readonly localIndexed: boolean;
  readonly answer?: { readonly status: number; readonly contentType: string; readonly body: Buffer };
  readonly attempts: number;
  readonly createdAt: Date;
}

interface Row {
  id: string; seq: string; kind: OperationKind; document_id: string; target_id: string | null; method: 'POST' | 'PUT' | 'DELETE';
  path: string; authorization_header: string; signature_header: string; claims: SignatureClaims; request_body: string | null;
  pdf: Buffer | null; callback_url: string | null; trace_id: string; span_id: string; state: OperationState;
  local_indexed: boolean; workflow_instance_id: string | null; answer_status: number | null;
  answer_content_type: string | null; answer_body: Buffer | null; attempts: number; created_at: Date;
  signing: 'producer' | 'region'; registry_action: RegistryAction | null;
}

function toOperation(r: Row): Operation {
  return {
    id: r.id, seq: Number(r.seq), kind: r.kind, documentId: r.document_id, targetId: r.target_id ?? undefined,
    method: r.method, path: r.path, tokens: { authorization: r.authorization_header, signature: r.signature_header },
    claims: r.claims, requestBody: r.request_body ?? undefined, pdf: r.pdf ?? undefined, callbackUrl: r.callback_url ?? undefined,
    traceId: r.trace_id, spanId: r.span_id, state: r.state, localIndexed: r.local_indexed,
    workflowInstanceId: r.workflow_instance_id ?? undefined,
    answer: r.answer_status === null ? undefined : { status: r.answer_status, contentType: r.answer_content_type ?? '', body: r.answer_body ?? Buffer.alloc(0) },
    attempts: r.attempts, createdAt: r.created_at, signing: r.signing, registryAction: r.registry_action ?? undefined,
  };
}

/** NOTIFY channel on which every change of an operation's outcome is announced (payload: the operation id). */
export const OPERATION_CHANNEL = 'fse_gateway_operation';

/** The durable record of every forwarded operation (migration 005). */
export interface OperationStore {
  /** Inserts the operation; a duplicate id keeps the first row. Resolves to the stored row and whether it is new. */
  insert(op: NewOperation): Promise<{ operation: Operation; created: boolean }>;
  get(id: string): Promise<Operation | undefined>;
  /** Moves to `sending` (counts the attempt); refuses when the row is already final. */
  markSending(id: string): Promise<boolean>;
  saveAnswer(id: string, state: 'answered' | 'forwarded' | 'rejected', answer: { status: number; contentType: string; body: Buffer }, workflowInstanceId?: string): Promise<void>;
  markLocal(id: string, indexed: boolean): Promise<void>;
  /** Earlier operations on the same document that have not reached the Gateway yet (ordering per document). */
  pendingPredecessors(op: Operation): Promise<Operation[]>;
  /** Operations awaiting replay, oldest first. */
  listReplayable(limit: number): Promise<Operation[]>;
}

export function createOperationStore(pool: pg.Pool): OperationStore {
  return {
    async insert(op) {
      const inserted = await pool.query<Row>(
        `INSERT INTO gateway_operation (id, kind, document_id, target_id, method, path, authorization_header, signature_header,
           claims, request_body, pdf, callback_url, trace_id, span_id, workflow_instance_id, signing, registry_action)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         ON CONFLICT (id) DO NOTHING RETURNING *`,
        [op.id, op.kind, op.documentId, op.targetId ?? null, op.method, op.path, op.tokens.authorization, op.tokens.signature,
          JSON.stringify(op.claims), op.requestBody ?? null, op.pdf ? Buffer.from(op.pdf) : null, op.callbackUrl ?? null,
          op.traceId, op.spanId, op.workflowInstanceId ?? null, op.signing ?? 'producer',
          op.registryAction === undefined ? null : JSON.stringify(op.registryAction)],
      );
      const row = inserted.rows[0];
      if (row) return { operation: toOperation(row), created: true };
      const existing = await this.get(op.id);
      if (!existing) throw new Error(`operation ${op.id} vanished after a conflicting insert`);
      return { operation: existing, created: false };
    },
    async get(id) {
      const r = await pool.query<Row>('SELECT * FROM gateway_operation WHERE id = $1', [id]);
      return r.rows[0] ? toOperation(r.rows[0]) : undefined;
    },
    async markSending(id) {
      const r = await pool.query(
        `UPDATE gateway_operation SET state = 'sending', attempts = attempts + 1, updated_at = now()
         WHERE id = $1 AND state IN ('received', 'sending', 'local')`, [id]);
      return r.rowCount === 1;
    },
    async saveAnswer(id, state, answer, workflowInstanceId) {
      await pool.query(
        `WITH changed AS (
           UPDATE gateway_operation SET state = $2, answer_status = $3, answer_content_type = $4, answer_body = $5,
             workflow_instance_id = COALESCE($6, workflow_instance_id), updated_at = now() WHERE id = $1 RETURNING id)
         SELECT pg_notify('${OPERATION_CHANNEL}', id) FROM changed`,
        [id, state, answer.status, answer.contentType, answer.body, workflowInstanceId ?? null],
      );
    },
    async markLocal(id, indexed) {
      await pool.query(
        `WITH changed AS (
           UPDATE gateway_operation SET state = 'local', local_indexed = local_indexed OR $2, updated_at = now() WHERE id = $1 RETURNING id)
         SELECT pg_notify('${OPERATION_CHANNEL}', id) FROM changed`, [id, indexed]);
    },
    async pendingPredecessors(op) {
      const r = await pool.query<Row>(
        `SELECT * FROM gateway_operation
         WHERE seq < $1 AND state IN ('received', 'sending', 'local')
           AND (document_id = ANY($2::text[]) OR target_id = ANY($2::text[]))
         ORDER BY seq`,
        [op.seq, [op.documentId, ...(op.targetId ? [op.targetId] : [])]],
      );
      return r.rows.map(toOperation);
    },
    async listReplayable(limit) {
      const r = await pool.query<Row>(`SELECT * FROM gateway_operation WHERE state IN ('local', 'received', 'sending') ORDER BY seq LIMIT $1`, [limit]);
      return r.rows.map(toOperation);
    },
  };
}
