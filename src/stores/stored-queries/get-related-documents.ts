import type { Queryable } from '../../db/pool.js';
import type { GetRelatedDocumentsQuery } from '../../domain/stored-query.js';
import { documentKeyCondition } from './get-folders-for-document.js';
import { DEFAULT_DOCUMENT_ENTRY_TYPES } from './query-conditions.js';
import type { QueryOptions, QueryOutcome } from './query-outcome.js';
import { resultFromIds, selectIds } from './query-results.js';
import { SqlParams } from './sql-params.js';

/**
 * GetRelatedDocuments: the Associations of `$AssociationTypes` between the entry and another DocumentEntry (in either
 * direction; one step, not transitive), the related entries (filtered by `$XDSDocumentEntryType`) and the originating
 * entry itself. With no related entry nothing is returned, not even the originating one: a HasMember from its
 * SubmissionSet or Folder relates it to no document (NIST 11909 uniqueid_no_related, near_folder).
 * See: IHE ITI TF-2a 3.18.4.1.2.3.7.13.
 */
export async function getRelatedDocuments(q: Queryable, query: GetRelatedDocumentsQuery, options: QueryOptions): Promise<QueryOutcome> {
  const p = new SqlParams();
  const sql = `WITH
  origin AS (SELECT d.entry_uuid FROM document_entry d WHERE ${documentKeyCondition(query.document, p)}),
  links AS (SELECT a.entry_uuid, a.target_uuid AS other_uuid FROM association a
            WHERE a.type = ANY(${p.add(query.associationTypes)}::text[]) AND a.source_uuid IN (SELECT entry_uuid FROM origin)
            UNION
            SELECT a.entry_uuid, a.source_uuid FROM association a
            WHERE a.type = ANY(${p.add(query.associationTypes)}::text[]) AND a.target_uuid IN (SELECT entry_uuid FROM origin)),
  related AS (SELECT d.entry_uuid FROM document_entry d
              WHERE d.entry_uuid IN (SELECT other_uuid FROM links)
                AND d.object_type = ANY(${p.add(query.documentEntryTypes ?? DEFAULT_DOCUMENT_ENTRY_TYPES)}::text[])),
  kept_links AS (SELECT l.entry_uuid FROM links l WHERE l.other_uuid IN (SELECT entry_uuid FROM related))
SELECT 'DocumentEntry' AS kind, d.entry_uuid, d.creation_time_key AS sort_key FROM document_entry d
  WHERE EXISTS (SELECT 1 FROM kept_links)
    AND (d.entry_uuid IN (SELECT entry_uuid FROM origin) OR d.entry_uuid IN (SELECT entry_uuid FROM related))
UNION ALL SELECT 'Association', entry_uuid, '' FROM kept_links
ORDER BY kind, sort_key NULLS LAST, entry_uuid`;
  return resultFromIds(q, await selectIds(q, sql, p), options);
}
