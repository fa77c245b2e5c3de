import type { Queryable } from '../../db/pool.js';
import type { GetDocumentsAndAssociationsQuery } from '../../domain/stored-query.js';
import { objectIdsCondition } from './get-documents.js';
import type { QueryOptions, QueryOutcome } from './query-outcome.js';
import { resultFromIds, selectIds } from './query-results.js';
import { SqlParams } from './sql-params.js';

/**
 * GetDocumentsAndAssociations: the named DocumentEntries (any status, every version of a uniqueId) and every
 * Association with one of them as source or target. See: IHE ITI TF-2a 3.18.4.1.2.3.7.8.
 */
export async function getDocumentsAndAssociations(
  q: Queryable, query: GetDocumentsAndAssociationsQuery, options: QueryOptions,
): Promise<QueryOutcome> {
  const p = new SqlParams();
  const sql = `WITH
  docs AS (SELECT d.entry_uuid, d.creation_time_key AS sort_key FROM document_entry d
           WHERE ${objectIdsCondition('d', query.documents, p)}),
  links AS (SELECT a.entry_uuid FROM association a WHERE a.source_uuid IN (SELECT entry_uuid FROM docs)
            UNION
            SELECT a.entry_uuid FROM association a WHERE a.target_uuid IN (SELECT entry_uuid FROM docs))
SELECT 'DocumentEntry' AS kind, entry_uuid, sort_key FROM docs
UNION ALL SELECT 'Association', entry_uuid, '' FROM links
ORDER BY kind, sort_key NULLS LAST, entry_uuid`;
  return resultFromIds(q, await selectIds(q, sql, p), options);
}
