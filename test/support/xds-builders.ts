import { randomUUID } from 'node:crypto';
import type { EntryUuid, PatientId, RepositoryUniqueId, UniqueId } from '../../src/domain/ids.js';
import type { Association, AssociationType, Author, DocumentEntry, Folder, Submission, SubmissionSet } from '../../src/domain/xds.js';

/**
 * Builders of sample XDS metadata, in the Italian shape the Gateway produces (xds-ini digest 3.3, 3.4, 8.1, 8.2).
 * Every call returns fresh entryUUIDs and uniqueIds; override any field.
 */

let counter = 0;
const next = () => `${Date.now()}${(counter += 1)}`;

export const newUuid = (): EntryUuid => `urn:uuid:${randomUUID()}` as EntryUuid;
export const PATIENT = 'RSSMRA80A01H501U^^^&2.16.840.1.113883.2.9.4.3.2&ISO' as PatientId;
export const REPOSITORY = '2.16.840.1.113883.2.9.2.120.4.5.1' as RepositoryUniqueId;

export function anAuthor(overrides: Partial<Author> = {}): Author {
  return {
    person: 'PRVMDC80A01H501X^^^^^^^^&2.16.840.1.113883.2.9.4.3.2&ISO',
    institutions: ['OSPEDALE SAN PAOLO^^^^^&2.16.840.1.113883.2.9.4.1.2&ISO^^^^120201'],
    roles: ['AAS'],
    specialties: [],
    telecom: ['^^Internet^medico@example.it'],
    ...overrides,
  };
}

export function aDocumentEntry(overrides: Partial<DocumentEntry> = {}): DocumentEntry {
  const entryUuid = overrides.entryUuid ?? newUuid();
  return {
    entryUuid,
    logicalId: entryUuid,
    version: 1,
    uniqueId: `2.16.840.1.113883.2.9.2.120.4.4^${next()}` as UniqueId,
    patientId: PATIENT,
    sourcePatientId: PATIENT,
    sourcePatientInfo: [],
    status: 'Approved',
    objectType: 'stable',
    mimeType: 'application/pdf+text/x-cda-r2+xml',
    repositoryUniqueId: REPOSITORY,
    creationTime: '20240326110012',
    serviceStartTime: '20240326100000',
    serviceStopTime: '20240326103000',
    languageCode: 'it-IT',
    title: 'Referto di Laboratorio',
    classCode: { code: 'REF', scheme: '2.16.840.1.113883.2.9.3.3.6.1.5', display: 'Referto' },
    typeCode: { code: '11502-2', scheme: '2.16.840.1.113883.6.1', display: 'Referto di laboratorio' },
    formatCode: { code: '2.16.840.1.113883.2.9.10.1.1', scheme: '2.16.840.1.113883.2.9.3.3.6.1.6', display: 'Referto di Laboratorio' },
    healthcareFacilityTypeCode: { code: 'Ospedale', scheme: '2.16.840.1.113883.2.9.3.3.6.1.1', display: 'Ospedale' },
    practiceSettingCode: { code: 'AD_PSC001', scheme: '2.16.840.1.113883.2.9.3.3.6.1.2', display: 'Allergologia' },
    confidentialityCodes: [{ code: 'N', scheme: '2.16.840.1.113883.5.25', display: 'Normal' }],
    eventCodes: [
      { code: 'P99', scheme: '2.16.840.1.113883.2.9.3.3.6.1.3', display: 'Oscuramento del documento' },
      { code: 'J07BX03', scheme: '2.16.840.1.113883.2.9.3.3.6.1.3' },
    ],
    authors: [anAuthor()],
    referenceIds: ['NRE123^^^&2.16.840.1.113883.2.9.4.3.8&ISO^urn:ihe:iti:xds:2013:order'],
    documentAvailability: 'Online',
    extraSlots: { 'urn:ita:2022:documentSigned': ['true^Documento firmato'], 'urn:ita:2022:description': ['A^B^C', 'D^E^F'] },
    ...overrides,
  };
}

export function aSubmissionSet(overrides: Partial<SubmissionSet> = {}): SubmissionSet {
  return {
    entryUuid: newUuid(),
    uniqueId: `2.16.840.1.113883.2.9.2.120.4.3.${next()}` as UniqueId,
    sourceId: '2.16.840.1.113883.2.9.2.120',
    patientId: PATIENT,
    submissionTime: '20240326110500',
    contentTypeCode: { code: 'PHR', scheme: '2.16.840.1.113883.2.9.3.3.6.1.4', display: 'Personal Health Record Update' },
    authors: [anAuthor()],
    intendedRecipients: [],
    status: 'Approved',
    extraSlots: {},
    ...overrides,
  };
}

export function aFolder(overrides: Partial<Folder> = {}): Folder {
  const entryUuid = overrides.entryUuid ?? newUuid();
  return {
    entryUuid,
    logicalId: entryUuid,
    version: 1,
    uniqueId: `2.16.840.1.113883.2.9.2.120.4.6.${next()}` as UniqueId,
    patientId: PATIENT,
    codes: [{ code: 'LAB', scheme: '2.16.840.1.113883.2.9.3.3.6.1.4' }],
    title: 'Esami 2024',
    status: 'Approved',
    extraSlots: {},
    ...overrides,
  };
}

export function anAssociation(type: AssociationType, sourceUuid: EntryUuid, targetUuid: EntryUuid, slots: Association['slots'] = {}): Association {
  return { entryUuid: newUuid(), type, sourceUuid, targetUuid, status: 'Approved', slots };
}

/** A SubmissionSet with the given entries (bytes optional) and one HasMember (`Original`) per entry. */
export function aSubmission(documents: readonly { entry: DocumentEntry; bytes?: Uint8Array }[] = [{ entry: aDocumentEntry() }]): Submission {
  const submissionSet = aSubmissionSet({ patientId: documents[0]?.entry.patientId ?? PATIENT });
  return {
    submissionSet,
    documents,
    folders: [],
    associations: documents.map(({ entry }) =>
      anAssociation('HasMember', submissionSet.entryUuid, entry.entryUuid, { SubmissionSetStatus: ['Original'] })),
  };
}
