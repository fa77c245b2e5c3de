import { FISCAL_CODE_OID } from '../domain/ids.js';
import type { Association, DocumentEntry, Submission } from '../domain/xds.js';
import { registryError, type RegistryError, type XdsErrorCode } from '../errors/xds-codes.js';
import { isValidFiscalCode } from '../jwt/fiscal-code.js';
import { xdsValueSets, type XdsValueSets } from '../mappings/xds-value-sets.js';
import { valueSets, type ValueSets } from '../mappings/value-sets.js';
import { checkItalianDocumentEntry, checkItalianSubmissionSet } from './italian-checks.js';

/**
 * Metadata validation of a register-type submission (ITI-41, ITI-42, ITI-57), before anything is stored: IHE's
 * rules always, the Italian Affinity Domain's value sets and slots under the `italian` profile. Every problem is
 * reported (a registry answers with the whole list), each with the XDS error code IHE assigns. Checks that need the
 * registry (duplicates, association targets) are the operations'. See: xds-ini digest 4.1, 4.2 (check table), 6, 9;
 * IHE ITI TF-3 4.1.
 */
export type MetadataProfile = 'italian' | 'ihe';

export interface SubmissionCheckOptions {
  readonly transaction: 'iti41' | 'iti42' | 'iti57';
  readonly profile: MetadataProfile;
  /** The affinity domain's patient id assigning authorities (OIDs); undefined: any domain. */
  readonly patientDomains?: readonly string[];
  readonly xdsValueSets?: XdsValueSets;
  readonly valueSets?: ValueSets;
}

/** DTM: YYYY[MM[DD[hh[mm[ss]]]]], UTC, no zone. See: xds-ini digest 3.7. */
const DTM = /^\d{4}(\d{2}(\d{2}(\d{2}(\d{2}(\d{2})?)?)?)?)?$/;
const OID = /^[0-2](\.(0|[1-9]\d*))+$/;
/**
 * An OID as IHE registries accept it: arcs of digits without leading zeros, at most 64 characters. IHE's data type
 * is "an ISO OID" but its Connectathon tools use roots outside ISO's first arc (the NIST toolkit's sourceId
 * `129.6.58.92.1.1`), and every IHE registry takes them. See: IHE ITI TF-3 4.2.3.1.7 (OID), Table 4.2.3.3-1.
 */
export const IHE_OID = /^(0|[1-9]\d*)(\.(0|[1-9]\d*))+$/;
const isOid = (value: string, profile: MetadataProfile): boolean =>
  profile === 'ihe' ? value.length <= 64 && IHE_OID.test(value) : OID.test(value);

/** An XDSRegistryMetadataError (or the code given) about `location`. */
export const registryMetadataError = (codeContext: string, location?: string, code: XdsErrorCode = 'XDSRegistryMetadataError'): RegistryError =>
  registryError(code, codeContext, location);

function checkDtm(errors: RegistryError[], value: string | undefined, what: string, location: string, required: boolean): void {
  if (value === undefined) {
    if (required) errors.push(registryMetadataError(`${what} is required`, location));
    return;
  }
  if (!DTM.test(value)) errors.push(registryMetadataError(`${what} '${value}' is not a DTM (YYYY[MM[DD[hh[mm[ss]]]]], UTC)`, location));
}

function checkEntry(errors: RegistryError[], entry: DocumentEntry, options: SubmissionCheckOptions): void {
  const where = entry.uniqueId;
  checkDtm(errors, entry.creationTime, 'creationTime', where, true);
  checkDtm(errors, entry.serviceStartTime, 'serviceStartTime', where, false);
  checkDtm(errors, entry.serviceStopTime, 'serviceStopTime', where, false);
  if (entry.languageCode === undefined) errors.push(registryMetadataError('languageCode is required', where));
  if (entry.sourcePatientId === undefined) errors.push(registryMetadataError('sourcePatientId is required', where));
  if (options.transaction === 'iti42') {
    // A registry receives hash, size and repositoryUniqueId from the repository. See: xds-ini digest 3.3 (Opt 42).
    if (entry.hash === undefined) errors.push(registryMetadataError('hash is required in a Register Document Set', where));
    if (entry.size === undefined) errors.push(registryMetadataError('size is required in a Register Document Set', where));
    if (entry.repositoryUniqueId === undefined) errors.push(registryMetadataError('repositoryUniqueId is required in a Register Document Set', where));
  }
  if (entry.hash !== undefined && !/^[0-9a-fA-F]{40}$/.test(entry.hash)) {
    errors.push(registryMetadataError(`hash '${entry.hash}' is not a SHA-1 in hex`, where, options.transaction === 'iti41' ? 'XDSRepositoryMetadataError' : 'XDSRegistryMetadataError'));
  }
  if (entry.confidentialityCodes.length === 0) errors.push(registryMetadataError('at least one confidentialityCode is required', where));
}

function checkPatients(errors: RegistryError[], submission: Submission, options: SubmissionCheckOptions): void {
  const patient = submission.submissionSet.patientId;
  for (const { entry } of submission.documents) {
    if (entry.patientId !== patient) {
      errors.push(registryMetadataError(`DocumentEntry ${entry.uniqueId} patientId ${entry.patientId} differs from the SubmissionSet's ${patient}`, entry.uniqueId, 'XDSPatientIdDoesNotMatch'));
    }
  }
  for (const folder of submission.folders) {
    if (folder.patientId !== patient) {
      errors.push(registryMetadataError(`Folder ${folder.uniqueId} patientId ${folder.patientId} differs from the SubmissionSet's ${patient}`, folder.uniqueId, 'XDSPatientIdDoesNotMatch'));
    }
  }
  const [cf, authority] = [patient.split('^')[0] ?? '', patient.split('&')[1]];
  // An affinity domain names its patient identity domains; a patient id of another is unknown to it. See: IHE ITI
  // TF-3 4.2.3.1.4 (patientId in the affinity domain's patient identity domain), 4.2.4 (XDSUnknownPatientId).
  if (options.patientDomains !== undefined && !options.patientDomains.includes(authority ?? '')) {
    errors.push(registryMetadataError(`patientId ${patient} is not of the affinity domain's patient identity domains (${options.patientDomains.join(', ')})`, patient, 'XDSUnknownPatientId'));
  }
  // The fiscal code is checked when the MEF is its assigning authority, as the Gateway does. See: xds-ini digest 6.2.
  if (options.profile === 'italian' && authority === FISCAL_CODE_OID && !isValidFiscalCode(cf, { allowSpecial: true })) {
    errors.push(registryMetadataError(`patientId ${patient} does not hold a valid codice fiscale`, patient, 'XDSUnknownPatientId'));
  }
}

function checkUniqueIds(errors: RegistryError[], submission: Submission, options: SubmissionCheckOptions): void {
  const seen = new Set<string>();
  const code: XdsErrorCode = options.transaction === 'iti41' ? 'XDSRepositoryDuplicateUniqueIdInMessage' : 'XDSRegistryDuplicateUniqueIdInMessage';
  const ids = [submission.submissionSet.uniqueId, ...submission.documents.map((d) => d.entry.uniqueId), ...submission.folders.map((f) => f.uniqueId)];
  for (const id of ids) {
    if (seen.has(id)) errors.push(registryMetadataError(`uniqueId ${id} appears more than once in the message`, id, code));
    seen.add(id);
  }
}

/** Membership and the ends of the submission's own associations. See: IHE ITI TF-3 4.2.2. */
function checkAssociations(errors: RegistryError[], submission: Submission): void {
  const ssId = submission.submissionSet.entryUuid;
  const entries = new Set<string>(submission.documents.map((d) => d.entry.entryUuid));
  const folders = new Set<string>(submission.folders.map((f) => f.entryUuid));
  const isMember = (id: string) => submission.associations.some((a: Association) => a.type === 'HasMember' && a.sourceUuid === ssId && a.targetUuid === id);
  for (const { entry } of submission.documents) {
    if (!isMember(entry.entryUuid)) errors.push(registryMetadataError(`DocumentEntry ${entry.uniqueId} is not a member (HasMember) of the SubmissionSet`, entry.uniqueId));
  }
  for (const folder of submission.folders) {
    if (!isMember(folder.entryUuid)) errors.push(registryMetadataError(`Folder ${folder.uniqueId} is not a member (HasMember) of the SubmissionSet`, folder.uniqueId));
  }
  for (const a of submission.associations) {
    if (a.type === 'HasMember' && a.sourceUuid !== ssId && !folders.has(a.sourceUuid)) {
      errors.push(registryMetadataError(`HasMember ${a.entryUuid} must start at the SubmissionSet or a Folder of the submission`, a.entryUuid));
    }
    if (['RPLC', 'APND', 'XFRM', 'XFRM_RPLC', 'signs'].includes(a.type) && !entries.has(a.sourceUuid)) {
      errors.push(registryMetadataError(`${a.type} ${a.entryUuid} must start at a DocumentEntry of the submission`, a.entryUuid));
    }
    if (a.type === 'HasMember' && a.sourceUuid === ssId && (entries.has(a.targetUuid) || folders.has(a.targetUuid)) && a.slots.SubmissionSetStatus?.[0] === 'Reference') {
      errors.push(registryMetadataError(`HasMember ${a.entryUuid} marks an object of this submission as Reference`, a.entryUuid));
    }
  }
}

/** Every metadata problem of a submission (empty when it may go on). */
export function checkSubmission(submission: Submission, options: SubmissionCheckOptions): RegistryError[] {
  const errors: RegistryError[] = [];
  const ss = submission.submissionSet;
  checkDtm(errors, ss.submissionTime, 'submissionTime', ss.uniqueId, true);
  if (!isOid(ss.sourceId, options.profile)) errors.push(registryMetadataError(`SubmissionSet sourceId '${ss.sourceId}' is not an OID`, ss.uniqueId));
  for (const { entry } of submission.documents) checkEntry(errors, entry, options);
  checkPatients(errors, submission, options);
  checkUniqueIds(errors, submission, options);
  checkAssociations(errors, submission);
  if (options.profile === 'italian') {
    const xds = options.xdsValueSets ?? xdsValueSets();
    const sets = options.valueSets ?? valueSets();
    errors.push(...checkItalianSubmissionSet(ss, xds));
    for (const { entry } of submission.documents) errors.push(...checkItalianDocumentEntry(entry, options.transaction, xds, sets));
  }
  return errors;
}
