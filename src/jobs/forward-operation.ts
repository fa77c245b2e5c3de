import type { GatewayAnswer, GatewayClient, GatewayRequest } from '../gateway/gateway-client.js';
import { GatewayUnreachableError } from '../gateway/gateway-client.js';
import { GATEWAY_PATHS } from '../gateway/gateway-paths.js';
import { indexLocally } from '../operations/index-locally.js';
import { settleVisibility, type VisibilityOutcomeDeps } from '../operations/visibility-outcome.js';
import { defineJob, type JobContext } from '../queue/job-catalogue.js';
import type { Operation, OperationStore } from '../stores/operation-store.js';
import type { StatusEventStatus, TransactionStore } from '../stores/transaction-store.js';

/** What the forwarding processor uses. */
export interface ForwardDeps extends VisibilityOutcomeDeps {
  readonly operations: OperationStore;
  readonly gateway: GatewayClient;
  readonly transactions: TransactionStore;
  /** Schedules replay number `replay` of an operation, in the bulk lane, after `delayMs`. */
  readonly scheduleReplay: (operationId: string, replay: number, delayMs: number) => Promise<void>;
  /** With federation: schedules the check of the Gateway's INI step of an accepted publication. */
  readonly scheduleReconcile?: (operationId: string) => Promise<void>;
}

/** The operations whose acceptance the Gateway follows with an ITI-42 to INI. See: xds-ini digest 1.2. */
const INDEXED_ON_INI: ReadonlySet<Operation['kind']> = new Set(['create', 'validate-and-create', 'replace', 'validate-and-replace']);

export interface ForwardPayload {
  readonly operationId: string;
  /** Absent for the live call; 1, 2, ... for the replays after a Gateway outage (bulk lane). */
  readonly replay?: number;
}

/** Delay before replay `n`: doubling from 0.5 s, capped at 30 s, so recovery after a long outage stays prompt. */
export function replayDelay(n: number): number {
  return Math.min(500 * 2 ** Math.max(0, n - 1), 30_000);
}

/** A transient condition: the job is retried with backoff (BullMQ), never dead-lettered early. */
class WaitForPredecessor extends Error {
  override name = 'WaitForPredecessor';
}

const EVENT_TYPE: Readonly<Record<Operation['kind'], string>> = {
  'create': 'PUBLICATION', 'validate-and-create': 'PUBLICATION', 'replace': 'REPLACE', 'validate-and-replace': 'REPLACE',
  'delete': 'DELETE', 'metadata': 'UPDATE', 'metadata-iti-57': 'UPDATE',
};

/**
 * Forwards one stored operation to the national Gateway and records the answer, which the front door relays.
 * Re-reads the row and exits quietly when the work is done; waits (retrying) while an earlier operation on the same
 * document has not reached the Gateway, so a replacement never overtakes its creation; when the Gateway is
 * unreachable, indexes the document locally once and retries until the Gateway answers (the replay).
 * See: Gateway API digest, 1.4 (real-time forwarding, local indexing, recovery).
 */
export async function forwardOperation(payload: ForwardPayload, ctx: JobContext<ForwardDeps>): Promise<void> {
  const { operations, gateway } = ctx.deps;
  const op = await operations.get(payload.operationId);
  if (!op || op.state === 'answered' || op.state === 'forwarded' || op.state === 'rejected') return;
  const earlier = await operations.pendingPredecessors(op);
  if (earlier.length > 0) {
    // Behind an operation that awaits its replay (the Gateway is down): follow it into the local index now, so the
    // producer is answered, and reach the Gateway after it, in order.
    if (earlier.some((e) => e.state === 'local') && op.state === 'received') {
      const outcome = await indexLocally(op, ctx.deps).catch(() => 'not-applicable' as const);
      await operations.markLocal(op.id, outcome !== 'not-applicable');
    }
    throw new WaitForPredecessor(`waiting for ${earlier.length} earlier operation(s) on ${op.documentId}`);
  }
  if (op.state === 'sending' && (await reconcile(op, ctx))) return;

  await operations.markSending(op.id);
  let answer: GatewayAnswer;
  try {
    answer = await gateway.send(toGatewayRequest(op));
  } catch (err) {
    if (!(err instanceof GatewayUnreachableError)) throw err;
    const outcome = op.localIndexed ? 'already' : await indexLocally(op, ctx.deps).catch((e: unknown) => { ctx.logger.warn('local indexing failed', { error: String(e) }); return 'not-applicable' as const; });
    await operations.markLocal(op.id, outcome !== 'not-applicable');
    const next = (payload.replay ?? 0) + 1;
    if (next === 1 || next % 20 === 0) {
      await event(op, ctx, 'ASYNC_RETRY', `GTW nazionale non raggiungibile (${err.reason}): ${outcome === 'not-applicable' ? 'in attesa' : 'indicizzato localmente'}, nuovo tentativo`);
    }
    // The replay is bulk work: a new job in the bulk lane, so live producer calls run ahead of it.
    await ctx.deps.scheduleReplay(op.id, next, replayDelay(next));
    return;
  }
  await settle(op, answer, ctx);
}

/** Records the Gateway's answer; on success the regional registry follows it. */
async function settle(op: Operation, answer: GatewayAnswer, ctx: JobContext<ForwardDeps>): Promise<void> {
  const ok = answer.status >= 200 && answer.status < 300;
  const replay = op.state === 'local';
  const json = answer.json as { workflowInstanceId?: unknown; detail?: unknown } | undefined;
  const wid = typeof json?.workflowInstanceId === 'string' ? json.workflowInstanceId : undefined;
  if (ok && !op.localIndexed) {
    // The Gateway's acceptance stands even if the regional index cannot follow (e.g. a reused SubmissionSet id):
    // the answer is recorded and the failure reported, not retried forever.
    await indexLocally(op, ctx.deps).catch(async (err: unknown) => {
      ctx.logger.warn('local indexing failed', { operation: op.id, error: String(err) });
      await event(op, ctx, 'NON_BLOCKING_ERROR', `indicizzazione regionale non riuscita: ${String(err).slice(0, 500)}`);
    });
  }
  // The status event before the answer: saving the answer releases the producer, who may ask the status API at once.
  const detail = typeof json?.detail === 'string' ? json.detail : undefined;
  await event({ ...op, workflowInstanceId: wid ?? op.workflowInstanceId }, ctx, ok ? 'SUCCESS' : 'BLOCKING_ERROR',
    ok ? `GTW nazionale: ${answer.status}${replay ? ' (invio differito)' : ''}` : `GTW nazionale: ${answer.status} ${detail ?? ''}`.trim());
  // A citizen's visibility request is settled before the answer wakes whoever waits for it.
  await settleVisibility(op, { status: answer.status, contentType: answer.contentType, body: answer.body }, ctx.deps);
  await ctx.deps.operations.saveAnswer(op.id, !ok && replay ? 'rejected' : ok && replay ? 'forwarded' : 'answered',
    { status: answer.status, contentType: answer.contentType, body: answer.body }, wid);
  if (ok && INDEXED_ON_INI.has(op.kind)) await ctx.deps.scheduleReconcile?.(op.id);
}

/**
 * A previous run crashed between sending and recording: ask the Gateway's status API whether it took the
 * operation in charge before sending it again, so nothing is published twice. Returns true when settled.
 */
async function reconcile(op: Operation, ctx: JobContext<ForwardDeps>): Promise<boolean> {
  if (!op.workflowInstanceId) return false;
  let answer: GatewayAnswer;
  try {
    answer = await ctx.deps.gateway.send({
      method: 'GET', path: GATEWAY_PATHS.status(op.workflowInstanceId), tokens: { authorization: op.tokens.authorization, signature: '' }, claims: op.claims,
      signing: op.signing,
    });
  } catch {
    return false;
  }
  const data = (answer.json as { transactionData?: { eventType?: string; eventStatus?: string; identificativoDocumento?: string }[] } | undefined)?.transactionData ?? [];
  const taken = data.some((e) => e.eventType === EVENT_TYPE[op.kind] && e.eventStatus === 'SUCCESS' && (!e.identificativoDocumento || e.identificativoDocumento === op.documentId));
  if (!taken) return false;
  ctx.logger.info('operation found at the Gateway after a crash; not resent', { operation: op.id });
  const body = Buffer.from(JSON.stringify({ traceID: op.traceId, spanID: op.spanId, workflowInstanceId: op.workflowInstanceId, warning: '' }));
  await settle(op, { status: 202, contentType: 'application/json', body, json: JSON.parse(body.toString()) as unknown, headers: {} }, ctx);
  return true;
}

function toGatewayRequest(op: Operation): GatewayRequest {
  const body = op.kind === 'delete' ? undefined
    : op.kind === 'metadata' || op.kind === 'metadata-iti-57' ? { kind: 'json' as const, json: op.requestBody ?? '' }
      : { kind: 'multipart' as const, file: op.pdf ?? new Uint8Array(), requestBody: op.requestBody ?? '' };
  return {
    method: op.method, path: op.path, tokens: op.tokens, claims: op.claims, pdf: op.pdf, body,
    headers: op.callbackUrl ? { 'x-callback-url': op.callbackUrl } : undefined, signing: op.signing,
  };
}

async function event(op: Operation, ctx: JobContext<ForwardDeps>, status: StatusEventStatus, message: string): Promise<void> {
  await ctx.deps.transactions.append({
    workflowInstanceId: op.workflowInstanceId, traceId: op.traceId, spanId: op.spanId, eventType: EVENT_TYPE[op.kind],
    eventStatus: status, eventDate: new Date(), message, documentId: op.documentId, subject: op.claims.sub,
    subjectRole: op.claims.subject_role, organizationId: op.claims.subject_organization_id, issuer: op.claims.iss ?? 'UNDEFINED_JWT_ISSUER',
  });
}

/**
 * The job: live lane for the producer's call; a Gateway outage turns into replays, new jobs of the same type in the
 * bulk lane (see {@link replayDelay}). Retries here cover the other transient failures (database, an earlier
 * operation on the same document still pending): delays double from 0.5 s up to 30 s, for about a day before the
 * dead-letter queue, from which `fse-bridge jobs retry` replays.
 */
export const forwardOperationJob = defineJob<'forward-operation', ForwardPayload, ForwardDeps>({
  name: 'forward-operation',
  lane: 'live',
  attempts: 2_900,
  backoff: 500,
  maxBackoff: 30_000,
  jobId: (p) => (p.replay ? `${p.operationId}#replay-${p.replay}` : p.operationId),
  process: forwardOperation,
});
