import { randomBytes } from 'node:crypto';
import { currentContext, newTraceContext, runWithContext, type RequestContext } from '../logging/context.js';

/**
 * The part of the correlation context that travels with a job (STYLE rule 13). The span id does not travel: each
 * execution of a job is a new span of the same trace.
 */
export interface JobCorrelation {
  readonly traceId: string;
  readonly workflowInstanceId?: string;
  readonly caller?: string;
}

/** A job's stored data: the payload's own fields plus the reserved `_ctx` field. */
export type JobData = Record<string, unknown> & { _ctx?: JobCorrelation };

/**
 * The correlation to store with a job enqueued now: the caller's context, or a new trace when there is none
 * (a CLI replay, a scheduled job), so that every job still has a trace id on its log lines.
 */
export function captureCorrelation(context: RequestContext | undefined = currentContext()): JobCorrelation {
  const ctx = context ?? newTraceContext();
  return {
    traceId: ctx.traceId,
    ...(ctx.workflowInstanceId ? { workflowInstanceId: ctx.workflowInstanceId } : {}),
    ...(ctx.caller ? { caller: ctx.caller } : {}),
  };
}

/** Stores the payload with its correlation; `_ctx` is reserved and overwritten if a payload carries one. */
export function toJobData(payload: object, correlation: JobCorrelation): JobData {
  return { ...(payload as Record<string, unknown>), _ctx: correlation };
}

/** Splits stored job data back into the payload the processor sees and the correlation to restore. */
export function fromJobData(data: JobData): { payload: Record<string, unknown>; correlation: JobCorrelation } {
  const { _ctx, ...payload } = data;
  // Jobs enqueued by something other than this layer have no `_ctx`: give them a trace of their own.
  return { payload, correlation: _ctx ?? captureCorrelation(newTraceContext()) };
}

/** Runs `fn` inside the job's correlation context, so every log line of the processor carries the trace id. */
export function runInJobContext<T>(correlation: JobCorrelation, fn: () => T): T {
  const context: RequestContext = { ...correlation, spanId: randomBytes(8).toString('hex') };
  return runWithContext(context, fn);
}
