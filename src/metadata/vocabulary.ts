/**
 * The one vocabulary module for fixed IHE UUIDs, URNs, slot names and the fixed OIDs and constants of the Italian
 * Affinity Domain (house style, rule 4). Value sets with codes and displays are data in `mappings/`.
 * See: xds-ini digest, sections 3.2, 3.3, 3.5, 3.6, 6.1 and 6.3; IHE ITI TF-3 4.2.5.
 */

/** Classification schemes, identification schemes and markers of the DocumentEntry. See: xds-ini digest, 3.2. */
export const DOCUMENT_ENTRY = {
  objectTypeStable: 'urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1',
  objectTypeOnDemand: 'urn:uuid:34268e47-fdf5-41a6-ba33-82133c465248',
  author: 'urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d',
  classCode: 'urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a',
  confidentialityCode: 'urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f',
  eventCodeList: 'urn:uuid:2c6b8cb7-8b2a-4051-b291-b1ae6a575ef4',
  formatCode: 'urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d',
  healthcareFacilityTypeCode: 'urn:uuid:f33fb8ac-18af-42cc-ae0e-ed0b0bdb91e1',
  practiceSettingCode: 'urn:uuid:cccf5598-8b07-4b77-a05e-ae952c785ead',
  typeCode: 'urn:uuid:f0306f51-975f-434e-a61c-c59651d33983',
  limitedMetadata: 'urn:uuid:ab9b591b-83ab-4d03-8f5d-f93b1fb92e85',
  patientId: 'urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427',
  uniqueId: 'urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab',
} as const;

/** Schemes and markers of the SubmissionSet. See: xds-ini digest, 3.2. */
export const SUBMISSION_SET = {
  classificationNode: 'urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd',
  author: 'urn:uuid:a7058bb9-b4e4-4307-ba5b-e3f0ab85e12d',
  contentTypeCode: 'urn:uuid:aa543740-bdda-424e-8c96-df4873be8500',
  limitedMetadata: 'urn:uuid:5003a9db-8d8d-49e6-bf0c-990e34ac7707',
  patientId: 'urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446',
  sourceId: 'urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832',
  uniqueId: 'urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8',
} as const;

/** Schemes and markers of the Folder. See: xds-ini digest, 3.2. */
export const FOLDER = {
  classificationNode: 'urn:uuid:d9d542f3-6cc4-48b6-8870-ea235fbc94c2',
  codeList: 'urn:uuid:1ba97051-7806-41a8-a48b-8fce7af683c5',
  limitedMetadata: 'urn:uuid:2c144a76-29a9-4b7c-af54-b25409fe7d03',
  patientId: 'urn:uuid:f64ffdf0-4b97-4e06-b79f-a52b38ec2f8a',
  uniqueId: 'urn:uuid:75df8f67-9973-4fbe-a900-df66cefecc5a',
} as const;

/** Association documentation classification scheme. See: xds-ini digest, 3.2. */
export const ASSOCIATION_DOCUMENTATION = 'urn:uuid:abd807a3-4432-4053-87b4-fd82c643d1f3';

/** `objectType` URNs of ebRIM objects. See: xds-ini digest, 3.1. */
export const OBJECT_TYPE = {
  registryPackage: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:RegistryPackage',
  classification: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Classification',
  externalIdentifier: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:ExternalIdentifier',
  association: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Association',
} as const;

/** `associationType` URNs, keyed by the domain's short names. See: xds-ini digest, 3.5. */
export const ASSOCIATION_TYPE = {
  HasMember: 'urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember',
  RPLC: 'urn:ihe:iti:2007:AssociationType:RPLC',
  APND: 'urn:ihe:iti:2007:AssociationType:APND',
  XFRM: 'urn:ihe:iti:2007:AssociationType:XFRM',
  XFRM_RPLC: 'urn:ihe:iti:2007:AssociationType:XFRM_RPLC',
  signs: 'urn:ihe:iti:2007:AssociationType:signs',
  IsSnapshotOf: 'urn:ihe:iti:2010:AssociationType:IsSnapshotOf',
  UpdateAvailabilityStatus: 'urn:ihe:iti:2010:AssociationType:UpdateAvailabilityStatus',
  SubmitAssociation: 'urn:ihe:iti:2010:AssociationType:SubmitAssociation',
} as const;

/** Availability status, response status and severity URNs. See: xds-ini digest, 3.6. */
export const STATUS = {
  approved: 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved',
  deprecated: 'urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated',
  success: 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success',
  failure: 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure',
  partialSuccess: 'urn:ihe:iti:2007:ResponseStatusType:PartialSuccess',
  error: 'urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error',
  warning: 'urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Warning',
} as const;

/** Slot names of the Italian extensions and the IHE slots they sit beside. See: xds-ini digest, 3.3 and 6.3. */
export const SLOT = {
  repositoryType: 'urn:ita:2017:repository-type',
  documentSigned: 'urn:ita:2022:documentSigned',
  description: 'urn:ita:2022:description',
  administrativeRequest: 'urn:ita:2022:administrativeRequest',
  subjectApplication: 'urn:ihe:iti:xds:2024:SubjectApplication',
  referenceIdList: 'urn:ihe:iti:xds:2013:referenceIdList',
  submissionSetStatus: 'SubmissionSetStatus',
  previousVersion: 'PreviousVersion',
} as const;

/** Values of the HasMember `SubmissionSetStatus` slot. See: xds-ini digest, 3.5. */
export const SUBMISSION_SET_STATUS = { original: 'Original', reference: 'Reference' } as const;

/** Fixed OIDs of the Italian Affinity Domain. See: xds-ini digest, 6.1; Gateway API digest, 10.14. */
export const OIDS = {
  /** Root of NRE (prescription number) ids in CDA `inFulfillmentOf/order/id`. */
  nreRoot: '2.16.840.1.113883.2.9.4.3.9',
  /** Assigning authority of NRE in `referenceIdList`; Sistema TS document ids. */
  nreAuthority: '2.16.840.1.113883.2.9.4.3.8',
  /** Region/organization root: `<root>.<REG>` with one leading 0 of the organization code dropped. */
  regionRoot: '2.16.840.1.113883.2.9.2',
} as const;

/** Constants the Gateway puts in every DocumentEntry it builds. See: xds-ini digest, 8.1; Gateway API digest, 8.2. */
export const GATEWAY_CONSTANTS = {
  /** PDF with the CDA embedded. */
  mimeType: 'application/pdf+text/x-cda-r2+xml',
  languageCode: 'it-IT',
  /** PAdES signing is mandatory for publication, so the Gateway always states it. */
  documentSigned: 'true^Documento firmato',
} as const;

/** CXi.5 identifier type of an NRE in `referenceIdList`. See: xds-ini digest, 3.7 and 8.1. */
export const REFERENCE_ID_TYPE_ORDER = 'urn:ihe:iti:xds:2013:order';

/**
 * Shape of a repositoryUniqueId the Gateway accepts: group 1, left-padded to 3 digits, must be an organization code.
 * See: Gateway API digest, 4 (repository field) and 3.3 step 14.
 */
export const REPOSITORY_UNIQUE_ID = /^2\.16\.840\.1\.113883\.2\.9\.2\.(\d+)\.4\.5\..*$/;

/** Names of the IHE slots on DocumentEntry, SubmissionSet, Folder and author Classifications. See: xds-ini digest, 3.3, 3.4. */
export const XDS_SLOT = {
  creationTime: 'creationTime',
  hash: 'hash',
  size: 'size',
  languageCode: 'languageCode',
  repositoryUniqueId: 'repositoryUniqueId',
  sourcePatientId: 'sourcePatientId',
  sourcePatientInfo: 'sourcePatientInfo',
  legalAuthenticator: 'legalAuthenticator',
  serviceStartTime: 'serviceStartTime',
  serviceStopTime: 'serviceStopTime',
  documentAvailability: 'documentAvailability',
  submissionTime: 'submissionTime',
  intendedRecipient: 'intendedRecipient',
  lastUpdateTime: 'lastUpdateTime',
  codingScheme: 'codingScheme',
  authorPerson: 'authorPerson',
  authorInstitution: 'authorInstitution',
  authorRole: 'authorRole',
  authorSpecialty: 'authorSpecialty',
  authorTelecommunication: 'authorTelecommunication',
} as const;

/** Values of the `documentAvailability` slot, keyed by the domain's short names. See: xds-ini digest, 3.3. */
export const DOCUMENT_AVAILABILITY = {
  Online: 'urn:ihe:iti:2010:DocumentAvailability:Online',
  Offline: 'urn:ihe:iti:2010:DocumentAvailability:Offline',
} as const;

/** `Name/LocalizedString/@value` of each ExternalIdentifier. See: xds-ini digest, 3.2. */
export const IDENTIFIER_NAME = {
  documentEntryPatientId: 'XDSDocumentEntry.patientId',
  documentEntryUniqueId: 'XDSDocumentEntry.uniqueId',
  submissionSetPatientId: 'XDSSubmissionSet.patientId',
  submissionSetSourceId: 'XDSSubmissionSet.sourceId',
  submissionSetUniqueId: 'XDSSubmissionSet.uniqueId',
  folderPatientId: 'XDSFolder.patientId',
  folderUniqueId: 'XDSFolder.uniqueId',
} as const;

/** ITI-18 stored query ids. See: xds-ini digest 5.1; IHE ITI TF-2a 3.18.4.1.2.3.7. */
export const STORED_QUERY = {
  FindDocuments: 'urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d',
  FindDocumentsByReferenceId: 'urn:uuid:12941a89-e02e-4be5-967c-ce4bfc8fe492',
  FindSubmissionSets: 'urn:uuid:f26abbcb-ac74-4422-8a30-edb644bbc1a9',
  FindFolders: 'urn:uuid:958f3006-baad-4929-a4de-ff1114824431',
  GetAll: 'urn:uuid:10b545ea-725c-446d-9b95-8aeb444eddf3',
  GetDocuments: 'urn:uuid:5c4f972b-d56b-40ac-a5fc-c8ca9b40b9d4',
  GetFolders: 'urn:uuid:5737b14c-8a1a-4539-b659-e03a34a5e1e4',
  GetAssociations: 'urn:uuid:a7ae438b-4bc2-4642-93e9-be891f7bb155',
  GetDocumentsAndAssociations: 'urn:uuid:bab9529a-4a10-40b3-a01f-f68a615d247a',
  GetSubmissionSets: 'urn:uuid:51224314-5390-4169-9b91-b1980040715a',
  GetSubmissionSetAndContents: 'urn:uuid:e8e3cb2c-e39c-46b9-99e4-c12f57260b83',
  GetFolderAndContents: 'urn:uuid:b909a503-523d-4517-8acf-8e5834dfc4c7',
  GetFoldersForDocument: 'urn:uuid:10cae35a-c7f9-4cf5-b61e-fc3278ffb578',
  GetRelatedDocuments: 'urn:uuid:d90e5407-b356-4d91-a89f-873917b4b0e6',
} as const;

export type StoredQueryName = keyof typeof STORED_QUERY;

/** WS-Addressing actions of the XDS.b transactions, request and response. See: xds-ini digest 2.3. */
export const SOAP_ACTION = {
  iti18: 'urn:ihe:iti:2007:RegistryStoredQuery',
  iti18Response: 'urn:ihe:iti:2007:RegistryStoredQueryResponse',
  iti41: 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b',
  iti41Response: 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-bResponse',
  iti42: 'urn:ihe:iti:2007:RegisterDocumentSet-b',
  iti42Response: 'urn:ihe:iti:2007:RegisterDocumentSet-bResponse',
  iti43: 'urn:ihe:iti:2007:RetrieveDocumentSet',
  iti43Response: 'urn:ihe:iti:2007:RetrieveDocumentSetResponse',
  iti57: 'urn:ihe:iti:2010:UpdateDocumentSet',
  iti57Response: 'urn:ihe:iti:2010:UpdateDocumentSetResponse',
  iti62: 'urn:ihe:iti:2010:DeleteDocumentSet',
  iti62Response: 'urn:ihe:iti:2010:DeleteDocumentSetResponse',
  iti86: 'urn:ihe:iti:2017:RemoveDocuments',
  iti86Response: 'urn:ihe:iti:2017:RemoveDocumentsResponse',
  iniDelete: 'urn:ihe:iti:xds-b:2010:XDSDeletetWS:DocumentRegistry_DeleteDocumentSetRequest',
  iniDeleteResponse: 'urn:ihe:iti:xds-b:2010:XDSDeletetWS:DocumentRegistry_DeleteDocumentSetResponse',
} as const;

/**
 * DocumentEntry mimeTypes of the FSE: a PDF with the CDA2 embedded (what the Gateway publishes), and, for metadata
 * registered from elsewhere, a bare CDA2 or PDF. See: xds-ini digest 3.3 (mimeType), 8.1.
 */
export const FSE_MIME_TYPES = {
  pdfWithCda: 'application/pdf+text/x-cda-r2+xml',
  cda: 'text/x-cda-r2+xml',
  pdf: 'application/pdf',
} as const;
