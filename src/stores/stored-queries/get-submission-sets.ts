import type { Queryable } from '../../db/pool.js';
import type { GetSubmissionSetsQuery } from '../../domain/stored-query.js';
import type { QueryOptions, QueryOutcome } from './query-outcome.js';
import { resultFromIds, selectIds } from './query-results.js';
import { SqlParams } from './sql-params.js';

/**
 * GetSubmissionSets: the SubmissionSets with a HasMember Association to one of `$uuid` (DocumentEntries or Folders),
 * and those HasMember Associations. See: IHE ITI TF-2a 3.18.4.1.2.3.7.9.
 */
export async function getSubmissionSets(q: Queryable, query: GetSubmissionSetsQuery, options: QueryOptions): Promise<QueryOutcome> {
  const p = new SqlParams();
  const sql = `WITH
  members AS (SELECT a.entry_uuid, a.source_uuid FROM association a
              JOIN submission_set s ON s.entry_uuid = a.source_uuid
              WHERE a.type = 'HasMember' AND a.target_uuid = ANY(${p.add(query.uuids)}::text[]))
SELECT 'SubmissionSet' AS kind, s.entry_uuid, s.submission_time_key AS sort_key FROM submission_set s
  WHERE s.entry_uuid IN (SELECT source_uuid FROM members)
UNION ALL SELECT 'Association', entry_uuid, '' FROM members
ORDER BY kind, sort_key, entry_uuid`;
  return resultFromIds(q, await selectIds(q, sql, p), options);
}
