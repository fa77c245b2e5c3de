import type { EntryUuid, PatientId, RepositoryUniqueId, UniqueId } from './ids.js';

/**
 * The XDS domain model, kept apart from ebRIM (STYLE: IPF's simple model vs. its ebXML layer). Names are IHE's.
 * See: IHE ITI TF-3 4.2.3; xds-ini digest section 3.
 */

/** A coded value (a Classification in ebRIM): code, coding scheme OID and display name. */
export interface Code {
  readonly code: string;
  readonly scheme: string;
  readonly display?: string;
}

export type AvailabilityStatus = 'Approved' | 'Deprecated';

/** One author: person (XCN), institutions (XON), roles, specialties, telecom (XTN). */
export interface Author {
  readonly person?: string;
  readonly institutions: readonly string[];
  readonly roles: readonly string[];
  readonly specialties: readonly string[];
  readonly telecom: readonly string[];
}

/** Slots the model does not name (the Italian `urn:ita:*` slots, `urn:ihe:iti:xds:2024:SubjectApplication`, ...). */
export type ExtraSlots = Readonly<Record<string, readonly string[]>>;

export interface DocumentEntry {
  readonly entryUuid: EntryUuid;
  /** logicalID: constant across versions (ITI-57). */
  readonly logicalId: EntryUuid;
  readonly version: number;
  readonly uniqueId: UniqueId;
  readonly patientId: PatientId;
  readonly sourcePatientId?: string;
  readonly sourcePatientInfo: readonly string[];
  readonly status: AvailabilityStatus;
  readonly objectType: 'stable' | 'on-demand';
  readonly mimeType: string;
  /** SHA-1 of the document bytes, lowercase hex. */
  readonly hash?: string;
  readonly size?: number;
  readonly repositoryUniqueId?: RepositoryUniqueId;
  readonly homeCommunityId?: string;
  /** DTM, UTC. */
  readonly creationTime?: string;
  readonly serviceStartTime?: string;
  readonly serviceStopTime?: string;
  readonly languageCode?: string;
  readonly title?: string;
  readonly comments?: string;
  readonly legalAuthenticator?: string;
  readonly classCode: Code;
  readonly typeCode: Code;
  readonly formatCode: Code;
  readonly healthcareFacilityTypeCode: Code;
  readonly practiceSettingCode: Code;
  readonly confidentialityCodes: readonly Code[];
  readonly eventCodes: readonly Code[];
  readonly authors: readonly Author[];
  /** CXi values of `urn:ihe:iti:xds:2013:referenceIdList`. */
  readonly referenceIds: readonly string[];
  readonly documentAvailability?: 'Online' | 'Offline';
  readonly extraSlots: ExtraSlots;
}

export interface SubmissionSet {
  readonly entryUuid: EntryUuid;
  readonly uniqueId: UniqueId;
  readonly sourceId: string;
  readonly patientId: PatientId;
  /** DTM, UTC. */
  readonly submissionTime: string;
  readonly contentTypeCode: Code;
  readonly authors: readonly Author[];
  readonly title?: string;
  readonly comments?: string;
  readonly intendedRecipients: readonly string[];
  readonly status: AvailabilityStatus;
  readonly extraSlots: ExtraSlots;
}

export interface Folder {
  readonly entryUuid: EntryUuid;
  readonly logicalId: EntryUuid;
  readonly version: number;
  readonly uniqueId: UniqueId;
  readonly patientId: PatientId;
  /** DTM, UTC; set by the registry. */
  readonly lastUpdateTime?: string;
  readonly codes: readonly Code[];
  readonly title?: string;
  readonly comments?: string;
  readonly status: AvailabilityStatus;
  readonly extraSlots: ExtraSlots;
}

export type AssociationType =
  | 'HasMember' | 'RPLC' | 'XFRM' | 'APND' | 'XFRM_RPLC' | 'signs' | 'IsSnapshotOf'
  | 'UpdateAvailabilityStatus' | 'SubmitAssociation';

export interface Association {
  readonly entryUuid: EntryUuid;
  readonly type: AssociationType;
  readonly sourceUuid: EntryUuid;
  readonly targetUuid: EntryUuid;
  readonly status: AvailabilityStatus;
  /** e.g. `SubmissionSetStatus` (Original/Reference), `PreviousVersion`, `OriginalStatus`/`NewStatus`. */
  readonly slots: ExtraSlots;
}

/** What one register transaction brings: the unit written atomically to the registry (and repository). */
export interface Submission {
  readonly submissionSet: SubmissionSet;
  readonly documents: readonly { readonly entry: DocumentEntry; readonly bytes?: Uint8Array }[];
  readonly folders: readonly Folder[];
  readonly associations: readonly Association[];
}
