import type pg from 'pg';
import type { VisibilityRequest } from '../domain/citizen-rights.js';
import { storeTransaction } from './store-transaction.js';
import type { NewVisibilityRequest, VisibilityRequestStore } from './visibility-request-store.js';

/** {@link VisibilityRequestStore} on PostgreSQL (migration 011). */
interface Row {
  id: string; unique_id: string; patient: string; obscured: boolean; requested_at: Date; requested_by: string; requester_role: string;
  channel: string; state: VisibilityRequest['state']; settled_at: Date | null; operation_id: string | null; reason: string | null;
}

const COLUMNS = 'id, unique_id, patient, obscured, requested_at, requested_by, requester_role, channel, state, settled_at, operation_id, reason';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toRequest(r: Row): VisibilityRequest {
  return {
    id: r.id, uniqueId: r.unique_id, patient: r.patient, obscured: r.obscured, requestedAt: r.requested_at, state: r.state,
    requestedBy: { subject: r.requested_by, role: r.requester_role, channel: r.channel },
    ...(r.settled_at ? { settledAt: r.settled_at } : {}),
    ...(r.operation_id ? { operationId: r.operation_id } : {}),
    ...(r.reason ? { reason: r.reason } : {}),
  };
}

/** The latest row of each document matching `where` (DISTINCT ON the document, newest first). */
const LATEST = (where: string) => `SELECT DISTINCT ON (unique_id) ${COLUMNS} FROM visibility_request WHERE ${where} ORDER BY unique_id, seq DESC`;

export function createPgVisibilityRequestStore(pool: pg.Pool): VisibilityRequestStore {
  return {
    record: (r: NewVisibilityRequest) => storeTransaction(pool, async (client) => {
      // One writer per document at a time, so that two identical requests at once make one.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`visibility:${r.uniqueId}`]);
      const { rows: [latest] } = await client.query<Row>(`${LATEST('unique_id = $1')}`, [r.uniqueId]);
      if (latest && latest.state === 'pending' && latest.obscured === r.obscured) return { request: toRequest(latest), created: false };
      const state = r.state ?? 'pending';
      const { rows } = await client.query<Row>(
        `INSERT INTO visibility_request (id, unique_id, patient, obscured, requested_by, requester_role, channel, state, settled_at, operation_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $8 = 'pending' THEN NULL ELSE clock_timestamp() END, $9) RETURNING ${COLUMNS}`,
        [r.id, r.uniqueId, r.patient, r.obscured, r.requestedBy.subject, r.requestedBy.role, r.requestedBy.channel, state, r.operationId ?? null]);
      return { request: toRequest(rows[0]!), created: true };
    }),
    async get(id) {
      if (!UUID.test(id)) return undefined;
      const { rows } = await pool.query<Row>(`SELECT ${COLUMNS} FROM visibility_request WHERE id = $1`, [id]);
      return rows[0] ? toRequest(rows[0]) : undefined;
    },
    async latestOf(uniqueIds) {
      if (uniqueIds.length === 0) return [];
      const { rows } = await pool.query<Row>(LATEST('unique_id = ANY($1::text[])'), [[...uniqueIds]]);
      return rows.map(toRequest);
    },
    async latestOfPatient(patient) {
      const { rows } = await pool.query<Row>(LATEST('patient = $1'), [patient]);
      return rows.map(toRequest);
    },
    async history(patient, limit) {
      const { rows } = await pool.query<Row>(`SELECT ${COLUMNS} FROM visibility_request WHERE patient = $1 ORDER BY seq DESC LIMIT $2`, [patient, limit]);
      return rows.map(toRequest);
    },
    async settle(id, state, reason) {
      if (!UUID.test(id)) return undefined;
      const { rows } = await pool.query<Row>(
        `UPDATE visibility_request SET state = $2, settled_at = clock_timestamp(), reason = $3 WHERE id = $1 AND state = 'pending' RETURNING ${COLUMNS}`,
        [id, state, reason ?? null]);
      return rows[0] ? toRequest(rows[0]) : this.get(id);
    },
  };
}
