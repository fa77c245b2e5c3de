import type pg from 'pg';
import type { AuditEntry } from '../../src/audit/audit-record.js';
import { parsePatientId, type PatientId } from '../../src/domain/ids.js';

export const MEF = '2.16.840.1.113883.2.9.4.3.2';

/** A patient CX with a MEF fiscal code. */
export const patientCx = (cf: string): PatientId => parsePatientId(`${cf}^^^&${MEF}&ISO`);

export const PATIENT = patientCx('RSSMRA80A01H501U');
export const OTHER_PATIENT = patientCx('BNCLRA85M41F205X');

/** An ITI-43 from another region through INI, about {@link PATIENT}; fields overridable. */
export function sampleEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    direction: 'inbound', transaction: 'ITI-43', counterpart: '000', subjectId: `VRDGPP70A01H501S^^^&${MEF}&ISO`,
    subjectRole: 'AAS', organizationId: '030', organizationName: 'Regione Lombardia', purposeOfUse: 'TREATMENT',
    patientId: PATIENT, documentIds: ['2.16.840.1.113883.2.9.2.120.4.4^0001'], outcome: 'Success', errorCodes: [],
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736', credentialId: '_9f0c1e2d-1111-4222-8333-444455556666',
    ...overrides,
  };
}

/**
 * Runs SQL as an attacker with database rights would: the table owner disables the triggers, changes rows and
 * enables them again, in one transaction. A step is a statement, or a statement and its parameters.
 */
export async function tamper(pool: pg.Pool, ...steps: (string | readonly [string, readonly unknown[]])[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('ALTER TABLE audit_record DISABLE TRIGGER ALL');
    await client.query('ALTER TABLE audit_chain_head DISABLE TRIGGER ALL');
    for (const step of steps) {
      const [sql, values] = typeof step === 'string' ? [step, []] : step;
      await client.query(sql, [...values]);
    }
    await client.query('ALTER TABLE audit_record ENABLE TRIGGER ALL');
    await client.query('ALTER TABLE audit_chain_head ENABLE TRIGGER ALL');
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
