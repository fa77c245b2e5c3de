import type pg from 'pg';
import type { Submission } from '../domain/xds.js';
import type { RegistryResponse } from '../domain/registry-response.js';
import { registryError, type RegistryError } from '../errors/xds-codes.js';
import { checkSubmission, type MetadataProfile } from '../metadata/submission-checks.js';
import { writeFolderUpdate } from '../stores/folder-update-writer.js';
import type { RegistryStore } from '../stores/registry-store.js';
import { storeTransaction } from '../stores/store-transaction.js';
import { registryWrite } from './registry-write.js';

/**
 * ITI-57 Folder updates: a new Folder version (SubmissionSet HasMember with PreviousVersion), a Folder's status
 * (UpdateAvailabilityStatus), an existing DocumentEntry added to an existing Folder (HasMember Folder ->
 * DocumentEntry) and one taken out (UpdateAvailabilityStatus Deprecated on that HasMember). Folders have no national
 * counterpart: INI and the Gateway do not use them ("support them for IHE completeness", xds-ini digest 3.2, Folder),
 * so these are regional registry changes only, written in one transaction (`stores/folder-update-writer.ts`), never
 * sent to the Gateway. See: IHE ITI TF-2b 3.57.4.1.3.3 (the Folder and Association operations of the metadata update).
 */
export interface FolderUpdateDeps {
  readonly pool: pg.Pool;
  readonly registry: RegistryStore;
  readonly profile: MetadataProfile;
  /** The affinity domain's patient id assigning authorities (`FSE_XDS_PATIENT_DOMAINS`); undefined: any. */
  readonly patientDomains?: readonly string[];
}

const SUPPORTED = new Set(['HasMember', 'UpdateAvailabilityStatus']);

/**
 * Whether an ITI-57 is a Folder update: no DocumentEntry, and a Folder, a membership HasMember (not from the
 * SubmissionSet) or a status change of a Folder or an Association.
 */
export async function isFolderUpdate(submission: Submission, registry: RegistryStore): Promise<boolean> {
  if (submission.documents.length > 0) return false;
  if (submission.folders.length > 0) return true;
  const ss = submission.submissionSet.entryUuid;
  if (submission.associations.some((a) => a.type === 'HasMember' && a.sourceUuid !== ss)) return true;
  const targets = submission.associations.filter((a) => a.type === 'UpdateAvailabilityStatus').map((a) => a.targetUuid);
  if (targets.length === 0) return false;
  const kinds = await registry.objectKinds(targets);
  return [...kinds.values()].some((k) => k === 'Folder' || k === 'Association');
}

export async function updateFolders(submission: Submission, deps: FolderUpdateDeps): Promise<RegistryResponse> {
  const ss = submission.submissionSet.entryUuid;
  const inSubmission = new Set<string>(submission.folders.map((f) => f.entryUuid));
  // Memberships from registered Folders are the writer's to check (against the registry); the rest as any ITI-57.
  const own = { ...submission, associations: submission.associations.filter((a) => a.type !== 'HasMember' || a.sourceUuid === ss || inSubmission.has(a.sourceUuid)) };
  const errors: RegistryError[] = checkSubmission(own, { transaction: 'iti57', profile: deps.profile, patientDomains: deps.patientDomains });
  for (const a of submission.associations) {
    if (!SUPPORTED.has(a.type)) errors.push(registryError('XDSMetadataUpdateOperationError', `${a.type} is not a supported Folder update operation`, a.entryUuid));
  }
  if (errors.length > 0) return { status: 'Failure', errors };
  return registryWrite(() => storeTransaction(deps.pool, (client) => writeFolderUpdate(client, submission)));
}
