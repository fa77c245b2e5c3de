import { FseError } from '../errors/fse-error.js';
import type { RequestContext } from '../logging/context.js';
import { UNKNOWN_WORKFLOW_ID } from '../domain/workflow-instance-id.js';
import { visibleStatusEvents } from '../operations/read-status.js';
import type { StatusEvent, TransactionStore } from '../stores/transaction-store.js';
import type { Headers, RestResponse } from './rest-types.js';
import type { TokenVerifier } from './token-verifier.js';

export interface StatusRouteDeps {
  readonly tokens: TokenVerifier;
  readonly transactions: TransactionStore;
}

/**
 * `GET /v1/status/{workflowInstanceId}`: the bridge's own events for a transaction (receipt, forwarding, the
 * Gateway's answers, local indexing, replays) that the reader may see (`operations/read-status.ts`), in the Gateway's `TransactionInspectResDTO` shape, Italian field
 * names mapped here only (STYLE rule 17). See: Gateway API digest, 9.1.
 */
export async function handleStatus(headers: Headers, workflowInstanceId: string, ctx: RequestContext, deps: StatusRouteDeps): Promise<RestResponse> {
  const reader = await deps.tokens.authenticateBearer(headers);
  if (workflowInstanceId === UNKNOWN_WORKFLOW_ID) throw new FseError('wii', 'Il wii non è valido');
  return answer(visibleStatusEvents(await deps.transactions.listByWorkflowInstanceId(workflowInstanceId), reader), ctx);
}

/** `GET /v1/status/search/{traceId}`: the events one HTTP call produced. */
export async function handleStatusByTrace(headers: Headers, traceId: string, ctx: RequestContext, deps: StatusRouteDeps): Promise<RestResponse> {
  const reader = await deps.tokens.authenticateBearer(headers);
  return answer(visibleStatusEvents(await deps.transactions.listByTraceId(traceId), reader), ctx);
}

function answer(events: StatusEvent[], ctx: RequestContext): RestResponse {
  if (events.length === 0) throw new FseError('recordNotFound', 'No Record Found');
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: { traceID: ctx.traceId, spanID: ctx.spanId, transactionData: events.map(toDto) },
  };
}

function toDto(e: StatusEvent): Record<string, unknown> {
  const dto: Record<string, unknown> = {
    eventType: e.eventType, eventDate: e.eventDate.toISOString(), eventStatus: e.eventStatus, message: e.message,
    identificativoDocumento: e.documentId, subject: e.subject, subjectRole: e.subjectRole, tipoAttivita: e.activity,
    organizzazione: e.organizationId, workflowInstanceId: e.workflowInstanceId, traceId: e.traceId, issuer: e.issuer,
    expiringDate: e.expiringDate?.toISOString(), extra: e.extra,
  };
  return Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined));
}
