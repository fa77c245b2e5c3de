import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { RecordedBy, Relation } from '../domain/citizen-rights.js';
import type { NewRelation, RelationStore } from './relation-store.js';

/** {@link RelationStore} on PostgreSQL (migration 010). */
interface Row {
  id: string; kind: Relation['kind']; patient: string; agent: string; document_types: string[] | null; valid_from: Date;
  valid_to: Date | null; revoked_at: Date | null; recorded_at: Date; recorded_by: string; recorder_role: string; channel: string;
  revoked_by: string | null; revoker_role: string | null; revoke_channel: string | null;
}

const COLUMNS = 'id, kind, patient, agent, document_types, valid_from, valid_to, revoked_at, recorded_at, recorded_by, recorder_role, channel, revoked_by, revoker_role, revoke_channel';

function toRelation(r: Row): Relation {
  return {
    id: r.id, kind: r.kind, patient: r.patient, agent: r.agent, validFrom: r.valid_from, recordedAt: r.recorded_at,
    recordedBy: { subject: r.recorded_by, role: r.recorder_role, channel: r.channel },
    ...(r.document_types ? { documentTypes: r.document_types } : {}),
    ...(r.valid_to ? { validTo: r.valid_to } : {}),
    ...(r.revoked_at ? { revokedAt: r.revoked_at } : {}),
    ...(r.revoked_by ? { revokedBy: { subject: r.revoked_by, role: r.revoker_role ?? 'unknown', channel: r.revoke_channel ?? 'unknown' } } : {}),
  };
}

export function createPgRelationStore(pool: pg.Pool): RelationStore {
  const select = async (where: string, values: unknown[]) => {
    const { rows } = await pool.query<Row>(`SELECT ${COLUMNS} FROM person_relation WHERE ${where} ORDER BY recorded_at DESC, id`, values);
    return rows.map(toRelation);
  };
  return {
    async create(r: NewRelation) {
      const { rows } = await pool.query<Row>(
        `INSERT INTO person_relation (id, kind, patient, agent, document_types, valid_from, valid_to, recorded_by, recorder_role, channel)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
        [randomUUID(), r.kind, r.patient, r.agent, r.documentTypes ? [...r.documentTypes] : null, r.validFrom, r.validTo ?? null,
          r.recordedBy.subject, r.recordedBy.role, r.recordedBy.channel]);
      return toRelation(rows[0]!);
    },
    async get(id) {
      if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
      return (await select('id = $1', [id]))[0];
    },
    async revoke(id: string, by: RecordedBy) {
      if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
      // The first revocation stands: a second one changes neither the time nor who revoked.
      const { rows } = await pool.query<Row>(
        `UPDATE person_relation SET revoked_at = coalesce(revoked_at, clock_timestamp()), revoked_by = coalesce(revoked_by, $2),
                revoker_role = coalesce(revoker_role, $3), revoke_channel = coalesce(revoke_channel, $4)
          WHERE id = $1 RETURNING ${COLUMNS}`, [id, by.subject, by.role, by.channel]);
      return rows[0] ? toRelation(rows[0]) : undefined;
    },
    between: (agent, patient) => select('agent = $1 AND patient = $2', [agent, patient]),
    ofPatient: (patient) => select('patient = $1', [patient]),
    ofAgent: (agent) => select('agent = $1', [agent]),
  };
}
