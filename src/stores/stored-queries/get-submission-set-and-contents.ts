import type { Queryable } from '../../db/pool.js';
import type { GetSubmissionSetAndContentsQuery } from '../../domain/stored-query.js';
import { allOf, contentFilterConditions } from './query-conditions.js';
import type { QueryOptions, QueryOutcome } from './query-outcome.js';
import { resultFromIds, selectIds } from './query-results.js';
import { SqlParams } from './sql-params.js';

/**
 * GetSubmissionSetAndContents: the SubmissionSet; its member DocumentEntries (HasMember, any status) that pass the
 * content filters; its member Folders; its member Associations (Folder -> DocumentEntry); and its HasMember
 * Associations to all those. An Association referencing a member DocumentEntry that the filters removed is not
 * returned, nor is the HasMember to such an Association (the NIST SSwithOneDocOneFol shape).
 * See: IHE ITI TF-2a 3.18.4.1.2.3.7.10.
 */
export async function getSubmissionSetAndContents(
  q: Queryable, query: GetSubmissionSetAndContentsQuery, options: QueryOptions,
): Promise<QueryOutcome> {
  const p = new SqlParams();
  const key = query.submissionSet;
  const ss = 'entryUuid' in key ? `s.entry_uuid = ${p.add(key.entryUuid)}` : `s.unique_id = ${p.add(key.uniqueId)}`;
  const sql = `WITH
  ss AS (SELECT s.entry_uuid, s.submission_time_key AS sort_key FROM submission_set s WHERE ${ss}),
  members AS (SELECT a.entry_uuid, a.target_uuid FROM association a
              WHERE a.type = 'HasMember' AND a.source_uuid IN (SELECT entry_uuid FROM ss)),
  docs AS (SELECT d.entry_uuid, d.creation_time_key AS sort_key FROM document_entry d
           WHERE ${allOf(['d.entry_uuid IN (SELECT target_uuid FROM members)', ...contentFilterConditions(query, p)])}),
  filtered_out AS (SELECT d.entry_uuid FROM document_entry d WHERE d.entry_uuid IN (SELECT target_uuid FROM members)
                   EXCEPT SELECT entry_uuid FROM docs),
  fols AS (SELECT f.entry_uuid, f.last_update_time_key AS sort_key FROM folder f
           WHERE f.entry_uuid IN (SELECT target_uuid FROM members)),
  member_links AS (SELECT a.entry_uuid FROM association a
                   WHERE a.entry_uuid IN (SELECT target_uuid FROM members)
                     AND a.source_uuid NOT IN (SELECT entry_uuid FROM filtered_out)
                     AND a.target_uuid NOT IN (SELECT entry_uuid FROM filtered_out)),
  kept_members AS (SELECT m.entry_uuid FROM members m
                   WHERE m.target_uuid IN (SELECT entry_uuid FROM docs UNION ALL SELECT entry_uuid FROM fols
                                           UNION ALL SELECT entry_uuid FROM member_links))
SELECT 'SubmissionSet' AS kind, entry_uuid, sort_key FROM ss
UNION ALL SELECT 'DocumentEntry', entry_uuid, sort_key FROM docs
UNION ALL SELECT 'Folder', entry_uuid, sort_key FROM fols
UNION ALL SELECT 'Association', entry_uuid, '' FROM kept_members
UNION ALL SELECT 'Association', entry_uuid, '' FROM member_links
ORDER BY kind, sort_key NULLS LAST, entry_uuid`;
  return resultFromIds(q, await selectIds(q, sql, p), options);
}
