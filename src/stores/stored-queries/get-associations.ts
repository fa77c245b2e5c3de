import type { Queryable } from '../../db/pool.js';
import type { GetAssociationsQuery } from '../../domain/stored-query.js';
import type { QueryOptions, QueryOutcome } from './query-outcome.js';
import { singleKindResult } from './query-results.js';
import { SqlParams } from './sql-params.js';

/**
 * GetAssociations: every Association whose source or target is one of `$uuid` (indexes `association_source_idx`,
 * `association_target_idx`). See: IHE ITI TF-2a 3.18.4.1.2.3.7.7.
 */
export function getAssociations(q: Queryable, query: GetAssociationsQuery, options: QueryOptions): Promise<QueryOutcome> {
  const p = new SqlParams();
  const uuids = p.add(query.uuids);
  const where = `(a.source_uuid = ANY(${uuids}::text[]) OR a.target_uuid = ANY(${uuids}::text[]))`;
  return singleKindResult(q, 'associations', where, p, options);
}
