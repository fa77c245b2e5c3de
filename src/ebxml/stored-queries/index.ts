import type { StoredQuery, StoredQueryType } from '../../domain/stored-query.js';
import { STORED_QUERY, type StoredQueryName } from '../../metadata/vocabulary.js';
import { EbxmlError } from '../ebxml-error.js';
import { findDocumentsByReferenceIdCodec } from './find-documents-by-reference-id.js';
import { findDocumentsCodec } from './find-documents.js';
import { findFoldersCodec } from './find-folders.js';
import { findSubmissionSetsCodec } from './find-submission-sets.js';
import { getAllCodec } from './get-all.js';
import { getAssociationsCodec } from './get-associations.js';
import { getDocumentsAndAssociationsCodec } from './get-documents-and-associations.js';
import { getDocumentsCodec } from './get-documents.js';
import { getFolderAndContentsCodec } from './get-folder-and-contents.js';
import { getFoldersForDocumentCodec } from './get-folders-for-document.js';
import { getFoldersCodec } from './get-folders.js';
import { getRelatedDocumentsCodec } from './get-related-documents.js';
import { getSubmissionSetAndContentsCodec } from './get-submission-set-and-contents.js';
import { getSubmissionSetsCodec } from './get-submission-sets.js';
import type { QueryParams, QuerySlot } from './query-params.js';
import type { StoredQueryCodec } from './stored-query-codec.js';

export type { QueryParams, QuerySlot } from './query-params.js';
export type { StoredQueryCodec } from './stored-query-codec.js';

/**
 * The stored query codecs by query name, and the lookup by query id (`AdhocQuery/@id`). The table's type makes it
 * cover exactly the names of `STORED_QUERY`, so a query added to the vocabulary without a codec does not compile.
 * See: IHE ITI TF-2a 3.18.4.1.2.3.7; xds-ini digest 5.1.
 */
type CodecTable = { readonly [K in StoredQueryName]: StoredQueryCodec<Extract<StoredQuery, { type: K }>> };

/** Compile-time check: the domain's query types and the vocabulary's names are the same set. */
type SameNames = [StoredQueryType] extends [StoredQueryName] ? ([StoredQueryName] extends [StoredQueryType] ? true : never) : never;
const sameNames: SameNames = true;
void sameNames;

export const STORED_QUERY_CODECS: CodecTable = {
  FindDocuments: findDocumentsCodec,
  FindDocumentsByReferenceId: findDocumentsByReferenceIdCodec,
  FindSubmissionSets: findSubmissionSetsCodec,
  FindFolders: findFoldersCodec,
  GetAll: getAllCodec,
  GetDocuments: getDocumentsCodec,
  GetFolders: getFoldersCodec,
  GetAssociations: getAssociationsCodec,
  GetDocumentsAndAssociations: getDocumentsAndAssociationsCodec,
  GetSubmissionSets: getSubmissionSetsCodec,
  GetSubmissionSetAndContents: getSubmissionSetAndContentsCodec,
  GetFolderAndContents: getFolderAndContentsCodec,
  GetFoldersForDocument: getFoldersForDocumentCodec,
  GetRelatedDocuments: getRelatedDocumentsCodec,
};

/**
 * Query ids other IHE transactions and profiles define, recognised so the error says why they are refused: they are
 * not ITI-18 registry stored queries. See: xds-ini digest 5.1 (last paragraph).
 */
const NOT_SUPPORTED: ReadonlyMap<string, string> = new Map([
  ['urn:uuid:4308b1df-36de-4bef-8e2e-ba91f593c435', 'FindDocumentsExclude (CP-ITI-1323)'],
  ['urn:uuid:3d1bdb10-39a2-11de-89c2-2f44d94eaa9f', 'FindDocumentsForMultiplePatients (ITI-51)'],
  ['urn:uuid:50d3f5ac-39a2-11de-a1ca-b366239e58df', 'FindFoldersForMultiplePatients (ITI-51)'],
  ['urn:uuid:1191642d-86c4-42d8-b784-f95445f9f0d5', 'FindDocumentsByReferenceIdForMultiplePatients (ITI-51)'],
  ['urn:uuid:f2072993-9478-41df-a603-8f016706efe8', 'Fetch (ITI-63)'],
  ['urn:uuid:ab474085-82b5-402d-8115-3f37cb1e2405', 'FindDocumentsByTitle'],
  ['urn:uuid:aa2332d0-f8fe-11e0-be50-0800200c9a66', 'a DSUB subscription query'],
  ['urn:uuid:742790e0-aba6-43d6-9f1f-e43ed9790b79', 'a DSUB subscription query'],
  ['urn:uuid:fbede94e-dbdc-4f6b-bc1f-d730e677cece', 'a DSUB subscription query'],
  ['urn:uuid:868cad3d-ec09-4565-b66c-1be10d034399', 'a DSUB subscription query'],
  ['urn:uuid:9376254e-da05-41f5-9af3-ac56d63d8ebd', 'a DSUB subscription query'],
]);

const NAME_BY_ID: ReadonlyMap<string, StoredQueryName> = new Map(
  (Object.entries(STORED_QUERY) as [StoredQueryName, string][]).map(([name, id]) => [id, name]),
);

/** The name of a query id (compared case-insensitively, UUIDs being hex). */
function queryName(id: string): StoredQueryName {
  const normalised = id.trim().toLowerCase();
  const name = NAME_BY_ID.get(normalised);
  if (name !== undefined) return name;
  const other = NOT_SUPPORTED.get(normalised);
  const detail = other === undefined ? 'not a stored query this registry knows' : `${other} is not an ITI-18 stored query of this registry`;
  throw new EbxmlError('XDSUnknownStoredQuery', `${id}: ${detail}`, { location: id });
}

/**
 * Decodes the parameters of the query `id`.
 * @throws EbxmlError `XDSUnknownStoredQuery` for an id this registry does not answer; the codec's parameter errors.
 */
export function decodeStoredQuery(id: string, params: QueryParams): StoredQuery {
  return STORED_QUERY_CODECS[queryName(id)].decode(params);
}

/** The query id and slots of a typed query. */
export function encodeStoredQuery(query: StoredQuery): { readonly id: string; readonly slots: QuerySlot[] } {
  // The table pairs each name with the codec of that query type; TypeScript cannot correlate the two through the
  // union, hence the widening.
  const codec = STORED_QUERY_CODECS[query.type] as StoredQueryCodec<StoredQuery>;
  return { id: STORED_QUERY[query.type], slots: codec.encode(query) };
}
