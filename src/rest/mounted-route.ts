import type { Request, Response } from 'express';
import { FseError } from '../errors/fse-error.js';
import { requestContext, runWithContext, type RequestContext } from '../logging/context.js';
import type { Logger } from '../logging/logger.js';
import { readJsonText } from './json-body.js';
import { internalErrorResponse, problemResponse } from './problem.js';
import type { Headers, RestResponse } from './rest-types.js';

/** What a handler of the region's own JSON APIs (access log, citizen, rights operators) receives from the shim. */
export interface MountedRequest {
  readonly headers: Headers;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string | undefined>>;
  /** The JSON body, parsed; undefined when the request has none. */
  readonly body: unknown;
  readonly ctx: RequestContext;
  readonly path: string;
}

/** A JSON answer of these APIs, with the correlation ids first as in every answer of the bridge. */
export function jsonResponse(status: number, body: object, ctx: RequestContext): RestResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: { traceID: ctx.traceId, spanID: ctx.spanId, ...body } };
}

export type MountedHandler = (req: MountedRequest) => Promise<RestResponse>;

/** Most bytes a JSON body of these APIs may have: they carry a flag or a delegation, never a document. */
const MAX_JSON_BYTES = 64 * 1024;

async function jsonBody(req: Request): Promise<unknown> {
  const length = Number(req.headers['content-length'] ?? 0);
  if (!req.headers['content-type'] && length === 0 && req.headers['transfer-encoding'] === undefined) return undefined;
  const text = await readJsonText(req, MAX_JSON_BYTES);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new FseError('invalidFormat', 'the body is not JSON');
  }
}

/**
 * The express shim of the region's own APIs, for `HttpDeps.mount` (`src/rest/server.ts`): correlation context, the
 * JSON body read under a small limit, problem+json errors of the `other` family, a Buffer body relayed as bytes.
 * Handlers get a transport-neutral request and return a {@link RestResponse}; nothing else happens here.
 */
export function mountedRoute(handler: MountedHandler, logger?: Logger, options: { readBody?: boolean } = {}) {
  return async (req: Request, res: Response): Promise<void> => {
    const ctx = requestContext(req, req.header('traceparent'));
    await runWithContext(ctx, async () => {
      let response: RestResponse;
      try {
        const body = options.readBody ? await jsonBody(req) : undefined;
        const params = Object.fromEntries(Object.entries(req.params).map(([k, v]) => [k, String(v)]));
        const query = Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, typeof v === 'string' ? v : Array.isArray(v) ? '' : undefined]));
        response = await handler({ headers: lowerCaseHeaders(req), params, query, body, ctx, path: req.path });
      } catch (err) {
        if (!(err instanceof FseError)) logger?.error('request failed', { path: req.path, error: String((err as Error)?.stack ?? err) });
        response = err instanceof FseError ? problemResponse(err, 'other', ctx, req.path) : internalErrorResponse('other', ctx, req.path);
      }
      if (res.headersSent) return;
      res.status(response.status);
      for (const [k, v] of Object.entries(response.headers)) res.setHeader(k, v);
      res.end(Buffer.isBuffer(response.body) ? response.body : response.body === undefined ? undefined : JSON.stringify(response.body));
    });
  };
}

export function lowerCaseHeaders(req: Request): Headers {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
