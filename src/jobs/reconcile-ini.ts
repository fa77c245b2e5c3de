import type { CallerIdentity } from '../domain/caller.js';
import type { Submission } from '../domain/xds.js';
import type { GatewayClient } from '../gateway/gateway-client.js';
import { GATEWAY_PATHS } from '../gateway/gateway-paths.js';
import type { IniRequester } from '../ini/ini-assertion.js';
import type { IniClient } from '../ini/ini-client.js';
import type { SignatureClaims } from '../jwt/claims.js';
import { parseUniqueId } from '../domain/ids.js';
import { defineJob, type JobContext } from '../queue/job-catalogue.js';
import type { Operation, OperationStore } from '../stores/operation-store.js';
import type { StatusEventStatus, TransactionStore } from '../stores/transaction-store.js';

/**
 * Reconciliation of the Gateway's INI step. After the Gateway takes a publication, it indexes it on INI
 * asynchronously; when its status says that step failed or timed out (ambiguous: INI may have indexed it before the
 * answer was lost), the bridge asks INI (GetDocuments by uniqueId, the references service) before doing anything:
 * found, nothing is sent again; not found, the bridge sends the ITI-42 itself, as a region may. Nothing is indexed
 * twice, nothing is lost, and the status API shows the outcome (event `INI_RECONCILE`). See: xds-ini digest 1.2,
 * 1.3 row 8, 4.2, 4.7, 10 item 23.
 */
export interface ReconcileDeps {
  readonly operations: OperationStore;
  readonly gateway: GatewayClient;
  readonly transactions: TransactionStore;
  /** Absent: no federation, the job has nothing to check against and exits. */
  readonly ini?: IniClient;
}

export interface ReconcilePayload {
  readonly operationId: string;
}

/** The Gateway has not reported its INI step yet: look again later (BullMQ backoff). */
class IniStepPending extends Error {
  override name = 'IniStepPending';
}

interface StatusEventDto { eventType?: string; eventStatus?: string; message?: string }

export function requesterOfClaims(claims: SignatureClaims, actionId: string): IniRequester {
  const identity: CallerIdentity = {
    source: 'certificate', subjectId: claims.sub, role: claims.subject_role, locality: claims.locality,
    applicationId: claims.subject_application_id, applicationVendor: claims.subject_application_vendor,
    applicationVersion: claims.subject_application_version, patientConsent: claims.patient_consent,
  };
  return { identity, patientId: claims.person_id ?? '', purposeOfUse: claims.purpose_of_use ?? 'TREATMENT', actionId, documentTypes: claims.resource_hl7_type };
}

async function iniStep(op: Operation, ctx: JobContext<ReconcileDeps>): Promise<StatusEventDto | undefined> {
  const answer = await ctx.deps.gateway.send({
    method: 'GET', path: GATEWAY_PATHS.status(op.workflowInstanceId ?? ''), tokens: { authorization: op.tokens.authorization, signature: '' },
    claims: op.claims, signing: op.signing,
  });
  const events = (answer.json as { transactionData?: StatusEventDto[] } | undefined)?.transactionData ?? [];
  return events.filter((e) => e.eventType === 'SEND_TO_INI').at(-1);
}


/** The submission to index, with an RPLC pointing at INI's entryUUID of the replaced document. */
async function submissionForIni(op: Operation, ini: IniClient, reader: IniRequester): Promise<Submission | undefined> {
  // What the regional registry recorded, built when the operation was submitted.
  const submission = op.registryAction?.kind === 'register' ? op.registryAction.submission : undefined;
  if (!submission || !op.targetId || !op.kind.includes('replace')) return submission;
  const [old] = await ini.references(parseUniqueId(op.targetId), reader);
  const [entry] = submission.documents;
  if (!old || !entry) return submission;
  const others = submission.associations.filter((a) => a.type !== 'RPLC');
  return { ...submission, associations: [...others, { entryUuid: `urn:uuid:${crypto.randomUUID()}` as typeof old, type: 'RPLC', sourceUuid: entry.entry.entryUuid, targetUuid: old, status: 'Approved', slots: {} }] };
}

export async function reconcileIni(payload: ReconcilePayload, ctx: JobContext<ReconcileDeps>): Promise<void> {
  const { operations, transactions, ini } = ctx.deps;
  const op = await operations.get(payload.operationId);
  if (!ini || !op?.workflowInstanceId || (op.state !== 'answered' && op.state !== 'forwarded')) return;
  const step = await iniStep(op, ctx);
  if (step?.eventStatus === 'SUCCESS') return;
  if (step === undefined && ctx.attempt < ctx.maxAttempts) throw new IniStepPending(`the Gateway has not reported the INI step of ${op.documentId} yet`);
  const event = (status: StatusEventStatus, message: string) => transactions.append({
    workflowInstanceId: op.workflowInstanceId, traceId: op.traceId, spanId: op.spanId, eventType: 'INI_RECONCILE', eventStatus: status,
    eventDate: new Date(), message, documentId: op.documentId, subject: op.claims.sub, subjectRole: op.claims.subject_role,
    organizationId: op.claims.subject_organization_id, issuer: op.claims.iss ?? 'FSE-BRIDGE',
  });
  const requester = requesterOfClaims(op.claims, op.kind.includes('replace') ? 'UPDATE' : 'CREATE');
  // Lookups are reads, made as the Gateway makes its own before a write: action READ, purpose UPDATE (digest 7.3).
  const reader: IniRequester = { ...requesterOfClaims(op.claims, 'READ'), purposeOfUse: 'UPDATE' };
  const found = await ini.references(parseUniqueId(op.documentId), reader);
  if (found.length > 0) {
    await event('SUCCESS', `passo INI del GTW ${step?.eventStatus ?? 'non riportato'} (${step?.message ?? ''}): documento già presente su INI, nessun reinvio`);
    return;
  }
  const submission = await submissionForIni(op, ini, reader);
  if (!submission) return;
  const answer = await ini.register(submission, requester);
  const ok = answer.status === 'Success';
  await event(ok ? 'SUCCESS' : 'BLOCKING_ERROR', ok ? 'documento assente su INI: inviato dalla regione (ITI-42)'
    : `invio a INI rifiutato: ${answer.errors.map((e) => `${e.code} ${e.codeContext}`).join('; ').slice(0, 2000)}`);
}

/**
 * Retried with backoff while the Gateway has not reported its INI step and while INI fails: the INI client's errors
 * (`IniUnavailableError`, `IniBrokenAnswerError`) leave the processor as they are, so the queue retries the job.
 */
export const reconcileIniJob = defineJob<'reconcile-ini', ReconcilePayload, ReconcileDeps>({
  name: 'reconcile-ini',
  lane: 'bulk',
  attempts: 8,
  backoff: 1_000,
  maxBackoff: 30_000,
  jobId: (p) => `reconcile:${p.operationId}`,
  process: reconcileIni,
});
