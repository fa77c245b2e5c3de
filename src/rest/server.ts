import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import express, { type Request, type Response } from 'express';
import type { EndpointFamily } from '../errors/catalogue.js';
import { FseError } from '../errors/fse-error.js';
import { requestContext, runWithContext, type RequestContext } from '../logging/context.js';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { readMultipart } from './multipart.js';
import { internalErrorResponse, problemResponse } from './problem.js';
import type { Headers, MultipartBody, RestResponse } from './rest-types.js';
import { handleValidation, type ValidationRouteDeps } from './validation-route.js';
import { readJsonText } from './json-body.js';
import { handleOperation, type OperationInput, type PublicationRouteDeps } from './publication-routes.js';
import { handleStatus, handleStatusByTrace, type StatusRouteDeps } from './status-route.js';
import type { OperationKind } from '../stores/operation-store.js';

export interface HttpDeps {
  readonly validation: ValidationRouteDeps;
  /** The publication family and status API; absent when the bridge runs validation only. */
  readonly publication?: PublicationRouteDeps;
  readonly status?: StatusRouteDeps;
  readonly logger: Logger;
  readonly maxUploadBytes: number;
  /** Facts for the liveness answer (active catalog, version). */
  readonly liveness: Readonly<Record<string, unknown>>;
  readonly metrics: Metrics;
  /** Other front doors on the same server (the SOAP endpoints), mounted before the catch-all 404. */
  readonly mount?: readonly ((app: express.Express) => void)[];
  /** Middleware that sees every request first: the console's journal (exchange-capture.ts). */
  readonly capture?: express.RequestHandler;
}

type MultipartHandler = (headers: Headers, body: MultipartBody, ctx: RequestContext) => Promise<RestResponse>;
type Reader = (req: Request) => Promise<OperationInput>;
type InputHandler = (headers: Headers, input: OperationInput, ctx: RequestContext) => Promise<RestResponse>;

/**
 * The express shim: it only moves bytes between HTTP and the transport-neutral routers, sets the correlation
 * context and renders errors in the Gateway's problem+json form. No business logic lives here.
 */
export function createHttpApp(deps: HttpDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (deps.capture) app.use(deps.capture);

  const route = (family: EndpointFamily, read: Reader, handler: InputHandler) => async (req: Request, res: Response) => {
    const ctx = requestContext(req, req.header('traceparent'));
    await runWithContext(ctx, async () => {
      const started = Date.now();
      let response: RestResponse;
      try {
        const input = { ...(await read(req)), url: `${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`, remoteAddress: req.socket.remoteAddress };
        response = await handler(lowerCaseHeaders(req), input, ctx);
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

  const pathId = (req: Request) => (typeof req.params.id === 'string' ? req.params.id : undefined);
  const multipart: Reader = async (req) => ({ pathId: pathId(req), multipart: await readMultipart(req, { maxBytes: deps.maxUploadBytes }) });
  const json: Reader = async (req) => ({ pathId: pathId(req), json: await readJsonText(req, deps.maxUploadBytes) });
  const none: Reader = async (req) => ({ pathId: pathId(req) });
  const multipartRoute = (family: EndpointFamily, handler: MultipartHandler) =>
    route(family, multipart, (h, input, ctx) => handler(h, input.multipart ?? { fields: new Map(), files: new Map() }, ctx));

  app.post('/v1/documents/validation', multipartRoute('validation', (h, b, ctx) => handleValidation(h, b, ctx, deps.validation)));
  const publication = deps.publication;
  if (publication) {
    const op = (kind: OperationKind): InputHandler => (h, input, ctx) => handleOperation(kind, h, input, ctx, publication);
    app.post('/v1/documents/validate-and-create', route('publication', multipart, op('validate-and-create')));
    app.put('/v1/documents/validate-and-replace/:id', route('publication', multipart, op('validate-and-replace')));
    app.post('/v1/documents', route('publication', multipart, op('create')));
    app.put('/v1/documents/:id/metadata', route('validation', json, op('metadata')));
    app.put('/v1/documents/:id/metadata-iti-57', route('validation', json, op('metadata-iti-57')));
    app.put('/v1/documents/:id', route('publication', multipart, op('replace')));
    app.delete('/v1/documents/:id', route('other', none, op('delete')));
  }
  const status = deps.status;
  if (status) {
    app.get('/v1/status/search/:traceId', route('other', async (req) => ({ pathId: String(req.params.traceId) }), (h, i, ctx) => handleStatusByTrace(h, i.pathId ?? '', ctx, status)));
    app.get('/v1/status/:wid', route('other', async (req) => ({ pathId: String(req.params.wid) }), (h, i, ctx) => handleStatus(h, i.pathId ?? '', ctx, status)));
  }
  app.get('/status', (_req, res) => {
    res.status(200).json({ status: 'UP', ...deps.liveness });
  });
  app.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', deps.metrics.registry.contentType);
    res.end(await deps.metrics.registry.metrics());
  });
  for (const mount of deps.mount ?? []) mount(app);
  app.use((req: Request, res: Response) => {
    const ctx = requestContext(req, req.header('traceparent'));
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

/** TLS of the bridge's own endpoints: PEM texts; `clientCa` asks clients for a certificate (SOAP callers' identity). */
export interface ServerTls {
  readonly cert: string;
  readonly key: string;
  readonly clientCa?: string;
}

/**
 * Starts listening (HTTPS when `tls` is given); resolves with the server once the port is bound. Client certificates
 * are requested but not required at the TLS layer, so an unknown one gets a SOAP Fault instead of a dropped connection.
 */
export function listen(app: express.Express, port: number, host: string, tls?: ServerTls): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server: Server = tls
      ? createHttpsServer({ cert: tls.cert, key: tls.key, ca: tls.clientCa, requestCert: tls.clientCa !== undefined, rejectUnauthorized: false }, app)
      : createHttpServer(app);
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
