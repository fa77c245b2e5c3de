import type { CallerIdentity } from '../domain/caller.js';
import type { Submission } from '../domain/xds.js';
import { registryError, type RegistryError } from '../errors/xds-codes.js';
import type { RequestContext } from '../logging/context.js';
import { checkSubmission, type MetadataProfile } from '../metadata/submission-checks.js';
import { gatewayRequestOf, type RegionIdentity } from '../metadata/submission-to-gateway.js';
import { extractCda } from '../pdf/cda-extractor.js';
import type { RegistryStore } from '../stores/registry-store.js';
import { registryResponseOf } from './gateway-outcome.js';
import { checkAgainstRegistry } from './registry-checks.js';
import { provideAndRegisterRegionally, type RegionalProvideDeps } from './iti41-regional.js';
import { withDigest } from './repository-digest.js';
import { provideAndRegisterMany, type MultiDocumentDeps } from './iti41-multi-document.js';
import type { SubmitDeps } from './submit-operation.js';
import { validateAndCreate, validateAndCreateId } from './gateway/validate-and-create.js';
import { validateAndReplace, validateAndReplaceId } from './gateway/validate-and-replace.js';
import type { RegistryResponse } from '../domain/registry-response.js';

/**
 * ITI-41 Provide and Register as an operation of the pipeline: the same path as REST validate-and-create (or
 * validate-and-replace for an RPLC). The repository computes hash and size and refuses values that disagree; the
 * metadata is checked by IHE's and the Affinity Domain's rules and against the registry; then the submission becomes
 * a Gateway call signed by the region, stored, queued and forwarded, and the registry records the producer's ebRIM
 * once the Gateway takes it. See: xds-ini digest 1.4 A, 4.1, 4.2, 8.3; Gateway API digest 3.7, 3.8.
 */
export interface ProvideAndRegisterRequest {
  /** The decoded submission; every DocumentEntry carries its document's bytes. */
  readonly submission: Submission;
  readonly caller: CallerIdentity;
  readonly ctx: RequestContext;
}

export interface ProvideAndRegisterDeps extends SubmitDeps, MultiDocumentDeps, RegionalProvideDeps {
  readonly registry: RegistryStore;
  readonly region: RegionIdentity;
  readonly profile: MetadataProfile;
  /** The affinity domain's patient id assigning authorities (`FSE_XDS_PATIENT_DOMAINS`); undefined: any. */
  readonly patientDomains?: readonly string[];
}

const failure = (errors: RegistryError[]): RegistryResponse => ({ status: 'Failure', errors });

export async function provideAndRegister(request: ProvideAndRegisterRequest, deps: ProvideAndRegisterDeps): Promise<RegistryResponse> {
  const { submission, caller, ctx } = request;
  // The ihe profile's test beds publish nothing nationally: the region's own repository and registry. See there.
  if (deps.profile === 'ihe') return provideAndRegisterRegionally(submission, deps);
  const [document, ...more] = submission.documents;
  // Several documents: all or nothing, one Gateway publication each (see iti41-multi-document.ts).
  if (document && more.length > 0) return provideAndRegisterMany(request, deps);
  if (!document) return failure([registryError('XDSRepositoryMetadataError', 'the submission carries no document')]);
  const bytes = document.bytes ?? new Uint8Array();
  const { entry, errors: digestErrors } = withDigest(document.entry, bytes, deps.region.repositoryUniqueId);
  const stored: Submission = { ...submission, documents: [{ entry }] };
  const errors = [...digestErrors, ...checkSubmission(stored, { transaction: 'iti41', profile: deps.profile, patientDomains: deps.patientDomains })];
  if (errors.length > 0) return failure(errors);

  // A resubmission of an operation already taken is answered from it; anything else meets the registry's rules.
  const named = await replacedUniqueId(stored, deps.registry);
  const key = { documentId: entry.uniqueId, pdf: bytes };
  const existing = await deps.operations.get(named === undefined ? validateAndCreateId(key) : validateAndReplaceId({ ...key, targetId: named }));
  let replacedId = existing?.targetId;
  if (!existing) {
    const checked = await checkAgainstRegistry(stored, deps.registry);
    if (checked.errors.length > 0) return failure(checked.errors);
    if (checked.duplicate) return { status: 'Success', errors: [] };
    replacedId = checked.replaced?.uniqueId;
  }
  const parts = gatewayRequestOf(stored, entry, caller, deps.region, replacedId === undefined ? 'create' : 'replace');
  const mode = await extractCda(bytes).then((e) => e.mode, () => undefined);
  const call = {
    documentId: entry.uniqueId, claims: parts.claims, requestBody: JSON.stringify(mode ? { ...parts.body, mode } : parts.body), pdf: bytes,
    trace: ctx, metadata: { kind: 'ebrim', submission: stored },
  } as const;
  const outcome = replacedId === undefined ? await validateAndCreate(call, deps) : await validateAndReplace({ ...call, targetId: replacedId }, deps);
  return registryResponseOf(outcome, entry.uniqueId, 'XDSRepositoryError');
}

/**
 * The uniqueId of the registered entry the submission's RPLC (or XFRM_RPLC) names, whatever its status, so that a
 * resubmission finds the operation it repeats (once indexed, that entry is Deprecated). The registry's rules decide
 * later whether it may be replaced.
 */
async function replacedUniqueId(submission: Submission, registry: RegistryStore): Promise<string | undefined> {
  const own = new Set(submission.documents.map((d) => d.entry.entryUuid));
  const rplc = submission.associations.find((a) => (a.type === 'RPLC' || a.type === 'XFRM_RPLC') && !own.has(a.targetUuid));
  if (!rplc) return undefined;
  const [target] = await registry.getDocumentEntries([rplc.targetUuid]);
  return target?.uniqueId;
}
