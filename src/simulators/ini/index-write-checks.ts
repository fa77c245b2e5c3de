import type { EntryUuid } from '../../domain/ids.js';
import type { Association, DocumentEntry, Submission } from '../../domain/xds.js';
import { registryError, type RegistryError, type XdsErrorCode } from '../../errors/xds-codes.js';
import { SLOT } from '../../metadata/vocabulary.js';
import type { IniIndexView, Planned } from './ini-index-view.js';

/**
 * The checks INI applies to an ITI-42 and an ITI-57 before indexing them, and the objects as INI stores and forwards
 * them (status Approved, versions set, the replaced or previous version to deprecate). INI treats a duplicate
 * uniqueId as an error; only a full resend of identical documents (same uniqueId and hash) is idempotent.
 * SubmissionSet uniqueIds are not checked for duplicates: the Gateway sends the producer's `identificativoSottomissione`,
 * which producers reuse across a publication and its metadata updates. See: xds-ini digest 4.2 (checks and effects),
 * 4.5 (Metadata Update rules), 4.8, 9, Appendix B item 4, pitfall 23.
 */

/** A write INI will index: the normalised submission and the entries it deprecates. */
export interface WritePlan {
  readonly kind: 'register' | 'update';
  readonly submission: Submission;
  readonly deprecate: readonly EntryUuid[];
  /** The patient of the submission, whose RDA is told. */
  readonly patientId: string;
}

const REPLACING = new Set<Association['type']>(['RPLC', 'XFRM_RPLC']);
const RELATING = new Set<Association['type']>(['RPLC', 'XFRM_RPLC', 'XFRM', 'APND']);

const err = (code: XdsErrorCode, codeContext: string, location?: string): RegistryError => registryError(code, codeContext, location);
const refused = (errors: RegistryError[]): Planned<WritePlan> => ({ kind: 'errors', errors });

const sameHash = (a: DocumentEntry, b: DocumentEntry): boolean =>
  a.hash !== undefined && b.hash !== undefined && a.hash.toLowerCase() === b.hash.toLowerCase()
  && (a.size === undefined || b.size === undefined || a.size === b.size);

/** Patient ids and HasMember membership, common to both writes. */
function structureErrors(submission: Submission): RegistryError[] {
  const ss = submission.submissionSet;
  const errors: RegistryError[] = [];
  for (const { entry } of submission.documents) {
    if (entry.patientId !== ss.patientId) {
      errors.push(err('XDSPatientIdDoesNotMatch', `DocumentEntry ${entry.uniqueId}: patientId ${entry.patientId} differs from the SubmissionSet's ${ss.patientId}`, entry.uniqueId));
    }
    const member = submission.associations.some((a) => a.type === 'HasMember' && a.sourceUuid === ss.entryUuid && a.targetUuid === entry.entryUuid);
    if (!member) errors.push(err('XDSRegistryMetadataError', `DocumentEntry ${entry.uniqueId} is not a member (HasMember) of the SubmissionSet`, entry.uniqueId));
  }
  const seen = new Set<string>();
  for (const { entry } of submission.documents) {
    if (seen.has(entry.uniqueId)) errors.push(err('XDSRegistryDuplicateUniqueIdInMessage', `uniqueId ${entry.uniqueId} twice in the message`, entry.uniqueId));
    seen.add(entry.uniqueId);
  }
  return errors;
}

const approved = <T extends { readonly status: string }>(o: T): T => ({ ...o, status: 'Approved' });

/** ITI-42: new documents (version 1), RPLC/XFRM_RPLC deprecating their Approved target. */
export function planRegister(submission: Submission, index: IniIndexView): Planned<WritePlan> {
  const errors = structureErrors(submission);
  if (submission.documents.length === 0) errors.push(err('XDSRegistryMetadataError', 'the submission carries no DocumentEntry'));
  const duplicates = submission.documents.filter(({ entry }) => index.versionsOf(entry.uniqueId).length > 0);
  const identical = duplicates.filter(({ entry }) => {
    const known = index.versionsOf(entry.uniqueId)[0];
    return known !== undefined && sameHash(known, entry);
  });
  if (errors.length === 0 && duplicates.length > 0 && identical.length === submission.documents.length) return { kind: 'already' };
  for (const { entry } of duplicates) {
    errors.push(err('XDSDuplicateUniqueIdInRegistry', `uniqueId ${entry.uniqueId} is already indexed on INI`, entry.uniqueId));
  }
  const deprecate: EntryUuid[] = [];
  for (const a of submission.associations.filter((x) => RELATING.has(x.type))) {
    const target = index.entry(a.targetUuid);
    const source = submission.documents.find(({ entry }) => entry.entryUuid === a.sourceUuid)?.entry;
    if (!target) {
      errors.push(err(REPLACING.has(a.type) ? 'XDSReplaceFailed' : 'XDSRegistryMetadataError', `${a.type} target ${a.targetUuid} is not in the INI index`, a.targetUuid));
    } else if (target.status !== 'Approved') {
      errors.push(err('XDSRegistryDeprecatedDocumentError', `${a.type} target ${target.uniqueId} is Deprecated`, target.uniqueId));
    } else if (source && source.patientId !== target.patientId) {
      errors.push(err('XDSPatientIdDoesNotMatch', `${a.type} target ${target.uniqueId} belongs to another patient`, target.uniqueId));
    } else if (REPLACING.has(a.type)) {
      deprecate.push(target.entryUuid);
    }
  }
  if (errors.length > 0) return refused(errors);
  const normalised: Submission = {
    ...submission,
    submissionSet: approved(submission.submissionSet),
    documents: submission.documents.map(({ entry }) => ({ entry: { ...entry, version: 1, status: 'Approved', logicalId: entry.entryUuid } })),
    associations: submission.associations.map(approved),
  };
  return { kind: 'plan', plan: { kind: 'register', submission: normalised, deprecate, patientId: submission.submissionSet.patientId } };
}

/** ITI-57: a new version of each DocumentEntry, named by `lid`, with `PreviousVersion` = the Approved version. */
export function planUpdate(submission: Submission, index: IniIndexView): Planned<WritePlan> {
  const errors = structureErrors(submission);
  if (submission.documents.length === 0) {
    // Status-only updates (UpdateAvailabilityStatus) are not simulated. See: xds-ini digest 4.5.
    return refused([...errors, err('XDSMetadataUpdateOperationError', 'only DocumentEntry metadata updates are supported by the INI simulator')]);
  }
  const deprecate: EntryUuid[] = [];
  const documents: { entry: DocumentEntry }[] = [];
  for (const { entry } of submission.documents) {
    const current = index.versionsOfLogicalId(entry.logicalId).find((e) => e.status === 'Approved');
    const hasMember = submission.associations.find((a) => a.type === 'HasMember' && a.targetUuid === entry.entryUuid);
    const previous = hasMember?.slots[SLOT.previousVersion]?.[0];
    const where = entry.uniqueId;
    if (entry.logicalId === entry.entryUuid || !current) {
      errors.push(err('XDSMetadataUpdateError', `no Approved DocumentEntry with logicalID ${entry.logicalId}`, where));
    } else if (previous === undefined) {
      errors.push(err('XDSMetadataUpdateError', 'the HasMember association carries no PreviousVersion', where));
    } else if (previous.trim() !== String(current.version)) {
      errors.push(err('XDSMetadataVersionError', `PreviousVersion ${previous} is not the Approved version ${current.version}`, where));
    } else if (entry.patientId !== current.patientId) {
      errors.push(err('XDSPatientIDReconciliationError', `patientId cannot change (${current.patientId})`, where));
    } else if (entry.uniqueId !== current.uniqueId || entry.repositoryUniqueId !== current.repositoryUniqueId
      || !sameHash(current, entry) || entry.objectType !== current.objectType) {
      errors.push(err('XDSMetadataUpdateError', 'uniqueId, hash, size, repositoryUniqueId and objectType cannot change', where));
    } else {
      deprecate.push(current.entryUuid);
      documents.push({ entry: { ...entry, version: current.version + 1, status: 'Approved' } });
    }
  }
  if (errors.length > 0) return refused(errors);
  const normalised: Submission = {
    ...submission, submissionSet: approved(submission.submissionSet), documents, associations: submission.associations.map(approved),
  };
  return { kind: 'plan', plan: { kind: 'update', submission: normalised, deprecate, patientId: submission.submissionSet.patientId } };
}
