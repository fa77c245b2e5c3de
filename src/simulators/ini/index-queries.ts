import type { EntryUuid } from '../../domain/ids.js';
import type { ObjectKey, QueryResult, QueryReturnType, StoredQuery } from '../../domain/stored-query.js';
import type { Association, DocumentEntry, SubmissionSet } from '../../domain/xds.js';
import type { IniIndexView } from './ini-index-view.js';

/**
 * The stored queries INI answers from its own index: those that name objects by id. GetDocuments always (what the
 * Gateway sends before a replace, delete or update: all versions, the Approved one first so that the Gateway's
 * `uuid[0]` is the current version); the other id-based queries when the index holds what they name. The content
 * filters of GetSubmissionSetAndContents (format, confidentiality, type) and the obscuring rules are not applied by
 * the simulator. See: xds-ini digest 4.4, 5.1, 10 item 3.
 */

interface Found {
  readonly documentEntries: readonly DocumentEntry[];
  readonly submissionSets: readonly SubmissionSet[];
  readonly associations: readonly Association[];
}

const NOTHING: Found = { documentEntries: [], submissionSets: [], associations: [] };

function entriesBy(ids: { entryUuids: readonly EntryUuid[] } | { uniqueIds: readonly string[] } | { logicalIds: readonly EntryUuid[] }, index: IniIndexView): DocumentEntry[] {
  if ('entryUuids' in ids) return ids.entryUuids.flatMap((id) => index.entry(id) ?? []);
  if ('uniqueIds' in ids) return ids.uniqueIds.flatMap((id) => index.versionsOf(id));
  return ids.logicalIds.flatMap((id) => index.versionsOfLogicalId(id));
}

function entryByKey(key: ObjectKey, index: IniIndexView): DocumentEntry | undefined {
  return 'entryUuid' in key ? index.entry(key.entryUuid) : index.approvedOf(key.uniqueId) ?? index.versionsOf(key.uniqueId)[0];
}

function found(entries: readonly DocumentEntry[], associations: readonly Association[] = [], submissionSets: readonly SubmissionSet[] = []): Found | undefined {
  return entries.length + associations.length + submissionSets.length === 0 ? undefined : { documentEntries: entries, submissionSets, associations };
}

/** What the index holds for a query; undefined when the query is not answered from the index or it holds nothing. */
function lookUp(query: StoredQuery, index: IniIndexView): Found | undefined {
  switch (query.type) {
    case 'GetDocuments':
      return found(entriesBy(query.documents, index)) ?? NOTHING;
    case 'GetDocumentsAndAssociations': {
      const entries = entriesBy(query.documents, index);
      return found(entries, index.associationsOf(entries.map((e) => e.entryUuid)));
    }
    case 'GetAssociations':
      return found([], index.associationsOf(query.uuids));
    case 'GetSubmissionSets': {
      const memberships = index.associationsOf(query.uuids)
        .filter((a) => a.type === 'HasMember' && query.uuids.includes(a.targetUuid) && index.submissionSet(a.sourceUuid));
      const sets = [...new Set(memberships.map((a) => a.sourceUuid))].flatMap((id) => index.submissionSet(id) ?? []);
      return found([], memberships, sets);
    }
    case 'GetSubmissionSetAndContents': {
      const key = query.submissionSet;
      const ss = 'entryUuid' in key ? index.submissionSet(key.entryUuid) : index.submissionSets().find((s) => s.uniqueId === key.uniqueId);
      if (!ss) return undefined;
      const members = index.associationsOf([ss.entryUuid]).filter((a) => a.type === 'HasMember' && a.sourceUuid === ss.entryUuid);
      return found(members.flatMap((a) => index.entry(a.targetUuid) ?? []), members, [ss]);
    }
    case 'GetRelatedDocuments': {
      const entry = entryByKey(query.document, index);
      if (!entry) return undefined;
      const links = index.associationsOf([entry.entryUuid]).filter((a) => query.associationTypes.includes(a.type));
      const others = links.map((a) => (a.sourceUuid === entry.entryUuid ? a.targetUuid : a.sourceUuid)).flatMap((id) => index.entry(id) ?? []);
      return links.length === 0 ? undefined : found([entry, ...others], links);
    }
    case 'FindDocuments':
    case 'FindDocumentsByReferenceId':
    case 'FindSubmissionSets':
    case 'FindFolders':
    case 'GetAll':
    case 'GetFolders':
    case 'GetFolderAndContents':
    case 'GetFoldersForDocument':
      return undefined;
  }
}

/** The query's answer from the index, shaped for the return type; undefined when the index cannot answer it. */
export function answerFromIndex(query: StoredQuery, returnType: QueryReturnType, index: IniIndexView): QueryResult | undefined {
  const result = lookUp(query, index);
  if (!result) return undefined;
  if (returnType === 'ObjectRef') {
    const refs = [...result.documentEntries, ...result.submissionSets, ...result.associations].map((o) => o.entryUuid);
    return { kind: 'ObjectRef', refs: [...new Set(refs)] };
  }
  return { kind: 'LeafClass', ...result, folders: [] };
}
