/**
 * Seeds a bridge's registry with synthetic DocumentEntries straight in SQL (generate_series), so `bench:soap` can
 * query a registry of realistic size in minutes: `patients` patients with `perPatient` entries each, every entry with
 * one author and one confidentialityCode, one in ten with an event code, spread over five classCodes and two years of
 * creationTime. Values follow the Italian shapes (CX patient ids, XCN authors, the Affinity Domain's code systems).
 */
import type pg from 'pg';

export interface SeedOptions {
  readonly patients: number;
  readonly perPatient: number;
}

/** The CX of synthetic patient `i`. */
export const benchPatient = (i: number): string => `BNCH${String(i).padStart(12, '0')}^^^&2.16.840.1.113883.2.9.4.3.2&ISO`;

export async function seedRegistry(pool: pg.Pool, options: SeedOptions): Promise<number> {
  const total = options.patients * options.perPatient;
  const params = [total, options.perPatient];
  // One statement per table; the ids are derived from the series number so every table agrees without joins.
  await pool.query(`INSERT INTO registry_object (entry_uuid, object_kind)
    SELECT 'urn:uuid:' || md5('de' || n)::uuid, 'DocumentEntry' FROM generate_series(1, $1) AS n`, [total]);
  await pool.query(`INSERT INTO document_entry (entry_uuid, logical_id, version, unique_id, patient_id, status, object_type, mime_type,
      hash, size, repository_unique_id, source_patient_id, creation_time, service_start_time, service_stop_time, language_code, title,
      class_code, class_scheme, class_display, type_code, type_scheme, type_display, format_code, format_scheme,
      healthcare_facility_type_code, healthcare_facility_type_scheme, practice_setting_code, practice_setting_scheme, extra_slots)
    SELECT u, u, 1, '2.16.840.1.113883.2.9.2.120.4.4^BENCH' || n,
      'BNCH' || lpad(((n - 1) / $2)::text, 12, '0') || '^^^&2.16.840.1.113883.2.9.4.3.2&ISO',
      CASE WHEN n % 20 = 0 THEN 'Deprecated' ELSE 'Approved' END, 'stable', 'application/pdf+text/x-cda-r2+xml',
      md5(n::text) || substr(md5('h' || n), 1, 8), 150000 + n % 100000, '2.16.840.1.113883.2.9.2.120.4.5.1',
      'BNCH' || lpad(((n - 1) / $2)::text, 12, '0') || '^^^&2.16.840.1.113883.2.9.4.3.2&ISO',
      to_char(timestamp '2024-01-01' + (n % 730) * interval '1 day' + (n % 86400) * interval '1 second', 'YYYYMMDDHH24MISS'),
      to_char(timestamp '2024-01-01' + (n % 730) * interval '1 day', 'YYYYMMDD'), NULL, 'it-IT', 'Documento ' || n,
      (ARRAY['REF','LDO','VRB','PRS','SUM'])[1 + n % 5], '2.16.840.1.113883.2.9.3.3.6.1.5', NULL,
      (ARRAY['11502-2','34105-7','59258-4','57833-6','60591-5'])[1 + n % 5], '2.16.840.1.113883.6.1', NULL,
      (ARRAY['2.16.840.1.113883.2.9.10.1.1','2.16.840.1.113883.2.9.10.1.5','2.16.840.1.113883.2.9.10.1.6.1','2.16.840.1.113883.2.9.10.1.2','2.16.840.1.113883.2.9.10.1.4.1.1'])[1 + n % 5],
      '2.16.840.1.113883.2.9.3.3.6.1.6', 'Ospedale', '2.16.840.1.113883.2.9.3.3.6.1.1',
      'AD_PSC' || lpad((1 + n % 99)::text, 3, '0'), '2.16.840.1.113883.2.9.3.3.6.1.2', '{"urn:ita:2022:documentSigned": ["true^Documento firmato"]}'
    FROM (SELECT n, 'urn:uuid:' || md5('de' || n)::uuid AS u FROM generate_series(1, $1) AS n) s`, params);
  await pool.query(`INSERT INTO document_entry_code (entry_uuid, attribute, ord, code, scheme, display)
    SELECT 'urn:uuid:' || md5('de' || n)::uuid, 'confidentialityCode', 0, CASE WHEN n % 50 = 0 THEN 'V' ELSE 'N' END, '2.16.840.1.113883.5.25', NULL
    FROM generate_series(1, $1) AS n`, [total]);
  await pool.query(`INSERT INTO document_entry_code (entry_uuid, attribute, ord, code, scheme, display)
    SELECT 'urn:uuid:' || md5('de' || n)::uuid, 'eventCodeList', 0, 'P99', '2.16.840.1.113883.2.9.3.3.6.1.3', 'Oscuramento del documento'
    FROM generate_series(10, $1, 10) AS n`, [total]);
  await pool.query(`INSERT INTO document_entry_author (entry_uuid, ord, person, institutions, roles)
    SELECT 'urn:uuid:' || md5('de' || n)::uuid, 0, 'MDC' || lpad((n % 5000)::text, 13, '0') || '^^^^^^^^&2.16.840.1.113883.2.9.4.3.2&ISO',
      ARRAY['OSPEDALE DI PROVA^^^^^&2.16.840.1.113883.2.9.4.1.2&ISO^^^^120901'], ARRAY['AAS']
    FROM generate_series(1, $1) AS n`, [total]);
  await pool.query('ANALYZE');
  return total;
}
