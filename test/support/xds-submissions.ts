import type { EntryUuid, PatientId, UniqueId } from '../../src/domain/ids.js';
import type { Association, DocumentEntry, Submission } from '../../src/domain/xds.js';
import { SAMPLE_PATIENT_CF } from '../../src/dev/sample-cda.js';
import { aDocumentEntry, anAssociation, anAuthor, aSubmissionSet, newUuid } from './xds-builders.js';

/**
 * ITI-41 submissions coherent with the development sample CDA (an LDO for patient RSSMRA80A01H501U authored by
 * VRDGPP70A01H501S), as a hospital's XDS.b Document Source would send them: no hash, size or repositoryUniqueId
 * (the repository sets them), symbolic-free urn:uuid ids, one HasMember per document.
 */
export const SAMPLE_PATIENT = `${SAMPLE_PATIENT_CF}^^^&2.16.840.1.113883.2.9.4.3.2&ISO` as PatientId;
export const REGION_REPOSITORY = '2.16.840.1.113883.2.9.2.120.4.5.1';

let submissions = 0;

export const docUniqueId = (ext: string) => `2.16.840.1.113883.2.9.2.120.4.4^${ext}` as UniqueId;

/** An LDO DocumentEntry and its SubmissionSet for the sample CDA whose `id/@extension` is `ext`. */
export function ldoSubmission(ext: string, options: { bytes?: Uint8Array; replaces?: EntryUuid; eventCodes?: string[] } = {}): Submission {
  submissions += 1;
  const author = anAuthor({
    person: 'VRDGPP70A01H501S^Verdi^Giuseppe^^^^^^&2.16.840.1.113883.2.9.4.3.2&ISO',
    institutions: ['OSPEDALE DI PROVA^^^^^&2.16.840.1.113883.2.9.4.1.2&ISO^^^^120901'], roles: ['AAS'], telecom: [],
  });
  const entry = aDocumentEntry({
    uniqueId: docUniqueId(ext), patientId: SAMPLE_PATIENT, sourcePatientId: SAMPLE_PATIENT, creationTime: '20260110093000',
    serviceStartTime: '20260109', serviceStopTime: '20260110', title: 'Lettera di dimissione',
    classCode: { code: 'LDO', scheme: '2.16.840.1.113883.2.9.3.3.6.1.5', display: 'Lettera di dimissione' },
    typeCode: { code: '34105-7', scheme: '2.16.840.1.113883.6.1', display: 'Lettera di dimissione ospedaliera' },
    formatCode: { code: '2.16.840.1.113883.2.9.10.1.5', scheme: '2.16.840.1.113883.2.9.3.3.6.1.6', display: 'Lettera di Dimissione Ospedaliera' },
    eventCodes: (options.eventCodes ?? []).map((code) => ({ code, scheme: '2.16.840.1.113883.2.9.3.3.6.1.3' })),
    authors: [author], referenceIds: [], documentAvailability: undefined,
    extraSlots: { 'urn:ita:2022:administrativeRequest': ['SSN^Regime SSN'] },
    hash: undefined, size: undefined, repositoryUniqueId: undefined,
  });
  const submissionSet = aSubmissionSet({
    uniqueId: `2.16.840.1.113883.2.9.2.120.4.3.${Date.now()}${submissions}` as UniqueId, patientId: SAMPLE_PATIENT, authors: [author],
    contentTypeCode: { code: 'CON', scheme: '2.16.840.1.113883.2.9.3.3.6.1.4', display: 'Consulto' },
  });
  const associations: Association[] = [anAssociation('HasMember', submissionSet.entryUuid, entry.entryUuid, { SubmissionSetStatus: ['Original'] })];
  if (options.replaces) associations.push(anAssociation('RPLC', entry.entryUuid, options.replaces));
  return { submissionSet, documents: [{ entry, bytes: options.bytes }], folders: [], associations };
}

export { newUuid };

/**
 * An ITI-57 update of `current`: the complete new version (new entryUUID, same lid) with `changes`, its SubmissionSet
 * and the HasMember carrying SubmissionSetStatus Original and PreviousVersion, as INI sends it (xds-ini digest 4.5).
 */
export function metadataUpdateOf(current: DocumentEntry, changes: Partial<DocumentEntry>): Submission {
  submissions += 1;
  const entry: DocumentEntry = { ...current, ...changes, entryUuid: newUuid(), logicalId: current.logicalId };
  const submissionSet = aSubmissionSet({
    uniqueId: `2.16.840.1.113883.2.9.2.120.4.3.${Date.now()}${submissions}` as UniqueId, patientId: current.patientId, authors: current.authors,
    contentTypeCode: { code: 'CON', scheme: '2.16.840.1.113883.2.9.3.3.6.1.4', display: 'Consulto' },
  });
  return {
    submissionSet, documents: [{ entry }], folders: [],
    associations: [anAssociation('HasMember', submissionSet.entryUuid, entry.entryUuid, { SubmissionSetStatus: ['Original'], PreviousVersion: [String(current.version)] })],
  };
}
