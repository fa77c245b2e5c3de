import type { Queryable } from '../../db/pool.js';
import type { GetFolderAndContentsQuery } from '../../domain/stored-query.js';
import { allOf, contentFilterConditions } from './query-conditions.js';
import type { QueryOptions, QueryOutcome } from './query-outcome.js';
import { resultFromIds, selectIds } from './query-results.js';
import { SqlParams } from './sql-params.js';

/**
 * GetFolderAndContents: the Folder (by entryUUID, or the latest version of a uniqueId), its member DocumentEntries
 * (HasMember, any status) that pass the content filters, and the Folder -> DocumentEntry HasMember Associations of
 * the returned entries. A Deprecated HasMember is an entry taken out of the Folder (ITI-57), not a member.
 * See: IHE ITI TF-2a 3.18.4.1.2.3.7.11; IHE ITI TF-2b 3.57.4.1.3.3.
 */
export async function getFolderAndContents(q: Queryable, query: GetFolderAndContentsQuery, options: QueryOptions): Promise<QueryOutcome> {
  const p = new SqlParams();
  const key = query.folder;
  const folder = 'entryUuid' in key
    ? `f.entry_uuid = ${p.add(key.entryUuid)}`
    : `f.unique_id = ${p.add(key.uniqueId)} ORDER BY f.version DESC LIMIT 1`;
  const sql = `WITH
  fol AS (SELECT f.entry_uuid, f.last_update_time_key AS sort_key FROM folder f WHERE ${folder}),
  members AS (SELECT a.entry_uuid, a.target_uuid FROM association a
              WHERE a.type = 'HasMember' AND a.status = 'Approved' AND a.source_uuid IN (SELECT entry_uuid FROM fol)),
  docs AS (SELECT d.entry_uuid, d.creation_time_key AS sort_key FROM document_entry d
           WHERE ${allOf(['d.entry_uuid IN (SELECT target_uuid FROM members)', ...contentFilterConditions(query, p)])})
SELECT 'Folder' AS kind, entry_uuid, sort_key FROM fol
UNION ALL SELECT 'DocumentEntry', entry_uuid, sort_key FROM docs
UNION ALL SELECT 'Association', m.entry_uuid, '' FROM members m WHERE m.target_uuid IN (SELECT entry_uuid FROM docs)
ORDER BY kind, sort_key NULLS LAST, entry_uuid`;
  return resultFromIds(q, await selectIds(q, sql, p), options);
}
