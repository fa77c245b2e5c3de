import type { Queryable } from '../../db/pool.js';
import type { FindDocumentsByReferenceIdQuery } from '../../domain/stored-query.js';
import { allOf, documentEntryConditions, referenceIdGroups } from './query-conditions.js';
import type { QueryOptions, QueryOutcome } from './query-outcome.js';
import { singleKindResult } from './query-results.js';
import { SqlParams } from './sql-params.js';

/**
 * FindDocumentsByReferenceId: FindDocuments plus one EXISTS on `document_entry_reference_id` per
 * `$XDSDocumentEntryReferenceIdList` slot (exact CXi values, ORed within a slot).
 * See: IHE ITI TF-2a 3.18.4.1.2.3.7.14.
 */
export function findDocumentsByReferenceId(
  q: Queryable, query: FindDocumentsByReferenceIdQuery, options: QueryOptions,
): Promise<QueryOutcome> {
  const p = new SqlParams();
  const where = allOf([...documentEntryConditions(query, p), ...referenceIdGroups(query.referenceIds, p)]);
  return singleKindResult(q, 'documentEntries', where, p, options);
}
