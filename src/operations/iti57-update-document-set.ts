import type pg from 'pg';
import type { CallerIdentity } from '../domain/caller.js';
import type { DocumentEntry, Submission } from '../domain/xds.js';
import { registryError, type RegistryError } from '../errors/xds-codes.js';
import type { RequestContext } from '../logging/context.js';
import { checkSubmission, type MetadataProfile } from '../metadata/submission-checks.js';
import { claimsOf, metadataFieldsOf, type RegionIdentity } from '../metadata/submission-to-gateway.js';
import type { RegistryStore } from '../stores/registry-store.js';
import { applyRegistryAction } from './index-locally.js';
import { regionalOnlyWarning, registryResponseOf, unknownNationally } from './gateway-outcome.js';
import { registryWrite } from './registry-write.js';
import { isFolderUpdate, updateFolders } from './iti57-folder-update.js';
import type { SubmitDeps } from './submit-operation.js';
import { METADATA_ITI_57, updateMetadata } from './gateway/metadata-update.js';
import { updateManyVersions } from './iti57-multi-version.js';
import type { RegistryResponse } from '../domain/registry-response.js';

/**
 * ITI-57 Update Document Set. A new version of a DocumentEntry is the REST metadata update (`PUT
 * /documents/{id}/metadata-iti-57`) through the pipeline, region-signed, and the registry records the producer's new
 * version once the Gateway takes it; status-only updates (UpdateAvailabilityStatus) have no national counterpart and
 * change the regional registry alone. The registry rules are checked first: lid and PreviousVersion, immutable
 * attributes, the patient, OriginalStatus. See: xds-ini digest 4.5, 10 item 11; IHE ITI TF-2b 3.57.4.1.3.
 */
export interface UpdateDocumentSetDeps extends SubmitDeps {
  readonly pool: pg.Pool;
  readonly registry: RegistryStore;
  readonly region: RegionIdentity;
  readonly profile: MetadataProfile;
  /** The affinity domain's patient id assigning authorities (`FSE_XDS_PATIENT_DOMAINS`); undefined: any. */
  readonly patientDomains?: readonly string[];
}

const SUPPORTED = new Set(['HasMember', 'UpdateAvailabilityStatus']);
const IMMUTABLE = ['uniqueId', 'hash', 'size', 'repositoryUniqueId', 'objectType'] as const;

async function versionErrors(submission: Submission, entry: DocumentEntry, registry: RegistryStore): Promise<RegistryError[]> {
  const where = entry.uniqueId;
  const current = await registry.getDocumentEntry({ uniqueId: entry.uniqueId });
  if (!current || current.logicalId !== entry.logicalId) {
    return [registryError('XDSMetadataUpdateError', `no DocumentEntry with logicalID ${entry.logicalId} and uniqueId ${entry.uniqueId}`, where)];
  }
  const member = submission.associations.find((a) => a.type === 'HasMember' && a.targetUuid === entry.entryUuid);
  const previous = Number(member?.slots.PreviousVersion?.[0]);
  if (!Number.isInteger(previous)) return [registryError('XDSMetadataUpdateError', `the HasMember of ${where} carries no PreviousVersion`, where)];
  if (previous !== current.version || current.status !== 'Approved') {
    return [registryError('XDSMetadataVersionError', `PreviousVersion ${previous} is not the latest Approved version of ${where} (${current.version}, ${current.status})`, where)];
  }
  if (entry.patientId !== current.patientId) return [registryError('XDSPatientIDReconciliationError', `the patientId of ${where} may not change`, where)];
  return IMMUTABLE.filter((k) => entry[k] !== undefined && entry[k] !== current[k])
    .map((k) => registryError('XDSMetadataUpdateError', `${k} of ${where} may not change (${String(current[k])} -> ${String(entry[k])})`, where));
}

async function statusErrors(submission: Submission, registry: RegistryStore): Promise<RegistryError[]> {
  const errors: RegistryError[] = [];
  for (const a of submission.associations) {
    if (!SUPPORTED.has(a.type)) errors.push(registryError('XDSMetadataUpdateOperationError', `${a.type} is not a supported update operation`, a.entryUuid));
    if (a.type !== 'UpdateAvailabilityStatus') continue;
    const kinds = await registry.objectKinds([a.targetUuid]);
    if (!kinds.has(a.targetUuid)) errors.push(registryError('UnresolvedReferenceException', `UpdateAvailabilityStatus target ${a.targetUuid} is not in the registry`, a.targetUuid));
  }
  return errors;
}

export async function updateDocumentSet(submission: Submission, caller: CallerIdentity, ctx: RequestContext, deps: UpdateDocumentSetDeps): Promise<RegistryResponse> {
  // Folders are regional only, their own file. See: iti57-folder-update.ts.
  if (await isFolderUpdate(submission, deps.registry)) return updateFolders(submission, deps);
  const errors = [...checkSubmission(submission, { transaction: 'iti57', profile: deps.profile, patientDomains: deps.patientDomains }), ...(await statusErrors(submission, deps.registry))];
  for (const { entry } of submission.documents) errors.push(...(await versionErrors(submission, entry, deps.registry)));
  if (errors.length > 0) return { status: 'Failure', errors };
  // Several new versions: all or nothing, one Gateway update each (see iti57-multi-version.ts).
  if (submission.documents.length > 1) return updateManyVersions(submission, caller, ctx, deps);
  const [document] = submission.documents;
  if (!document) return registryWrite(() => deps.registry.registerMetadataUpdate(submission));
  const { entry } = document;
  // A resubmission of the same new version (SubmissionSet and logicalID) is the same operation.
  const outcome = await updateMetadata(METADATA_ITI_57, {
    documentId: entry.uniqueId, targetId: entry.uniqueId, claims: claimsOf(entry, caller, deps.region, 'update'),
    requestBody: JSON.stringify(metadataFieldsOf(entry, submission.submissionSet)), trace: ctx,
    distinguishedBy: [submission.submissionSet.uniqueId, entry.logicalId], metadata: { kind: 'ebrim', submission },
  }, deps);
  if (unknownNationally(outcome)) {
    await applyRegistryAction({ kind: 'update', submission }, undefined, deps);
    return { status: 'Success', errors: [regionalOnlyWarning(entry.uniqueId, 'updated')] };
  }
  return registryResponseOf(outcome, entry.uniqueId, 'XDSRegistryError');
}
