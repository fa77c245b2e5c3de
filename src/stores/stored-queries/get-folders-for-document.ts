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
 * GetFoldersForDocument: the Folders with an Approved HasMember Association to the entry (any version of a uniqueId),
 * each the latest version of its logical Folder: a Deprecated HasMember took the entry out (ITI-57), and a Folder
 * superseded by a new version lives on in that version, its memberships copied. See: IHE ITI TF-2a 3.18.4.1.2.3.7.12;
 * IHE ITI TF-2b 3.57.4.1.3.3.
 */
export function getFoldersForDocument(q: Queryable, query: GetFoldersForDocumentQuery, options: QueryOptions): Promise<QueryOutcome> {
  const p = new SqlParams();
  const where = `f.entry_uuid IN (
    SELECT a.source_uuid FROM association a
    WHERE a.type = 'HasMember' AND a.status = 'Approved'
      AND a.target_uuid IN (SELECT d.entry_uuid FROM document_entry d WHERE ${documentKeyCondition(query.document, p)}))
    AND NOT EXISTS (SELECT 1 FROM folder n WHERE n.logical_id = f.logical_id AND n.version > f.version)`;
  return singleKindResult(q, 'folders', where, p, options);
}
