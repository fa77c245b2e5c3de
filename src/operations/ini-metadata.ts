import type { EntryUuid, PatientId } from '../domain/ids.js';
import type { Submission } from '../domain/xds.js';
import { checkSubmission, type MetadataProfile } from '../metadata/submission-checks.js';
import type { AssistedPatientStore } from '../stores/assisted-patient-store.js';
import type { RegistryStore } from '../stores/registry-store.js';
import { DuplicateUniqueIdError, MetadataVersionError, UnresolvedReferenceError } from '../stores/store-errors.js';
import { registryWrite } from './registry-write.js';
import type { RegistryResponse } from '../domain/registry-response.js';

/**
 * INI's metadata messages to the region as RDA ("comunicazione metadati"): registrations (ITI-42, also of
 * replacements), updates (ITI-57) and deletions, for documents of the region's patients produced anywhere. They are
 * authoritative: they overwrite what the region indexed itself for the same documents, and they make the patient one
 * the region assists (INI sends a patient's metadata to the RDA only). Nothing goes to the Gateway: this is the
 * national flow arriving, not leaving. Retries by INI are idempotent. See: xds-ini digest 1.2, 1.4 F, 4.8, pitfall 23.
 */
export interface IniMetadataDeps {
  readonly registry: RegistryStore;
  readonly patients: AssistedPatientStore;
  readonly profile: MetadataProfile;
  /** The affinity domain's patient id assigning authorities (`FSE_XDS_PATIENT_DOMAINS`); undefined: any. */
  readonly patientDomains?: readonly string[];
}

async function assisting(submission: Submission, deps: IniMetadataDeps): Promise<void> {
  for (const id of new Set([submission.submissionSet.patientId, ...submission.documents.map((d) => d.entry.patientId)])) {
    await deps.patients.assign(id as PatientId, 'ini');
  }
}

/**
 * ITI-42 from INI. The region's own entries for the same documents (its own publication, when it is the patient's
 * RDA, carries the same DocumentEntry and SubmissionSet uniqueIds) give way to INI's copy; INI's retry of what the
 * registry holds is Success with nothing written; a SubmissionSet uniqueId held for other objects is still
 * XDSDuplicateUniqueIdInRegistry (see `overwriteWithAuthoritative`). See: xds-ini digest 1.2, 4.2, 4.8.
 */
export async function registerFromIni(submission: Submission, deps: IniMetadataDeps): Promise<RegistryResponse> {
  const errors = checkSubmission(submission, { transaction: 'iti42', profile: deps.profile, patientDomains: deps.patientDomains });
  if (errors.length > 0) return { status: 'Failure', errors };
  const written = await registryWrite(() => deps.registry.overwriteWithAuthoritative(submission));
  if (written.status === 'Success') await assisting(submission, deps);
  return written;
}

/**
 * ITI-57 from INI: a new version; when the region's versions disagree with INI's (another lineage, another latest
 * version) or the SubmissionSet uniqueId is taken (the region's own copy of the same update, when it is the
 * patient's RDA), INI's entry replaces them, as a register from INI does. See: xds-ini digest 1.2, 4.5, 4.8.
 */
export async function updateFromIni(submission: Submission, deps: IniMetadataDeps): Promise<RegistryResponse> {
  const errors = checkSubmission(submission, { transaction: 'iti57', profile: deps.profile, patientDomains: deps.patientDomains });
  if (errors.length > 0) return { status: 'Failure', errors };
  if (submission.documents.length > 0 && (await deps.registry.getDocumentEntries(submission.documents.map((d) => d.entry.entryUuid))).length > 0) {
    return { status: 'Success', errors: [] };
  }
  const rebased = (err: unknown) => err instanceof MetadataVersionError || err instanceof UnresolvedReferenceError || err instanceof DuplicateUniqueIdError;
  const written = await registryWrite(() => deps.registry.registerMetadataUpdate(submission).catch((err: unknown) => {
    if (rebased(err)) return deps.registry.overwriteWithAuthoritative(submission);
    throw err;
  }));
  if (written.status === 'Success') await assisting(submission, deps);
  return written;
}

/** INI's delete: the listed DocumentEntries with their associations; ids the region never had are already gone. */
export async function deleteFromIni(uuids: readonly EntryUuid[], deps: IniMetadataDeps): Promise<RegistryResponse> {
  const present = await deps.registry.objectKinds(uuids);
  const known = uuids.filter((u) => present.has(u));
  if (known.length === 0) return { status: 'Success', errors: [] };
  return registryWrite(() => deps.registry.removeObjects(known, true));
}
