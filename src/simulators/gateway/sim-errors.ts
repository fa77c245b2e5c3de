import type { EndpointFamily } from '../../errors/catalogue.js';
import { FseError } from '../../errors/fse-error.js';
import type { RequestContext } from '../../logging/context.js';
import { problemResponse } from '../../rest/problem.js';
import type { RestResponse } from '../../rest/rest-types.js';

/**
 * Gateway answers the bridge's own catalogue does not need (the bridge relays them, it never produces them).
 * See: Gateway API digest, 9.1 and 11.1-11.2.
 */
export const SIM_PROBLEMS = {
  recordNotFound: { type: '/msg/record-not-found', title: 'Record non trovato.', status: 404, instance: '/record-not-found' },
  wii: { type: '/msg/wii', title: 'Campo worflow instance id non valido', status: 400, instance: '/invalid-id' },
  unauthorized: { type: '/msg/unauthorized', title: 'Unauthorized access', status: 401, instance: '/msg/invalid-issuer-sub' },
  missingBearer: { type: '/msg/mandatory-element-token', title: 'Token JWT non valido.', status: 401, instance: '/missing-jwt' },
  /** The status store's own body: no trace ids. See: Gateway API digest, 9.1. */
  statusNotFound: { type: '/err/resource', title: 'Resource error', status: 404, instance: '/not-found' },
} as const;

export type SimProblemCode = keyof typeof SIM_PROBLEMS;

/** A simulator-only Gateway error. */
export class SimProblem extends Error {
  override name = 'SimProblem';
  constructor(readonly code: SimProblemCode, readonly detail: string, readonly workflowInstanceId?: string) {
    super(`${SIM_PROBLEMS[code].type}: ${detail}`);
  }
}

/** Carries the endpoint family an error belongs to, where one endpoint has two (validate-and-*). See: 3.7. */
export class PhaseError extends Error {
  override name = 'PhaseError';
  constructor(readonly inner: unknown, readonly family: EndpointFamily) {
    super('phase error', { cause: inner });
  }
}

/** Runs one phase of an endpoint, tagging its failures with the family whose statuses apply. */
export async function inPhase<T>(family: EndpointFamily, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw err instanceof PhaseError ? err : new PhaseError(err, family);
  }
}

/** The detail of an error, for status events. */
export function detailOf(err: unknown): string {
  const inner = err instanceof PhaseError ? err.inner : err;
  return inner instanceof FseError || inner instanceof SimProblem ? inner.detail : String((inner as Error)?.message ?? inner);
}

/** The workflow instance id an error carries, when known, for its status event. */
export function workflowIdOf(err: unknown): string | undefined {
  const inner = err instanceof PhaseError ? err.inner : err;
  const wid = inner instanceof FseError || inner instanceof SimProblem ? inner.workflowInstanceId : undefined;
  return wid === 'UNKNOWN_WORKFLOW_ID' ? undefined : wid;
}

/** Renders any failure as the Gateway would: its problem+json, or 500 `/msg/generic-error` for the unexpected. */
export function renderError(err: unknown, family: EndpointFamily, ctx: RequestContext, path: string): RestResponse {
  if (err instanceof PhaseError) return renderError(err.inner, err.family, ctx, path);
  if (err instanceof SimProblem) {
    const spec = SIM_PROBLEMS[err.code];
    const ids = err.code === 'statusNotFound' ? {} : { traceID: ctx.traceId, spanID: ctx.spanId };
    return {
      status: spec.status,
      headers: { 'content-type': 'application/problem+json' },
      body: { ...ids, type: spec.type, title: spec.title, detail: err.detail, status: spec.status, instance: spec.instance },
    };
  }
  const fse = err instanceof FseError ? err : new FseError('genericError', String((err as Error)?.message ?? err));
  return problemResponse(fse, family, ctx, path);
}
