import type { Queryable } from '../../db/pool.js';
import type { GetAllQuery } from '../../domain/stored-query.js';
import { allOf, contentFilterConditions } from './query-conditions.js';
import type { QueryOptions, QueryOutcome } from './query-outcome.js';
import { resultFromIds, selectIds } from './query-results.js';
import { SqlParams } from './sql-params.js';

/**
 * GetAll: one patient's DocumentEntries (status and content filters), SubmissionSets and Folders (their statuses),
 * and the Associations among them: those linking two returned objects, and those linking a returned object to such
 * an Association (SubmissionSet -> Folder-DocumentEntry HasMember). Each kind is found by its patient-leading index.
 * See: IHE ITI TF-2a 3.18.4.1.2.3.7.4.
 */
export async function getAll(q: Queryable, query: GetAllQuery, options: QueryOptions): Promise<QueryOutcome> {
  const p = new SqlParams();
  const patient = p.add(query.patientId);
  const documentConditions = [
    `d.patient_id = ${patient}`,
    `d.status = ANY(${p.add(query.documentStatuses)}::text[])`,
    ...contentFilterConditions(query, p),
  ];
  const sql = `WITH
  docs AS (SELECT d.entry_uuid, d.creation_time_key AS sort_key FROM document_entry d
           WHERE ${allOf(documentConditions)}),
  sets AS (SELECT s.entry_uuid, s.submission_time_key AS sort_key FROM submission_set s
           WHERE s.patient_id = ${patient} AND s.status = ANY(${p.add(query.submissionSetStatuses)}::text[])),
  fols AS (SELECT f.entry_uuid, f.last_update_time_key AS sort_key FROM folder f
           WHERE f.patient_id = ${patient} AND f.status = ANY(${p.add(query.folderStatuses)}::text[])),
  objects AS (SELECT entry_uuid FROM docs UNION ALL SELECT entry_uuid FROM sets UNION ALL SELECT entry_uuid FROM fols),
  links AS (SELECT a.entry_uuid FROM association a
            WHERE a.source_uuid IN (SELECT entry_uuid FROM objects) AND a.target_uuid IN (SELECT entry_uuid FROM objects)),
  links_to_links AS (SELECT a.entry_uuid FROM association a
            WHERE a.source_uuid IN (SELECT entry_uuid FROM objects) AND a.target_uuid IN (SELECT entry_uuid FROM links))
SELECT 'DocumentEntry' AS kind, entry_uuid, sort_key FROM docs
UNION ALL SELECT 'SubmissionSet', entry_uuid, sort_key FROM sets
UNION ALL SELECT 'Folder', entry_uuid, sort_key FROM fols
UNION ALL SELECT 'Association', entry_uuid, '' FROM links
UNION ALL SELECT 'Association', entry_uuid, '' FROM links_to_links
ORDER BY kind, sort_key NULLS LAST, entry_uuid`;
  return resultFromIds(q, await selectIds(q, sql, p), options);
}
