import { createHash } from 'node:crypto';
import type { CallerIdentity } from '../domain/caller.js';
import type { RepositoryUniqueId } from '../domain/ids.js';
import type { DocumentEntry, Submission } from '../domain/xds.js';
import { registryError, type RegistryError } from '../errors/xds-codes.js';
import { GATEWAY_PATHS } from '../gateway/gateway-paths.js';
import type { RequestContext } from '../logging/context.js';
import { checkSubmission, type MetadataProfile } from '../metadata/submission-checks.js';
import { gatewayRequestOf, type RegionIdentity } from '../metadata/submission-to-gateway.js';
import { extractCda } from '../pdf/cda-extractor.js';
import { digestOf } from '../stores/repository-store.js';
import type { NewOperation } from '../stores/operation-store.js';
import type { RegistryStore } from '../stores/registry-store.js';
import { registryResponseOf } from './gateway-outcome.js';
import { checkAgainstRegistry } from './registry-checks.js';
import { submitOperation, type SubmitDeps } from './submit-operation.js';
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

export interface ProvideAndRegisterDeps extends SubmitDeps {
  readonly registry: RegistryStore;
  readonly region: RegionIdentity;
  readonly profile: MetadataProfile;
}

const failure = (errors: RegistryError[]): RegistryResponse => ({ status: 'Failure', errors });

/** Sets the repository's hash, size and repositoryUniqueId, refusing submitted values that disagree. See: digest 4.1 step 2. */
function withDigest(entry: DocumentEntry, bytes: Uint8Array, repositoryUniqueId: string): { entry: DocumentEntry; errors: RegistryError[] } {
  const digest = digestOf(bytes);
  const errors: RegistryError[] = [];
  if (entry.hash !== undefined && entry.hash.toLowerCase() !== digest.hash) {
    errors.push(registryError('XDSRepositoryMetadataError', `hash ${entry.hash} of ${entry.uniqueId} does not match the document (${digest.hash})`, entry.uniqueId));
  }
  if (entry.size !== undefined && entry.size !== digest.size) {
    errors.push(registryError('XDSRepositoryMetadataError', `size ${entry.size} of ${entry.uniqueId} does not match the document (${digest.size} bytes)`, entry.uniqueId));
  }
  return { entry: { ...entry, ...digest, repositoryUniqueId: repositoryUniqueId as RepositoryUniqueId }, errors };
}

export async function provideAndRegister(request: ProvideAndRegisterRequest, deps: ProvideAndRegisterDeps): Promise<RegistryResponse> {
  const { submission, caller, ctx } = request;
  const [document, ...more] = submission.documents;
  if (!document || more.length > 0) {
    // The national Gateway publishes one PDF per call, each with its own SubmissionSet uniqueId. See: digest 8.3.
    return failure([registryError('XDSRepositoryMetadataError', `FSE 2.0 publishes one document per submission; this one carries ${submission.documents.length}`)]);
  }
  const bytes = document.bytes ?? new Uint8Array();
  const { entry, errors: digestErrors } = withDigest(document.entry, bytes, deps.region.repositoryUniqueId);
  const stored: Submission = { ...submission, documents: [{ entry }] };
  const errors = [...digestErrors, ...checkSubmission(stored, { transaction: 'iti41', profile: deps.profile })];
  if (errors.length > 0) return failure(errors);

  const pdfHash = createHash('sha256').update(bytes).digest('hex');
  const id = createHash('sha256').update(`iti41\0${entry.uniqueId}\0${submission.submissionSet.uniqueId}\0${pdfHash}`).digest('hex');
  const existing = (await deps.operations.get(`validate-and-create:${id}`)) ?? (await deps.operations.get(`validate-and-replace:${id}`));
  let kind = existing?.kind;
  let replacedId = existing?.targetId;
  if (!existing) {
    // A resubmission of an operation already taken is answered from it; anything else meets the registry's rules.
    const checked = await checkAgainstRegistry(stored, deps.registry);
    if (checked.errors.length > 0) return failure(checked.errors);
    if (checked.duplicate) return { status: 'Success', errors: [] };
    kind = checked.replaced ? 'validate-and-replace' : 'validate-and-create';
    replacedId = checked.replaced?.uniqueId;
  }
  const operation = kind === 'validate-and-replace' ? 'replace' : 'create';
  const parts = gatewayRequestOf(stored, entry, caller, deps.region, operation);
  const mode = await extractCda(bytes).then((e) => e.mode, () => undefined);
  const op: NewOperation = {
    id: `${kind ?? 'validate-and-create'}:${id}`,
    kind: kind ?? 'validate-and-create',
    documentId: entry.uniqueId,
    targetId: replacedId,
    method: replacedId ? 'PUT' : 'POST',
    path: replacedId ? GATEWAY_PATHS.validateAndReplace(replacedId) : GATEWAY_PATHS.validateAndCreate(),
    tokens: { authorization: '', signature: '' },
    claims: parts.claims,
    requestBody: JSON.stringify(mode ? { ...parts.body, mode } : parts.body),
    pdf: bytes,
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    signing: 'region',
    registryAction: { kind: 'register', submission: stored },
  };
  return registryResponseOf(await submitOperation(op, deps), entry.uniqueId, 'XDSRepositoryError');
}
