import type { StoredQuery } from '../../domain/stored-query.js';
import type { QueryParams, QuerySlot } from './query-params.js';

/**
 * One stored query's codec (STYLE rule 3: one codec per stored query): the AdhocQuery slots to the typed query and
 * back. `decode` applies IHE's parameter rules and throws an `EbxmlError` carrying the XDS code to answer with.
 */
export interface StoredQueryCodec<Q extends StoredQuery> {
  readonly decode: (params: QueryParams) => Q;
  readonly encode: (query: Q) => QuerySlot[];
}
