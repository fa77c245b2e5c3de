import type pg from 'pg';
import type { ConsentRecord, RecordedBy } from '../domain/citizen-rights.js';
import type { ConsentStore } from './consent-store.js';

/** {@link ConsentStore} on PostgreSQL (migration 009): one row per consent given or withdrawn. */
interface Row { patient: string; consultation: boolean; recorded_at: Date; recorded_by: string; recorder_role: string; channel: string }

const COLUMNS = 'patient, consultation, recorded_at, recorded_by, recorder_role, channel';

const toRecord = (r: Row): ConsentRecord => ({
  patient: r.patient, consultation: r.consultation, recordedAt: r.recorded_at,
  recordedBy: { subject: r.recorded_by, role: r.recorder_role, channel: r.channel },
});

export function createPgConsentStore(pool: pg.Pool): ConsentStore {
  const history = async (patient: string, limit: number) => {
    const { rows } = await pool.query<Row>(`SELECT ${COLUMNS} FROM consent_record WHERE patient = $1 ORDER BY id DESC LIMIT $2`, [patient, limit]);
    return rows.map(toRecord);
  };
  const current = async (patient: string) => (await history(patient, 1))[0];
  return {
    current, history,
    async stateOf(patient) {
      const record = await current(patient);
      return record === undefined ? 'unknown' : record.consultation ? 'given' : 'withdrawn';
    },
    async record(patient: string, consultation: boolean, by: RecordedBy) {
      const { rows } = await pool.query<Row>(
        `INSERT INTO consent_record (patient, consultation, recorded_by, recorder_role, channel) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
        [patient, consultation, by.subject, by.role, by.channel]);
      return toRecord(rows[0]!);
    },
  };
}
