import type { EntryUuid } from '../domain/ids.js';
import type { QueryResult, QueryReturnType, StoredQuery } from '../domain/stored-query.js';
import type { Association, DocumentEntry } from '../domain/xds.js';

/**
 * Pure pieces of the consumer's ITI-18: the patient a query is about, the merge of the regional and INI results, and
 * the conversion to the requested return type.
 * See: xds-ini digest 1.4 E, 4.8, pitfall 21.
 */
export type LeafClass = Extract<QueryResult, { kind: 'LeafClass' }>;

/** The patient of a patient-scoped query; undefined for queries by id. */
export function patientOf(query: StoredQuery): string | undefined {
  switch (query.type) {
    case 'FindDocuments': case 'FindDocumentsByReferenceId': case 'FindSubmissionSets': case 'FindFolders': return query.patientId;
    case 'GetAll': return query.patientId;
    case 'GetDocuments': case 'GetFolders': case 'GetAssociations': case 'GetDocumentsAndAssociations': case 'GetSubmissionSets':
    case 'GetSubmissionSetAndContents': case 'GetFolderAndContents': case 'GetFoldersForDocument': case 'GetRelatedDocuments':
      return undefined;
  }
}

/**
 * Regional and INI results together, without duplicates: a document INI returns replaces the regional entry with its
 * uniqueId and status (INI's metadata are authoritative, digest 1.2); packages by uniqueId, associations by id.
 */
export function mergeResults(local: LeafClass, ini: LeafClass): LeafClass {
  const key = (e: DocumentEntry) => `${e.uniqueId}\u0000${e.status}`;
  const fromIni = new Set(ini.documentEntries.map(key));
  const documentEntries = [...ini.documentEntries, ...local.documentEntries.filter((e) => !fromIni.has(key(e)))];
  const byUniqueId = <T extends { uniqueId: string }>(a: readonly T[], b: readonly T[]) => {
    const seen = new Set(a.map((x) => x.uniqueId));
    return [...a, ...b.filter((x) => !seen.has(x.uniqueId))];
  };
  const kept = new Set<string>(documentEntries.map((e) => e.entryUuid));
  const dropped = new Set<string>(local.documentEntries.filter((e) => !kept.has(e.entryUuid)).map((e) => e.entryUuid));
  const seenAssoc = new Set(ini.associations.map((a) => a.entryUuid));
  const associations: Association[] = [...ini.associations,
    ...local.associations.filter((a) => !seenAssoc.has(a.entryUuid) && !dropped.has(a.sourceUuid) && !dropped.has(a.targetUuid))];
  return {
    kind: 'LeafClass', documentEntries,
    submissionSets: byUniqueId(ini.submissionSets, local.submissionSets), folders: byUniqueId(ini.folders, local.folders), associations,
  };
}

/** A LeafClass result as the requested return type. */
export function asReturnType(result: LeafClass, returnType: QueryReturnType): QueryResult {
  if (returnType === 'LeafClass') return result;
  const refs: EntryUuid[] = [...result.documentEntries, ...result.submissionSets, ...result.folders, ...result.associations].map((o) => o.entryUuid);
  return { kind: 'ObjectRef', refs };
}

export const EMPTY_LEAF_CLASS: LeafClass = { kind: 'LeafClass', documentEntries: [], submissionSets: [], folders: [], associations: [] };
