import type { Queryable } from '../../db/pool.js';
import type { GetFoldersQuery } from '../../domain/stored-query.js';
import { objectIdsCondition } from './get-documents.js';
import type { QueryOptions, QueryOutcome } from './query-outcome.js';
import { singleKindResult } from './query-results.js';
import { SqlParams } from './sql-params.js';

/** GetFolders: the named Folders whatever their status. See: IHE ITI TF-2a 3.18.4.1.2.3.7.6. */
export function getFolders(q: Queryable, query: GetFoldersQuery, options: QueryOptions): Promise<QueryOutcome> {
  const p = new SqlParams();
  return singleKindResult(q, 'folders', objectIdsCondition('f', query.folders, p), p, options);
}
