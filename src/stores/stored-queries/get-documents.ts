import type { Queryable } from '../../db/pool.js';
import type { GetDocumentsQuery, ObjectIds } from '../../domain/stored-query.js';
import type { QueryOptions, QueryOutcome } from './query-outcome.js';
import { singleKindResult } from './query-results.js';
import { SqlParams } from './sql-params.js';

/** The condition naming objects by entryUUID, uniqueId or logicalID on `alias` (document_entry and folder alike). */
export function objectIdsCondition(alias: string, ids: ObjectIds, p: SqlParams): string {
  if ('entryUuids' in ids) return `${alias}.entry_uuid = ANY(${p.add(ids.entryUuids)}::text[])`;
  if ('uniqueIds' in ids) return `${alias}.unique_id = ANY(${p.add(ids.uniqueIds)}::text[])`;
  return `${alias}.logical_id = ANY(${p.add(ids.logicalIds)}::text[])`;
}

/**
 * GetDocuments: the named DocumentEntries whatever their status; a uniqueId or logicalID names every version. Served
 * by the primary key and the `(unique_id, version)` / `(logical_id, version)` constraints.
 * See: IHE ITI TF-2a 3.18.4.1.2.3.7.5; xds-ini digest 10 item 3.
 */
export function getDocuments(q: Queryable, query: GetDocumentsQuery, options: QueryOptions): Promise<QueryOutcome> {
  const p = new SqlParams();
  return singleKindResult(q, 'documentEntries', objectIdsCondition('d', query.documents, p), p, options);
}
