import { randomUUID } from 'node:crypto';
import { UNKNOWN_WORKFLOW_ID } from '../../domain/workflow-instance-id.js';
import { ERRORS, statusOf, type EndpointFamily, type ErrorCode } from '../../errors/catalogue.js';
import { FseError } from '../../errors/fse-error.js';
import type { RequestContext } from '../../logging/context.js';
import type { SimResponse } from './sim-http.js';

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

/** Spring's own refusals, before the dispatcher: its default body, no trace ids. See: Gateway API digest, 2.2, 11.1. */
const SPRING: ReadonlySet<ErrorCode> = new Set(['payloadTooLarge', 'unsupportedMediaType', 'notFound']);

const PROBLEM_JSON = { 'content-type': 'application/problem+json' } as const;

/**
 * A catalogue error as the Gateway's layers render it: GovWay's token refusal (401 with its headers and `govway_id`,
 * 2.5), Spring's `about:blank` (instance = the path, 2.2), else the dispatcher's problem+json with the trace ids, and
 * `workflowInstanceId` on validation-family errors (2.4, 2.6).
 */
function renderFseError(err: FseError, family: EndpointFamily, ctx: RequestContext, path: string): SimResponse {
  const spec = ERRORS[err.code];
  const status = statusOf(err.code, family);
  if (err.code === 'tokenAuthentication') {
    const govwayId = randomUUID();
    return {
      status,
      headers: {
        ...PROBLEM_JSON, 'govway-transaction-errortype': 'TokenAuthenticationFailed', 'govway-transaction-id': govwayId,
        'www-authenticate': 'Bearer realm="FSE-JWT-Signature", error="invalid_token", error_description="Token invalid"',
      },
      body: { type: spec.type, title: spec.title, status, detail: err.detail, govway_id: govwayId },
    };
  }
  if (SPRING.has(err.code)) return { status, headers: PROBLEM_JSON, body: { type: spec.type, title: spec.title, status, detail: err.detail, instance: path } };
  const body: Record<string, unknown> = {
    traceID: ctx.traceId, spanID: ctx.spanId, type: spec.type, title: spec.title, detail: err.detail, status, instance: err.instance,
  };
  if (family === 'validation') body.workflowInstanceId = err.workflowInstanceId ?? UNKNOWN_WORKFLOW_ID;
  return { status, headers: PROBLEM_JSON, body };
}

/** Renders any failure as the Gateway would: its problem+json, or 500 `/msg/generic-error` for the unexpected. */
export function renderError(err: unknown, family: EndpointFamily, ctx: RequestContext, path: string): SimResponse {
  if (err instanceof PhaseError) return renderError(err.inner, err.family, ctx, path);
  if (err instanceof SimProblem) {
    const spec = SIM_PROBLEMS[err.code];
    const ids = err.code === 'statusNotFound' ? {} : { traceID: ctx.traceId, spanID: ctx.spanId };
    return {
      status: spec.status,
      headers: PROBLEM_JSON,
      body: { ...ids, type: spec.type, title: spec.title, detail: err.detail, status: spec.status, instance: spec.instance },
    };
  }
  const fse = err instanceof FseError ? err : new FseError('genericError', String((err as Error)?.message ?? err));
  return renderFseError(fse, family, ctx, path);
}
