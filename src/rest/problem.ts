import { ERRORS, statusOf, type EndpointFamily } from '../errors/catalogue.js';
import { FseError } from '../errors/fse-error.js';
import type { RequestContext } from '../logging/context.js';
import { UNKNOWN_WORKFLOW_ID } from '../domain/workflow-instance-id.js';
import type { RestResponse } from './rest-types.js';

/** Codes raised by the frontier (GovWay, Spring) rather than by the dispatcher: they never carry a workflow id. */
const FRONTIER = new Set(['tokenAuthentication', 'payloadTooLarge', 'unsupportedMediaType', 'notFound']);

/**
 * Maps the one error value to RFC 7807 `application/problem+json`, with the Gateway's fields and nothing else
 * (its OpenAPI forbids additional properties). See: Gateway API digest, 2.4 and 11.
 */
export function problemResponse(err: FseError, family: EndpointFamily, ctx: RequestContext, path: string): RestResponse {
  const spec = ERRORS[err.code];
  const status = statusOf(err.code, family);
  const frontier = FRONTIER.has(err.code);
  const body: Record<string, unknown> = {
    traceID: ctx.traceId,
    spanID: ctx.spanId,
    type: spec.type,
    title: spec.title,
    detail: err.detail,
    status,
    instance: spec.type === 'about:blank' ? path : err.instance,
  };
  if (family === 'validation' && !frontier) body.workflowInstanceId = err.workflowInstanceId ?? UNKNOWN_WORKFLOW_ID;
  const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
  if (err.code === 'tokenAuthentication') {
    // GovWay's answer to a refused token. See: Gateway API digest, 2.5.
    headers['www-authenticate'] = 'Bearer realm="FSE-JWT-Signature", error="invalid_token", error_description="Token invalid"';
  }
  return { status, headers, body };
}

/** Any other failure is the middleware's own fault: `mw/internal_error`, never a stack trace. */
export function internalErrorResponse(family: EndpointFamily, ctx: RequestContext, path: string): RestResponse {
  return problemResponse(new FseError('mwInternalError', 'Errore interno del middleware regionale'), family, ctx, path);
}

export function toProblem(err: unknown, family: EndpointFamily, ctx: RequestContext, path: string): RestResponse | undefined {
  return err instanceof FseError ? problemResponse(err, family, ctx, path) : undefined;
}
