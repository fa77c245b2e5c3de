import type { Server } from 'node:http';
import express, { type Request, type Response } from 'express';
import type { EndpointFamily } from '../errors/catalogue.js';
import { FseError } from '../errors/fse-error.js';
import { newTraceContext, runWithContext, type RequestContext } from '../logging/context.js';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { readMultipart } from './multipart.js';
import { internalErrorResponse, problemResponse } from './problem.js';
import type { Headers, MultipartBody, RestResponse } from './rest-types.js';
import { handleValidation, type ValidationRouteDeps } from './validation-route.js';

export interface HttpDeps {
  readonly validation: ValidationRouteDeps;
  readonly logger: Logger;
  readonly maxUploadBytes: number;
  /** Facts for the liveness answer (active catalog, version). */
  readonly status: Readonly<Record<string, unknown>>;
  readonly metrics: Metrics;
}

type MultipartHandler = (headers: Headers, body: MultipartBody, ctx: RequestContext) => Promise<RestResponse>;

/**
 * The express shim: it only moves bytes between HTTP and the transport-neutral routers, sets the correlation
 * context and renders errors in the Gateway's problem+json form. No business logic lives here.
 */
export function createHttpApp(deps: HttpDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  const multipartRoute = (family: EndpointFamily, handler: MultipartHandler) => async (req: Request, res: Response) => {
    const ctx = newTraceContext(req.header('traceparent'));
    await runWithContext(ctx, async () => {
      const started = Date.now();
      let response: RestResponse;
      try {
        const body = await readMultipart(req, { maxBytes: deps.maxUploadBytes });
        response = await handler(lowerCaseHeaders(req), body, ctx);
      } catch (err) {
        if (!(err instanceof FseError)) deps.logger.error('request failed', { error: String((err as Error)?.stack ?? err) });
        response = err instanceof FseError ? problemResponse(err, family, ctx, req.path) : internalErrorResponse(family, ctx, req.path);
      }
      const ms = Date.now() - started;
      deps.logger.info('request', { method: req.method, path: req.path, status: response.status, ms });
      deps.metrics.httpRequests.inc({ route: req.route?.path ?? req.path, status: String(response.status) });
      deps.metrics.httpDuration.observe({ route: req.route?.path ?? req.path }, ms / 1000);
      send(res, response);
    });
  };

  app.post('/v1/documents/validation', multipartRoute('validation', (h, b, ctx) => handleValidation(h, b, ctx, deps.validation)));
  app.get('/status', (_req, res) => {
    res.status(200).json({ status: 'UP', ...deps.status });
  });
  app.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', deps.metrics.registry.contentType);
    res.end(await deps.metrics.registry.metrics());
  });
  app.use((req: Request, res: Response) => {
    const ctx = newTraceContext(req.header('traceparent'));
    send(res, problemResponse(new FseError('notFound', `No endpoint ${req.method} ${req.path}`), 'other', ctx, req.path));
  });
  return app;
}

function lowerCaseHeaders(req: Request): Headers {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function send(res: Response, response: RestResponse): void {
  if (res.headersSent) return;
  res.status(response.status);
  for (const [k, v] of Object.entries(response.headers)) res.setHeader(k, v);
  res.end(Buffer.isBuffer(response.body) ? response.body : JSON.stringify(response.body));
}

/** Starts listening; resolves with the server once the port is bound. */
export function listen(app: express.Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(server)));
  });
}
