import type { DocumentEntry, Submission } from '../domain/xds.js';
import { registryError, type RegistryError } from '../errors/xds-codes.js';
import type { RegistryStore } from '../stores/registry-store.js';

/**
 * The IHE registry rules that need the registry: uniqueIds already taken (with the hash and size rule for
 * DocumentEntries), association ends outside the submission, and the targets of RPLC, APND, XFRM and XFRM_RPLC
 * (an Approved DocumentEntry of the same patient). See: xds-ini digest 4.2 (check table), 4.7, 9, 10 item 23.
 */
export interface RegistryCheckResult {
  readonly errors: RegistryError[];
  /** Every DocumentEntry, SubmissionSet and Folder is registered already, identical: a resubmission (INI retries). */
  readonly duplicate: boolean;
  /** The entry an RPLC (or XFRM_RPLC) of the submission replaces. */
  readonly replaced?: DocumentEntry;
}

const RELATING = new Set(['RPLC', 'APND', 'XFRM', 'XFRM_RPLC']);

export async function checkAgainstRegistry(submission: Submission, registry: RegistryStore): Promise<RegistryCheckResult> {
  const errors: RegistryError[] = [];
  const identical: string[] = [];
  for (const { entry } of submission.documents) {
    const existing = await registry.getDocumentEntry({ uniqueId: entry.uniqueId });
    if (!existing) continue;
    const hash = entry.hash?.toLowerCase();
    if (hash !== undefined && existing.hash !== undefined && hash !== existing.hash) {
      errors.push(registryError('XDSNonIdenticalHash', `DocumentEntry ${entry.uniqueId} is registered with hash ${existing.hash}, not ${hash}`, entry.uniqueId));
    } else if (entry.size !== undefined && existing.size !== undefined && entry.size !== existing.size) {
      errors.push(registryError('XDSNonIdenticalSize', `DocumentEntry ${entry.uniqueId} is registered with size ${existing.size}, not ${entry.size}`, entry.uniqueId));
    } else {
      identical.push(entry.uniqueId);
    }
  }
  const packages = [submission.submissionSet.uniqueId, ...submission.folders.map((f) => f.uniqueId)];
  const taken = await registry.packageUniqueIdsTaken(packages);
  const duplicate = errors.length === 0 && submission.documents.length > 0 && identical.length === submission.documents.length && taken.size === packages.length;
  if (duplicate) return { errors, duplicate };
  for (const id of [...identical, ...taken]) errors.push(registryError('XDSDuplicateUniqueIdInRegistry', `uniqueId ${id} is already registered`, id));

  const own = new Set<string>([submission.submissionSet.entryUuid, ...submission.documents.map((d) => d.entry.entryUuid),
    ...submission.folders.map((f) => f.entryUuid), ...submission.associations.map((a) => a.entryUuid)]);
  const outside = [...new Set(submission.associations.flatMap((a) => [a.sourceUuid, a.targetUuid]).filter((id) => !own.has(id)))];
  const kinds = outside.length > 0 ? await registry.objectKinds(outside) : new Map();
  for (const id of outside) {
    if (!kinds.has(id)) errors.push(registryError('UnresolvedReferenceException', `association end ${id} is neither in the submission nor in the registry`, id));
  }
  let replaced: DocumentEntry | undefined;
  const patient = submission.submissionSet.patientId;
  for (const a of submission.associations.filter((x) => RELATING.has(x.type) && !own.has(x.targetUuid))) {
    const [target] = await registry.getDocumentEntries([a.targetUuid]);
    if (!target) {
      if (kinds.has(a.targetUuid)) errors.push(registryError('XDSRegistryMetadataError', `${a.type} target ${a.targetUuid} is not a DocumentEntry`, a.targetUuid));
      continue;
    }
    if (target.status !== 'Approved') errors.push(registryError('XDSRegistryDeprecatedDocumentError', `${a.type} target ${target.uniqueId} is Deprecated`, target.uniqueId));
    else if (target.patientId !== patient) errors.push(registryError('XDSPatientIdDoesNotMatch', `${a.type} target ${target.uniqueId} belongs to another patient`, target.uniqueId));
    else if (a.type === 'RPLC' || a.type === 'XFRM_RPLC') replaced = target;
  }
  return { errors, duplicate: false, ...(replaced ? { replaced } : {}) };
}
