import type { Queryable } from '../../db/pool.js';
import type { FindDocumentsQuery } from '../../domain/stored-query.js';
import { allOf, documentEntryConditions } from './query-conditions.js';
import type { QueryOptions, QueryOutcome } from './query-outcome.js';
import { singleKindResult } from './query-results.js';
import { SqlParams } from './sql-params.js';

/**
 * FindDocuments: one statement on `document_entry` led by `patient_id = $1 AND status = ANY($2)`, which the index
 * `document_entry_patient_status_idx (patient_id, status, creation_time_key)` serves; the other parameters filter the
 * patient's rows. LeafClass reads the complete entries in the same statement.
 * See: IHE ITI TF-2a 3.18.4.1.2.3.7.1; docs/registry-schema.md.
 */
export function findDocuments(q: Queryable, query: FindDocumentsQuery, options: QueryOptions): Promise<QueryOutcome> {
  const p = new SqlParams();
  return singleKindResult(q, 'documentEntries', allOf(documentEntryConditions(query, p)), p, options);
}
