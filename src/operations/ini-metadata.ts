import type { EntryUuid, PatientId } from '../domain/ids.js';
import type { Submission } from '../domain/xds.js';
import { checkSubmission, type MetadataProfile } from '../metadata/submission-checks.js';
import type { AssistedPatientStore } from '../stores/assisted-patient-store.js';
import type { RegistryStore } from '../stores/registry-store.js';
import { MetadataVersionError, UnresolvedReferenceError } from '../stores/store-errors.js';
import { checkAgainstRegistry } from './registry-checks.js';
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
}

async function assisting(submission: Submission, deps: IniMetadataDeps): Promise<void> {
  for (const id of new Set([submission.submissionSet.patientId, ...submission.documents.map((d) => d.entry.patientId)])) {
    await deps.patients.assign(id as PatientId, 'ini');
  }
}

export async function registerFromIni(submission: Submission, deps: IniMetadataDeps): Promise<RegistryResponse> {
  const errors = checkSubmission(submission, { transaction: 'iti42', profile: deps.profile });
  if (errors.length > 0) return { status: 'Failure', errors };
  const checked = await checkAgainstRegistry(submission, deps.registry);
  if (checked.duplicate) return { status: 'Success', errors: [] };
  const written = await registryWrite(() => deps.registry.overwriteWithAuthoritative(submission));
  if (written.status === 'Success') await assisting(submission, deps);
  return written;
}

/** ITI-57 from INI: a new version; when the region's versions disagree with INI's, INI's entry replaces them. */
export async function updateFromIni(submission: Submission, deps: IniMetadataDeps): Promise<RegistryResponse> {
  const errors = checkSubmission(submission, { transaction: 'iti57', profile: deps.profile });
  if (errors.length > 0) return { status: 'Failure', errors };
  if (submission.documents.length > 0 && (await deps.registry.getDocumentEntries(submission.documents.map((d) => d.entry.entryUuid))).length > 0) {
    return { status: 'Success', errors: [] };
  }
  const rebased = (err: unknown) => err instanceof MetadataVersionError || err instanceof UnresolvedReferenceError;
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
