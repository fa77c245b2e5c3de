import type pg from 'pg';
import type { PatientId } from '../domain/ids.js';

/**
 * The patients the region assists (it is their RDA), on PostgreSQL (migration 007). See: xds-ini digest 1.1, 1.4 E.
 */
export interface AssistedPatientStore {
  isAssisted(patientId: PatientId): Promise<boolean>;
  /** Marks a patient assisted here; `ini` when INI's metadata messages say so. Idempotent. */
  assign(patientId: PatientId, source: 'enrolment' | 'ini'): Promise<void>;
  release(patientId: PatientId): Promise<boolean>;
  list(limit: number): Promise<{ patientId: PatientId; source: string; since: Date }[]>;
  /** Patients whose CX starts with `prefix` (any when undefined), by id: the operator console's search. */
  search(prefix: string | undefined, limit: number): Promise<{ patientId: PatientId; source: string; since: Date }[]>;
  get(patientId: string): Promise<{ patientId: PatientId; source: string; since: Date } | undefined>;
}

const toPatient = (r: { patient_id: string; source: string; since: Date }) => ({ patientId: r.patient_id as PatientId, source: r.source, since: r.since });

export function createAssistedPatientStore(pool: pg.Pool): AssistedPatientStore {
  return {
    async isAssisted(patientId) {
      const { rows } = await pool.query('SELECT 1 FROM assisted_patient WHERE patient_id = $1', [patientId]);
      return rows.length > 0;
    },
    async assign(patientId, source) {
      await pool.query('INSERT INTO assisted_patient (patient_id, source) VALUES ($1, $2) ON CONFLICT (patient_id) DO NOTHING', [patientId, source]);
    },
    async release(patientId) {
      const result = await pool.query('DELETE FROM assisted_patient WHERE patient_id = $1', [patientId]);
      return (result.rowCount ?? 0) > 0;
    },
    async list(limit) {
      const { rows } = await pool.query<{ patient_id: string; source: string; since: Date }>(
        'SELECT patient_id, source, since FROM assisted_patient ORDER BY since, patient_id LIMIT $1', [limit]);
      return rows.map(toPatient);
    },
    async search(prefix, limit) {
      // LIKE's wildcards in the operator's text are literal: a search for "A_B" finds only A_B.
      const pattern = prefix === undefined ? null : `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const { rows } = await pool.query<{ patient_id: string; source: string; since: Date }>(
        'SELECT patient_id, source, since FROM assisted_patient WHERE $1::text IS NULL OR patient_id LIKE $1 ORDER BY patient_id LIMIT $2', [pattern, limit]);
      return rows.map(toPatient);
    },
    async get(patientId) {
      const { rows } = await pool.query<{ patient_id: string; source: string; since: Date }>('SELECT patient_id, source, since FROM assisted_patient WHERE patient_id = $1', [patientId]);
      return rows[0] && toPatient(rows[0]);
    },
  };
}
