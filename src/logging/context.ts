import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/** The correlation context set at the front door and present on every log line (STYLE rule 13). */
export interface RequestContext {
  readonly traceId: string;
  readonly spanId: string;
  workflowInstanceId?: string;
  caller?: string;
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
