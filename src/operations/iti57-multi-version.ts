import type { CallerIdentity } from '../domain/caller.js';
import type { RegistryResponse } from '../domain/registry-response.js';
import type { DocumentEntry, Submission } from '../domain/xds.js';
import { registryError, type RegistryError } from '../errors/xds-codes.js';
import type { RequestContext } from '../logging/context.js';
import { claimsOf, metadataFieldsOf, type RegionIdentity } from '../metadata/submission-to-gateway.js';
import type { OperationStore } from '../stores/operation-store.js';
import type { RegistryStore } from '../stores/registry-store.js';
import { operationIdOf } from './gateway/gateway-call.js';
import { METADATA_ITI_57, updateMetadata } from './gateway/metadata-update.js';
import { mergeResponses, regionalOnlyWarning, registryResponseOf, unknownNationally } from './gateway-outcome.js';
import { registryWrite } from './registry-write.js';
import type { SubmitDeps, SubmitOutcome } from './submit-operation.js';

/**
 * ITI-57 with several new versions, all or nothing (IHE ITI TF-2b 3.57.4.1.3: the Update Document Set is accepted or
 * refused whole). The Gateway updates one document per call (`PUT /documents/{id}/metadata-iti-57`, Gateway API
 * digest 3.6), so: one update per document through the pipeline, in order, none applied alone; the regional
 * registry records every new version in one transaction once every update is accepted (or the document is unknown
 * nationally, 404 `/msg/record-not-found`: then the region's registry is its only index, as for one update). On a
 * refusal, each update already accepted is compensated by another update carrying the previous version's fields.
 * Status-only changes (UpdateAvailabilityStatus) have no national counterpart and go with the regional write.
 * See: docs/multi-document.md.
 */
export interface MultiVersionDeps extends SubmitDeps {
  readonly registry: RegistryStore;
  readonly region: RegionIdentity;
}

const MAX_ATTEMPTS = 20;

/** The operation id of the update of `entry` in attempt `attempt` of a SubmissionSet. */
function updateIdOf(entry: DocumentEntry, submissionSetUniqueId: string, attempt: number): string {
  return operationIdOf(METADATA_ITI_57, { targetId: entry.uniqueId, documentId: entry.uniqueId, distinguishedBy: distinguished(entry, submissionSetUniqueId, attempt) });
}

const distinguished = (entry: DocumentEntry, ss: string, attempt: number) => [ss, entry.logicalId, 'iti57-multi', String(attempt)];

/** The compensating update of an accepted one (the previous version's fields again). */
export function restoreIdOf(update: { readonly id: string; readonly documentId: string }): string {
  return operationIdOf(METADATA_ITI_57, { targetId: update.documentId, documentId: update.documentId, distinguishedBy: ['compensation', update.id] });
}

/** The first attempt of this SubmissionSet none of whose updates was compensated. */
async function attemptOf(submission: Submission, operations: OperationStore): Promise<number | undefined> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    let compensated = false;
    for (const { entry } of submission.documents) {
      const op = await operations.get(updateIdOf(entry, submission.submissionSet.uniqueId, attempt));
      if (op && (await operations.get(restoreIdOf(op)))) compensated = true;
    }
    if (!compensated) return attempt;
  }
  return undefined;
}

const taken = (o: SubmitOutcome) => unknownNationally(o) || (o.kind === 'answered' && o.operation.answer !== undefined && o.operation.answer.status < 300);

/** Checked by the caller (versions, statuses, profile): several new versions, published one by one, recorded together. */
export async function updateManyVersions(submission: Submission, caller: CallerIdentity, ctx: RequestContext, deps: MultiVersionDeps): Promise<RegistryResponse> {
  const ss = submission.submissionSet.uniqueId;
  const attempt = await attemptOf(submission, deps.operations);
  if (attempt === undefined) return { status: 'Failure', errors: [registryError('XDSMetadataUpdateError', `SubmissionSet ${ss} was withdrawn ${MAX_ATTEMPTS} times: submit it with a new uniqueId`)] };
  const outcomes: SubmitOutcome[] = [];
  for (const { entry } of submission.documents) {
    const outcome = await updateMetadata(METADATA_ITI_57, {
      documentId: entry.uniqueId, targetId: entry.uniqueId, claims: claimsOf(entry, caller, deps.region, 'update'),
      requestBody: JSON.stringify(metadataFieldsOf(entry, submission.submissionSet)), trace: ctx,
      distinguishedBy: distinguished(entry, ss, attempt), metadata: { kind: 'ebrim', submission },
      registryAction: { kind: 'with-submission', submissionSetId: ss },
    }, deps);
    outcomes.push(outcome);
    if (!taken(outcome)) break;
  }
  if (outcomes.length === submission.documents.length && outcomes.every(taken)) {
    const written = await registryWrite(() => deps.registry.registerMetadataUpdate(submission));
    if (written.status !== 'Success') return compensate(submission, outcomes, caller, ctx, deps, written.errors);
    const answers = outcomes.map((o, i) => {
      const id = submission.documents[i]?.entry.uniqueId ?? '';
      return unknownNationally(o) ? { status: 'Success' as const, errors: [regionalOnlyWarning(id, 'updated')] } : registryResponseOf(o, id, 'XDSRegistryError');
    });
    return mergeResponses(answers);
  }
  return compensate(submission, outcomes, caller, ctx, deps, []);
}

/** Puts back the previous version's fields at the Gateway for every update it accepted; one Failure naming each document. */
async function compensate(submission: Submission, outcomes: readonly SubmitOutcome[], caller: CallerIdentity, ctx: RequestContext,
  deps: MultiVersionDeps, extra: readonly RegistryError[]): Promise<RegistryResponse> {
  const failedAt = outcomes.findIndex((o) => !taken(o));
  const cause = submission.documents[failedAt]?.entry.uniqueId ?? 'the regional registry';
  const errors: RegistryError[] = [...extra];
  for (const [i, { entry }] of submission.documents.entries()) {
    const outcome = outcomes[i];
    if (!outcome) {
      errors.push(registryError('XDSMetadataUpdateError', `not updated: the update stopped at document ${cause}`, entry.uniqueId));
      continue;
    }
    if (i === failedAt && outcome.kind === 'answered') {
      errors.push(...registryResponseOf(outcome, entry.uniqueId, 'XDSRegistryError').errors);
      continue;
    }
    if (unknownNationally(outcome)) {
      errors.push(registryError('XDSMetadataUpdateError', `not updated: the update stopped at document ${cause}`, entry.uniqueId));
      continue;
    }
    const current = await deps.registry.getDocumentEntry({ uniqueId: entry.uniqueId });
    const restore = current ? await updateMetadata(METADATA_ITI_57, {
      documentId: entry.uniqueId, targetId: entry.uniqueId, claims: claimsOf(current, caller, deps.region, 'update'),
      requestBody: JSON.stringify(metadataFieldsOf(current, submission.submissionSet)), trace: ctx,
      distinguishedBy: ['compensation', outcome.operation.id], metadata: { kind: 'ebrim', submission },
      registryAction: { kind: 'with-submission', submissionSetId: submission.submissionSet.uniqueId },
    }, deps) : undefined;
    // An update the Gateway has not confirmed (unreachable, no answer yet) may still be applied: put back after it too.
    const done = restore?.kind === 'answered' && restore.operation.answer !== undefined && restore.operation.answer.status < 300;
    const what = taken(outcome) ? 'accepted by the national Gateway' : 'not confirmed by the national Gateway';
    errors.push(registryError(taken(outcome) ? 'XDSMetadataUpdateError' : 'XDSRegistryNotAvailable',
      `${what}, then put back to version ${current?.version ?? '?'} (update ${done ? 'done' : 'queued, retried until the Gateway answers'}) because the update failed at ${cause}`, entry.uniqueId));
  }
  return { status: 'Failure', errors };
}
