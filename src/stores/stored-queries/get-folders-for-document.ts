import type { Queryable } from '../../db/pool.js';
import type { GetFoldersForDocumentQuery, ObjectKey } from '../../domain/stored-query.js';
import type { QueryOptions, QueryOutcome } from './query-outcome.js';
import { singleKindResult } from './query-results.js';
import { SqlParams } from './sql-params.js';

/** The condition naming DocumentEntries by one entryUUID, or every version of one uniqueId, on alias `d`. */
export function documentKeyCondition(key: ObjectKey, p: SqlParams): string {
  return 'entryUuid' in key ? `d.entry_uuid = ${p.add(key.entryUuid)}` : `d.unique_id = ${p.add(key.uniqueId)}`;
}

/**
 * GetFoldersForDocument: the Folders with a HasMember Association to the entry (any version of a uniqueId).
 * See: IHE ITI TF-2a 3.18.4.1.2.3.7.12.
 */
export function getFoldersForDocument(q: Queryable, query: GetFoldersForDocumentQuery, options: QueryOptions): Promise<QueryOutcome> {
  const p = new SqlParams();
  const where = `f.entry_uuid IN (
    SELECT a.source_uuid FROM association a
    WHERE a.type = 'HasMember'
      AND a.target_uuid IN (SELECT d.entry_uuid FROM document_entry d WHERE ${documentKeyCondition(query.document, p)}))`;
  return singleKindResult(q, 'folders', where, p, options);
}
