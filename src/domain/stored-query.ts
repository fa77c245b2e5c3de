import type { EntryUuid, PatientId, UniqueId } from './ids.js';
import type { Association, AssociationType, AvailabilityStatus, Code, DocumentEntry, Folder, SubmissionSet } from './xds.js';

/**
 * The ITI-18 Registry Stored Queries as typed requests, one interface per query, discriminated on `type` (the names
 * of `STORED_QUERY` in the vocabulary), kept apart from their ebRIM slot encoding (STYLE: IPF's `QueryType` model).
 * The IHE semantics live in the types: values inside one parameter are ORed (an array), the parameters that may be
 * repeated are ANDed (an array of arrays), "1 of" parameters are a union.
 * See: IHE ITI TF-2a 3.18.4.1.2.3.7; xds-ini digest 5.1, 5.2.
 */

/** Values ORed: an object matches when it matches any of them. */
export type OrList<T> = readonly T[];

/**
 * OR-lists ANDed: an object matches when, for every inner list, it matches one of its values. Used by the parameters
 * that may appear in several slots: `$XDSDocumentEntryEventCodeList`, `$XDSDocumentEntryConfidentialityCode`,
 * `$XDSDocumentEntryReferenceIdList`, `$XDSFolderCodeList`. See: IHE ITI TF-2a 3.18.4.1.2.3 (AND/OR semantics); xds-ini digest 5.2.
 */
export type AndOfOr<T> = readonly (readonly T[])[];

/**
 * A DTM range (`YYYY[MM[DD[hh[mm[ss]]]]]`, UTC). `from` is inclusive, `to` exclusive; both sides are compared after
 * right-padding to 14 digits with zeros, as the registry's `*_key` columns store them, so precisions may differ.
 * See: IHE ITI TF-2a 3.18.4.1.2.3 (time ranges); docs/registry-schema.md.
 */
export interface TimeRange {
  readonly from?: string;
  readonly to?: string;
}

/** `$XDSDocumentEntryType`: stable and/or on-demand entries. Absent means stable only. See: IHE ITI TF-2a 3.18.4.1.2.3.7.1 ($XDSDocumentEntryType). */
export type DocumentEntryType = DocumentEntry['objectType'];

/**
 * The DocumentEntry parameters of FindDocuments (and FindDocumentsByReferenceId). Codes match on code and coding
 * scheme (IHE requires `code^^scheme`); `authorPersons` are SQL LIKE patterns matched against each author.
 */
export interface DocumentEntryCriteria {
  readonly patientId: PatientId;
  readonly statuses: OrList<AvailabilityStatus>;
  readonly classCodes?: OrList<Code>;
  readonly typeCodes?: OrList<Code>;
  readonly practiceSettingCodes?: OrList<Code>;
  readonly healthcareFacilityTypeCodes?: OrList<Code>;
  readonly formatCodes?: OrList<Code>;
  readonly eventCodes?: AndOfOr<Code>;
  readonly confidentialityCodes?: AndOfOr<Code>;
  readonly authorPersons?: OrList<string>;
  readonly creationTime?: TimeRange;
  readonly serviceStartTime?: TimeRange;
  readonly serviceStopTime?: TimeRange;
  readonly documentEntryTypes?: OrList<DocumentEntryType>;
}

/** The filters GetAll, GetSubmissionSetAndContents and GetFolderAndContents apply to the DocumentEntries they return. */
export interface DocumentEntryContentFilters {
  readonly formatCodes?: OrList<Code>;
  readonly confidentialityCodes?: AndOfOr<Code>;
  readonly documentEntryTypes?: OrList<DocumentEntryType>;
}

/** "1 of" `...EntryUUID` / `...UniqueId` / `...LogicalID` (the last with the Metadata Update option): several values each. */
export type ObjectIds =
  | { readonly entryUuids: readonly EntryUuid[] }
  | { readonly uniqueIds: readonly UniqueId[] }
  | { readonly logicalIds: readonly EntryUuid[] };

/** "1 of" `...EntryUUID` / `...UniqueId`, one value. */
export type ObjectKey = { readonly entryUuid: EntryUuid } | { readonly uniqueId: UniqueId };

/** See: IHE ITI TF-2a 3.18.4.1.2.3.7.1. */
export interface FindDocumentsQuery extends DocumentEntryCriteria {
  readonly type: 'FindDocuments';
}

/** FindDocuments plus `$XDSDocumentEntryReferenceIdList` (CXi values, AND/OR). See: IHE ITI TF-2a 3.18.4.1.2.3.7.14. */
export interface FindDocumentsByReferenceIdQuery extends DocumentEntryCriteria {
  readonly type: 'FindDocumentsByReferenceId';
  readonly referenceIds: AndOfOr<string>;
}

/** See: IHE ITI TF-2a 3.18.4.1.2.3.7.2. `authorPerson` is single-valued, a LIKE pattern. */
export interface FindSubmissionSetsQuery {
  readonly type: 'FindSubmissionSets';
  readonly patientId: PatientId;
  readonly statuses: OrList<AvailabilityStatus>;
  readonly sourceIds?: OrList<string>;
  readonly submissionTime?: TimeRange;
  readonly authorPerson?: string;
  readonly contentTypeCodes?: OrList<Code>;
}

/** See: IHE ITI TF-2a 3.18.4.1.2.3.7.3. */
export interface FindFoldersQuery {
  readonly type: 'FindFolders';
  readonly patientId: PatientId;
  readonly statuses: OrList<AvailabilityStatus>;
  readonly lastUpdateTime?: TimeRange;
  readonly codes?: AndOfOr<Code>;
}

/** Everything of one patient, with a status list per object kind. See: IHE ITI TF-2a 3.18.4.1.2.3.7.4. */
export interface GetAllQuery extends DocumentEntryContentFilters {
  readonly type: 'GetAll';
  readonly patientId: PatientId;
  readonly documentStatuses: OrList<AvailabilityStatus>;
  readonly submissionSetStatuses: OrList<AvailabilityStatus>;
  readonly folderStatuses: OrList<AvailabilityStatus>;
}

/** Every status and version of the named entries. See: IHE ITI TF-2a 3.18.4.1.2.3.7.5. */
export interface GetDocumentsQuery {
  readonly type: 'GetDocuments';
  readonly documents: ObjectIds;
}

/** See: IHE ITI TF-2a 3.18.4.1.2.3.7.6. */
export interface GetFoldersQuery {
  readonly type: 'GetFolders';
  readonly folders: ObjectIds;
}

/** Associations whose source or target is one of `uuids`. See: IHE ITI TF-2a 3.18.4.1.2.3.7.7. */
export interface GetAssociationsQuery {
  readonly type: 'GetAssociations';
  readonly uuids: readonly EntryUuid[];
}

/** See: IHE ITI TF-2a 3.18.4.1.2.3.7.8. */
export interface GetDocumentsAndAssociationsQuery {
  readonly type: 'GetDocumentsAndAssociations';
  readonly documents: { readonly entryUuids: readonly EntryUuid[] } | { readonly uniqueIds: readonly UniqueId[] };
}

/** SubmissionSets that hold (HasMember) the DocumentEntries or Folders `uuids`. See: IHE ITI TF-2a 3.18.4.1.2.3.7.9. */
export interface GetSubmissionSetsQuery {
  readonly type: 'GetSubmissionSets';
  readonly uuids: readonly EntryUuid[];
}

/** See: IHE ITI TF-2a 3.18.4.1.2.3.7.10. */
export interface GetSubmissionSetAndContentsQuery extends DocumentEntryContentFilters {
  readonly type: 'GetSubmissionSetAndContents';
  readonly submissionSet: ObjectKey;
}

/** See: IHE ITI TF-2a 3.18.4.1.2.3.7.11. */
export interface GetFolderAndContentsQuery extends DocumentEntryContentFilters {
  readonly type: 'GetFolderAndContents';
  readonly folder: ObjectKey;
}

/** See: IHE ITI TF-2a 3.18.4.1.2.3.7.12. */
export interface GetFoldersForDocumentQuery {
  readonly type: 'GetFoldersForDocument';
  readonly document: ObjectKey;
}

/** DocumentEntries linked to one entry by `associationTypes`. See: IHE ITI TF-2a 3.18.4.1.2.3.7.13. */
export interface GetRelatedDocumentsQuery {
  readonly type: 'GetRelatedDocuments';
  readonly document: ObjectKey;
  readonly associationTypes: OrList<AssociationType>;
  readonly documentEntryTypes?: OrList<DocumentEntryType>;
}

/** Every ITI-18 stored query the registry answers. */
export type StoredQuery =
  | FindDocumentsQuery
  | FindDocumentsByReferenceIdQuery
  | FindSubmissionSetsQuery
  | FindFoldersQuery
  | GetAllQuery
  | GetDocumentsQuery
  | GetFoldersQuery
  | GetAssociationsQuery
  | GetDocumentsAndAssociationsQuery
  | GetSubmissionSetsQuery
  | GetSubmissionSetAndContentsQuery
  | GetFolderAndContentsQuery
  | GetFoldersForDocumentQuery
  | GetRelatedDocumentsQuery;

export type StoredQueryType = StoredQuery['type'];

/** `ResponseOption/@returnType`: full objects, or references only. See: xds-ini digest 3.6, 5.2. */
export type QueryReturnType = 'LeafClass' | 'ObjectRef';

/** One ITI-18 request, transport-neutral. `homeCommunityId` is `AdhocQuery/@home` (XCA; a registry ignores it). */
export interface StoredQueryRequest {
  readonly returnType: QueryReturnType;
  readonly query: StoredQuery;
  readonly homeCommunityId?: string;
}

/** What a stored query returns: the objects themselves (LeafClass) or their entryUUIDs (ObjectRef). */
export type QueryResult =
  | {
    readonly kind: 'LeafClass';
    readonly documentEntries: readonly DocumentEntry[];
    readonly submissionSets: readonly SubmissionSet[];
    readonly folders: readonly Folder[];
    readonly associations: readonly Association[];
  }
  | { readonly kind: 'ObjectRef'; readonly refs: readonly EntryUuid[] };

/** The empty result of a return type. */
export function emptyResult(returnType: QueryReturnType): QueryResult {
  return returnType === 'ObjectRef'
    ? { kind: 'ObjectRef', refs: [] }
    : { kind: 'LeafClass', documentEntries: [], submissionSets: [], folders: [], associations: [] };
}
