import type pg from 'pg';
import type { CallerIdentity } from '../domain/caller.js';
import type { RegistryResponse } from '../domain/registry-response.js';
import type { DocumentEntry, Submission } from '../domain/xds.js';
import { registryError, type RegistryError } from '../errors/xds-codes.js';
import type { GatewayClient } from '../gateway/gateway-client.js';
import type { RequestContext } from '../logging/context.js';
import { checkSubmission, type MetadataProfile } from '../metadata/submission-checks.js';
import { claimsOf, gatewayRequestOf, type RegionIdentity } from '../metadata/submission-to-gateway.js';
import { extractCda } from '../pdf/cda-extractor.js';
import { registerWithDocuments } from '../stores/document-set-store.js';
import type { Operation, OperationStore } from '../stores/operation-store.js';
import type { RegistryStore } from '../stores/registry-store.js';
import { DuplicateUniqueIdError, isRegistryStoreError } from '../stores/store-errors.js';
import { CREATE } from './gateway/create.js';
import { DELETE, deleteDocument } from './gateway/delete.js';
import { operationIdOf, submitToGateway } from './gateway/gateway-call.js';
import { mergeResponses, registryResponseOf } from './gateway-outcome.js';
import { validateDocument } from './iti41-multi-validation.js';
import { checkAgainstRegistry } from './registry-checks.js';
import { withDigest } from './repository-digest.js';
import type { SubmitDeps, SubmitOutcome } from './submit-operation.js';

/**
 * ITI-41 with several documents on the national path, all or nothing (IHE ITI TF-2 3.41.4.1.3: the Repository and
 * the Registry accept the whole submission or none of it). The Gateway publishes one PDF per call (Gateway API
 * digest 3.3, 8.3), so the submission becomes: every document validated by the Gateway first; then one publication
 * per document through the pipeline (operation rows, queue, worker), one after the other, none indexed alone; the
 * whole submission registered regionally in one transaction once every publication is accepted; on a refusal, or a
 * publication the Gateway has not confirmed, every document that was or may be published is deleted upstream
 * through the pipeline (compensation) and the answer is one Failure with every document's errors.
 * See: docs/multi-document.md (design and limits).
 */
export interface MultiDocumentDeps extends SubmitDeps {
  readonly registry: RegistryStore;
  readonly region: RegionIdentity;
  readonly profile: MetadataProfile;
  /** The affinity domain's patient id assigning authorities (`FSE_XDS_PATIENT_DOMAINS`); undefined: any. */
  readonly patientDomains?: readonly string[];
  /** For the validation phase, which is not an operation of the pipeline (nothing is published by it). */
  readonly gateway: GatewayClient;
  /** The regional registry and repository, written in one transaction. */
  readonly pool: pg.Pool;
}

export interface MultiDocumentRequest {
  readonly submission: Submission;
  readonly caller: CallerIdentity;
  readonly ctx: RequestContext;
}

/** How many compensated attempts of one SubmissionSet are kept apart before a resubmission is refused. */
const MAX_ATTEMPTS = 20;

interface Planned {
  readonly entry: DocumentEntry;
  readonly bytes: Uint8Array;
  /** The attempt of the SubmissionSet (see {@link planAttempt}) and this document's publication id in it. */
  readonly attempt: number;
  readonly operationId: string;
  /** This attempt's operation, when a previous call of the same submission stored it and it was not refused. */
  readonly existing?: Operation;
}

const failure = (errors: RegistryError[]): RegistryResponse => ({ status: 'Failure', errors });

/**
 * The `identificativoSottomissione` of document `index` (0-based): the Gateway wants one SubmissionSet uniqueId per
 * publication, so each is the producer's SubmissionSet uniqueId with one more arc, the document's position.
 * Deterministic, so a resubmission sends the same. See: Gateway API digest 3.3 (identificativoSottomissione), 4.
 */
export function submissionIdOf(submissionSetUniqueId: string, index: number): string {
  return `${submissionSetUniqueId}.${index + 1}`;
}

/** The operation id of a document's publication in attempt `attempt` of a SubmissionSet. */
export function multiPublicationId(entry: DocumentEntry, bytes: Uint8Array, submissionSetUniqueId: string, attempt: number): string {
  return operationIdOf(CREATE, { documentId: entry.uniqueId, pdf: bytes, distinguishedBy: ['iti41-multi', submissionSetUniqueId, String(attempt)] });
}

/** The operation id of the compensating delete of an accepted (or unconfirmed) publication. */
export function compensationId(publication: Pick<Operation, 'id' | 'documentId'>): string {
  return operationIdOf(DELETE, { targetId: publication.documentId, documentId: publication.documentId, distinguishedBy: ['compensation', publication.id] });
}

const accepted = (o: SubmitOutcome) => o.kind === 'answered' && o.operation.answer !== undefined && o.operation.answer.status < 300;
const refused = (o: SubmitOutcome) => o.kind === 'answered' && o.operation.answer !== undefined && o.operation.answer.status >= 300;

export async function provideAndRegisterMany(request: MultiDocumentRequest, deps: MultiDocumentDeps): Promise<RegistryResponse> {
  const { submission } = request;
  const digested = submission.documents.map((d) => {
    const bytes = d.bytes ?? new Uint8Array();
    return { ...withDigest(d.entry, bytes, deps.region.repositoryUniqueId), bytes };
  });
  const stored: Submission = { ...submission, documents: digested.map((d) => ({ entry: d.entry })) };
  const errors = [...digested.flatMap((d) => d.errors), ...checkSubmission(stored, { transaction: 'iti41', profile: deps.profile, patientDomains: deps.patientDomains })];
  if (errors.length > 0) return failure(errors);
  const own = new Set(stored.documents.map((d) => d.entry.entryUuid));
  if (stored.associations.some((a) => (a.type === 'RPLC' || a.type === 'XFRM_RPLC') && !own.has(a.targetUuid))) {
    // The Gateway's replacement names one document per call; a replacement is submitted alone. See: digest 3.8.
    return failure([registryError('XDSRepositoryMetadataError', 'a replacement (RPLC) is submitted alone: the national Gateway replaces one document per call')]);
  }
  const checked = await checkAgainstRegistry(stored, deps.registry);
  if (checked.errors.length > 0) return failure(checked.errors);
  if (checked.duplicate) return { status: 'Success', errors: [] };

  const plans = await planAttempt(stored, digested, deps.operations);
  if (!plans) return failure([registryError('XDSRepositoryError', `SubmissionSet ${stored.submissionSet.uniqueId} was withdrawn ${MAX_ATTEMPTS} times: submit it with a new uniqueId`)]);
  return publishAll(plans, stored, request, deps);
}

/**
 * The attempt of this SubmissionSet to use: the first whose publications were not compensated. The same submission
 * sent again while (or after) its publications are accepted finds them and publishes nothing twice; after a
 * compensation it is a new attempt, with new operation ids.
 */
async function planAttempt(stored: Submission, digested: readonly { entry: DocumentEntry; bytes: Uint8Array }[], operations: OperationStore): Promise<Planned[] | undefined> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const plans: Planned[] = [];
    let compensated = false;
    for (const { entry, bytes } of digested) {
      const operationId = multiPublicationId(entry, bytes, stored.submissionSet.uniqueId, attempt);
      const existing = await operations.get(operationId);
      if (existing && (await operations.get(compensationId(existing)))) compensated = true;
      const usable = existing && !(existing.answer && existing.answer.status >= 300) ? existing : undefined;
      plans.push({ entry, bytes, attempt, operationId, ...(usable ? { existing: usable } : {}) });
    }
    if (!compensated) return plans;
  }
  return undefined;
}

async function publishAll(plans: readonly Planned[], stored: Submission, request: MultiDocumentRequest, deps: MultiDocumentDeps): Promise<RegistryResponse> {
  const { caller, ctx } = request;
  const calls = await Promise.all(plans.map(async (p, index) => {
    const parts = gatewayRequestOf(stored, p.entry, caller, deps.region, 'create');
    const mode = await extractCda(p.bytes).then((e) => e.mode, () => undefined);
    const body = { ...parts.body, identificativoSottomissione: submissionIdOf(stored.submissionSet.uniqueId, index), ...(mode ? { mode } : {}) };
    return { plan: p, claims: parts.claims, body, mode };
  }));

  // Phase 1: every document not yet taken is validated; one refusal stops the submission before any publication.
  const verdicts = await Promise.all(calls.map((c) => (c.plan.existing ? undefined : validateDocument({ entry: c.plan.entry, bytes: c.plan.bytes, claims: c.claims, mode: c.mode }, deps.gateway))));
  const invalid = verdicts.flatMap((v) => (v && !v.ok ? v.errors : []));
  if (invalid.length > 0) return failure(invalid);

  // Phase 2: one publication per document, in order, each an operation of the pipeline; stop at the first failure.
  const outcomes: SubmitOutcome[] = [];
  for (const [index, c] of calls.entries()) {
    const verdict = verdicts[index];
    const workflowInstanceId = verdict?.ok ? verdict.workflowInstanceId : c.plan.existing?.workflowInstanceId;
    const outcome = await submitToGateway(CREATE, {
      documentId: c.plan.entry.uniqueId, claims: c.claims, trace: ctx, pdf: c.plan.bytes, workflowInstanceId,
      // The Gateway finds the validation by the CDA's hash (the body's workflowInstanceId is optional); it stays on
      // the operation, for the status check after a crash. See: Gateway API digest 3.3 step 10, 7.7.
      requestBody: JSON.stringify(c.body),
      distinguishedBy: ['iti41-multi', stored.submissionSet.uniqueId, String(c.plan.attempt)],
      registryAction: { kind: 'with-submission', submissionSetId: stored.submissionSet.uniqueId },
    }, deps);
    outcomes.push(outcome);
    if (!accepted(outcome)) break;
  }

  if (outcomes.length === plans.length && outcomes.every(accepted)) {
    const indexed = await indexOnce(plans, stored, deps);
    if (indexed === true) return mergeResponses(outcomes.map((o, i) => registryResponseOf(o, plans[i]?.entry.uniqueId ?? '', 'XDSRepositoryError')));
    return compensate(plans, outcomes, request, deps, [indexed]);
  }
  return compensate(plans, outcomes, request, deps, []);
}

/**
 * The whole submission, every document with its bytes, Folders and Associations, in one transaction. `true` when
 * indexed (or found indexed: a concurrent resubmission); else the error that stops it, to be compensated.
 */
async function indexOnce(plans: readonly Planned[], stored: Submission, deps: MultiDocumentDeps): Promise<true | RegistryError> {
  try {
    await registerWithDocuments(deps.pool, { ...stored, documents: plans.map((p) => ({ entry: p.entry, bytes: p.bytes })) });
    return true;
  } catch (err) {
    if (err instanceof DuplicateUniqueIdError && (await deps.registry.getDocumentEntries(plans.map((p) => p.entry.entryUuid))).length === plans.length) return true;
    // Any other refusal of the registry (a uniqueId taken meanwhile, ...) is compensated like a Gateway refusal.
    if (isRegistryStoreError(err)) return err.toRegistryError();
    throw err;
  }
}

/**
 * Withdraws every publication the Gateway accepted or may still accept (unreachable, no answer yet): one DELETE each,
 * an operation of the pipeline, so it is recorded and retried until the Gateway answers; the worker sends it after
 * the publication it follows (ordering per document). Answers one Failure naming what happened to each document.
 */
async function compensate(plans: readonly Planned[], outcomes: readonly SubmitOutcome[], request: MultiDocumentRequest,
  deps: MultiDocumentDeps, extra: RegistryError[]): Promise<RegistryResponse> {
  const failedAt = outcomes.findIndex((o) => !accepted(o));
  const cause = failedAt >= 0 ? plans[failedAt]?.entry.uniqueId ?? '' : 'the regional registry';
  const withdrawn = outcomes.flatMap((o, i) => (refused(o) ? [] : [{ outcome: o, plan: plans[i] }]));
  const deletes = await Promise.all(withdrawn.map(async ({ outcome, plan }) => {
    if (!plan) return undefined;
    return deleteDocument({
      documentId: plan.entry.uniqueId, targetId: plan.entry.uniqueId, claims: claimsOf(plan.entry, request.caller, deps.region, 'delete'),
      trace: request.ctx, distinguishedBy: ['compensation', outcome.operation.id],
    }, deps);
  }));
  const errors: RegistryError[] = [...extra];
  for (const [i, plan] of plans.entries()) {
    const outcome = outcomes[i];
    const id = plan.entry.uniqueId;
    if (!outcome) {
      errors.push(registryError('XDSRepositoryError', `not published: the submission stopped at document ${cause}`, id));
    } else if (refused(outcome)) {
      errors.push(...registryResponseOf(outcome, id, 'XDSRepositoryError').errors);
    } else {
      const del = deletes[withdrawn.findIndex((w) => w.plan === plan)];
      const done = del?.kind === 'answered' && del.operation.answer !== undefined && del.operation.answer.status < 300;
      const what = accepted(outcome) ? 'accepted by the national Gateway, then withdrawn' : 'publication not confirmed by the national Gateway, withdrawn';
      const code = accepted(outcome) ? 'XDSRepositoryError' : 'XDSRegistryNotAvailable';
      errors.push(registryError(code, `${what} (DELETE ${done ? 'done' : 'queued, retried until the Gateway answers'}) because the submission failed at ${cause}`, id));
    }
  }
  return failure(errors);
}
