import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/** The correlation context set at the front door and present on every log line (STYLE rule 13). */
export interface RequestContext {
  readonly traceId: string;
  readonly spanId: string;
  workflowInstanceId?: string;
  caller?: string;
  /** What the operator console's journal records of the exchange (src/rest/exchange-capture.ts): set by the doors. */
  action?: string;
  patientId?: string;
  documentIds?: string[];
}

// The context a front-door middleware opened for an HTTP request, found again by the route that answers it.
const byRequest = new WeakMap<object, RequestContext>();

/** Binds a context to an incoming request, so that every handler of the request shares one trace. */
export function bindRequestContext(request: object, context: RequestContext): void {
  byRequest.set(request, context);
}

/** The context bound to this request, or a new one (continuing the caller's `traceparent`). */
export function requestContext(request: object, traceparent?: string): RequestContext {
  return byRequest.get(request) ?? newTraceContext(traceparent);
}

/** Notes the patient and documents an exchange is about, unless the door noted them already (first wins). */
export function noteSubject(patientId: string | undefined, documentIds: readonly string[] = []): void {
  const ctx = currentContext();
  if (!ctx) return;
  if (patientId && !ctx.patientId) ctx.patientId = patientId;
  if (documentIds.length > 0 && !ctx.documentIds?.length) ctx.documentIds = [...documentIds];
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/**
 * New OpenTelemetry-shaped ids: 32 hex trace id, 16 hex span id, as the Gateway returns them (digest 2.3).
 * A W3C `traceparent` from the caller is honoured so the producer's trace continues through the bridge.
 */
export function newTraceContext(traceparent?: string): RequestContext {
  const match = traceparent ? /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/.exec(traceparent.trim()) : null;
  const traceId = match?.[1] && !/^0+$/.test(match[1]) ? match[1] : randomBytes(16).toString('hex');
  return { traceId, spanId: randomBytes(8).toString('hex') };
}
