import { randomUUID } from 'node:crypto';
import { effectiveObscured } from '../access/effective-obscuring.js';
import { mayChangeVisibility } from '../access/may-change-visibility.js';
import type { Requester } from '../access/requester.js';
import { hasObscuringCode, type RecordedBy, type VisibilityRequest } from '../domain/citizen-rights.js';
import type { CallerIdentity } from '../domain/caller.js';
import { FISCAL_CODE_OID, parseUniqueId, personKey, type UniqueId } from '../domain/ids.js';
import type { Code, DocumentEntry } from '../domain/xds.js';
import type { RequestContext } from '../logging/context.js';
import { claimsOf, metadataFieldsOf, type RegionIdentity } from '../metadata/submission-to-gateway.js';
import { visibilitySubmission } from '../metadata/visibility-update.js';
import { getSubmissionSets } from '../stores/stored-queries/get-submission-sets.js';
import { createAccessGuard, documentFacts, type AccessGuardDeps } from './access-guard.js';
import { operationIdOf } from './gateway/gateway-call.js';
import { METADATA_ITI_57, updateMetadata, type MetadataUpdateCall } from './gateway/metadata-update.js';
import type { LocalIndexDeps } from './index-locally.js';
import type { SubmitDeps, SubmitOutcome } from './submit-operation.js';
import { settleVisibility } from './visibility-outcome.js';

/**
 * Obscuring and un-obscuring on request: the patient, their guardian or an operator on their behalf adds or removes
 * P99 on a published document. The region records the request, builds the next version of the DocumentEntry with
 * the event codes changed, and sends it to the Gateway as a metadata update (ITI-57 route, region-signed, purpose
 * ACCESS UPDATE, which the Gateway passes to INI), through the pipeline like any other update: stored, ordered after
 * earlier operations on the document, replayed after an outage. Until the Gateway confirms, the stricter visibility
 * applies locally (see `access/effective-obscuring.ts`); the registry records the new version once the Gateway
 * takes it. A document the requester may not see is "not found", whatever the reason.
 * See: privacy digest 4, 5; xds-ini digest 4.5, 6.9, 6.14; Gateway API digest 3.6, 5.4; docs/privacy.md.
 */
export interface ChangeVisibilityRequest {
  readonly uniqueId: string;
  /** true obscures (P99), false un-obscures. */
  readonly obscured: boolean;
  readonly requester: Requester;
  /** Who asks, as the request records them (the citizen, the guardian, the operator) and as the Gateway is told. */
  readonly by: RecordedBy;
}

export type ChangeVisibilityResult =
  | { readonly outcome: 'not-found' }
  /** The requester sees the document but may not change its obscuring (a delegate, a parent, a doctor). */
  | { readonly outcome: 'forbidden'; readonly reason: string }
  /** Already as asked (nothing recorded, nothing sent). */
  | { readonly outcome: 'unchanged'; readonly obscured: boolean }
  /** Sent; the Gateway has not answered yet (or is unreachable: replayed later). The document counts as obscured meanwhile. */
  | { readonly outcome: 'pending'; readonly obscured: boolean; readonly requestId: string; readonly workflowInstanceId?: string }
  /** Confirmed by the Gateway (or regional only, or nothing to send): `obscured` is in force. */
  | { readonly outcome: 'done'; readonly obscured: boolean; readonly requestId: string; readonly workflowInstanceId?: string }
  /** The Gateway refused it: `obscured` is what counts locally now (an obscuring stays in force, an un-obscuring does not). */
  | { readonly outcome: 'failed'; readonly obscured: boolean; readonly reason: string; readonly requestId: string };

export interface ChangeVisibilityDeps extends SubmitDeps, LocalIndexDeps {
  readonly region: RegionIdentity;
  /** The access decision's facts and policy; `access.visibility` holds the requests. */
  readonly access: AccessGuardDeps;
}

const NOT_FOUND = { outcome: 'not-found' } as const;
/** When the registry holds no SubmissionSet of the current version: what the citizen's own updates carry. See: xds-ini digest 6.8. */
const FALLBACK_CONTENT_TYPE: Code = { code: 'PHR', scheme: '2.16.840.1.113883.2.9.3.3.6.1.4', display: 'Personal Health Record Update' };

async function approvedEntry(uniqueId: string, deps: ChangeVisibilityDeps): Promise<DocumentEntry | undefined> {
  let id: UniqueId;
  try {
    id = parseUniqueId(uniqueId);
  } catch {
    return undefined;
  }
  const entry = await deps.registry.getDocumentEntry({ uniqueId: id });
  return entry?.status === 'Approved' ? entry : undefined;
}

/** The content type of the SubmissionSet that holds the current version: the update describes the same activity. */
async function contentTypeOf(entry: DocumentEntry, deps: ChangeVisibilityDeps): Promise<Code> {
  const found = await getSubmissionSets(deps.pool, { type: 'GetSubmissionSets', uuids: [entry.entryUuid] }, { returnType: 'LeafClass', maxResults: 20 });
  const sets = !found.tooMany && found.result.kind === 'LeafClass' ? found.result.submissionSets : [];
  return sets[0]?.contentTypeCode ?? FALLBACK_CONTENT_TYPE;
}

/** The person who asks, as the region-signed token names them (`sub`, `subject_role`). See: Gateway API digest 5.3, 5.6. */
function callerOf(by: RecordedBy): CallerIdentity {
  const subjectId = by.subject.includes('^') ? by.subject : `${by.subject}^^^&${FISCAL_CODE_OID}&ISO`;
  return { source: 'certificate', subjectId, role: by.role };
}

async function callFor(entry: DocumentEntry, request: ChangeVisibilityRequest, requestId: string, ctx: RequestContext, deps: ChangeVisibilityDeps): Promise<MetadataUpdateCall> {
  const submission = visibilitySubmission({
    current: entry, obscured: request.obscured, region: deps.region, requestId, contentTypeCode: await contentTypeOf(entry, deps), now: new Date(),
  });
  const [next] = submission.documents;
  return {
    documentId: entry.uniqueId, targetId: entry.uniqueId,
    claims: claimsOf(entry, callerOf(request.by), deps.region, 'access-update'),
    requestBody: JSON.stringify(metadataFieldsOf(next?.entry ?? entry, submission.submissionSet)),
    trace: { traceId: ctx.traceId, spanId: ctx.spanId },
    // One request, one operation: asking again while it is pending finds the same request, hence the same operation.
    distinguishedBy: ['visibility', requestId],
    metadata: { kind: 'ebrim', submission },
    registryAction: { kind: 'visibility', target: entry.uniqueId, obscured: request.obscured, submission, requestId },
  };
}

async function resultOf(outcome: SubmitOutcome, entry: DocumentEntry, asked: VisibilityRequest, deps: ChangeVisibilityDeps): Promise<ChangeVisibilityResult> {
  const op = outcome.operation;
  const workflowInstanceId = op.workflowInstanceId;
  if (outcome.kind !== 'answered' || !op.answer) return { outcome: 'pending', obscured: asked.obscured, requestId: asked.id, workflowInstanceId };
  // The worker settles the request before it saves the answer; again here, in case it stopped in between (idempotent).
  await settleVisibility(op, op.answer, { ...deps, visibility: deps.access.visibility });
  const settled = (await deps.access.visibility.get(asked.id)) ?? asked;
  if (settled.state === 'refused') {
    return { outcome: 'failed', obscured: effectiveObscured(entry, [settled]), reason: settled.reason ?? 'refused by the Gateway', requestId: asked.id };
  }
  if (settled.state === 'confirmed') return { outcome: 'done', obscured: asked.obscured, requestId: asked.id, workflowInstanceId };
  return { outcome: 'pending', obscured: asked.obscured, requestId: asked.id, workflowInstanceId };
}

export async function changeVisibility(request: ChangeVisibilityRequest, ctx: RequestContext, deps: ChangeVisibilityDeps): Promise<ChangeVisibilityResult> {
  const now = new Date();
  const entry = await approvedEntry(request.uniqueId, deps);
  if (!entry) return NOT_FOUND;
  const patient = personKey(entry.patientId);
  const { requester } = request;
  const guardian = requester.role !== undefined && deps.access.policy.citizenRoles.guardian.includes(requester.role);
  const [requests, relations] = await Promise.all([
    deps.access.visibility.latestOf([entry.uniqueId]),
    guardian && requester.subject !== undefined ? deps.access.relations.between(requester.subject, patient) : Promise.resolve([]),
  ]);
  const may = mayChangeVisibility(requester, { patient, relations, document: documentFacts(entry, requests) }, deps.access.policy, now);
  if (!may.allowed) {
    if (may.hidden) return NOT_FOUND;
    const seen = await createAccessGuard(requester, deps.access, now).entry(entry);
    return seen.allowed ? { outcome: 'forbidden', reason: may.reason } : NOT_FOUND;
  }

  const wanted = request.obscured;
  const [latest] = requests;
  const retry = latest?.state === 'refused' && latest.obscured === wanted;
  if (latest?.state !== 'pending' && !retry && effectiveObscured(entry, requests) === wanted) return { outcome: 'unchanged', obscured: wanted };
  const base = { uniqueId: entry.uniqueId, patient, obscured: wanted, requestedBy: request.by };
  if (latest?.state !== 'pending' && hasObscuringCode(entry.eventCodes) === wanted) {
    // Only the local obscuring of a refused request was in force: nothing to tell the Gateway.
    const { request: done } = await deps.access.visibility.record({ ...base, id: randomUUID(), state: 'confirmed' });
    return { outcome: 'done', obscured: wanted, requestId: done.id };
  }
  const id = randomUUID();
  let call = await callFor(entry, request, id, ctx, deps);
  const { request: asked, created } = await deps.access.visibility.record({ ...base, id, operationId: operationIdOf(METADATA_ITI_57, call) });
  if (!created) call = await callFor(entry, request, asked.id, ctx, deps);
  return resultOf(await updateMetadata(METADATA_ITI_57, call, deps), entry, asked, deps);
}
