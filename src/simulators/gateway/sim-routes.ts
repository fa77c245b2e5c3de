import express, { type Request, type Response } from 'express';
import type { EndpointFamily } from '../../errors/catalogue.js';
import { FseError } from '../../errors/fse-error.js';
import { newTraceContext, runWithContext } from '../../logging/context.js';
import { handleDelete, handleMetadataUpdate } from './document-routes.js';
import { handlePublication } from './publication.js';
import { controlRouter, forcedAnswer, type SimSwitches, type SimulatorControl } from './sim-control.js';
import { detailOf, PhaseError, renderError, workflowIdOf } from './sim-errors.js';
import type { SimHeaders, SimResponse } from './sim-http.js';
import { readSimMultipart, readText } from './sim-multipart.js';
import type { SimInput, SimOperationDeps } from './sim-operation.js';
import { addEvent, type ReceivedRequest, type SimOperation } from './sim-state.js';
import { callerOf } from './sim-tokens.js';
import { handleStatus } from './status-route.js';
import { handleValidation } from './validation-route.js';

export interface SimAppDeps extends SimOperationDeps {
  readonly switches: SimSwitches;
  readonly control: SimulatorControl;
  readonly maxUploadBytes: number;
}

/** Headers the received log keeps verbatim. */
const LOGGED_HEADERS = ['authorization', 'fse-jwt-signature', 'content-type', 'accept', 'x-callback-url', 'traceparent'];

/** Per operation: status family, body kind and the event a failure leaves. See: Gateway API digest, 2.6 and 8.3. */
const OPERATIONS: Readonly<Record<SimOperation, { family: EndpointFamily; body: 'multipart' | 'json' | 'none'; failureEvent?: string }>> = {
  'validation': { family: 'validation', body: 'multipart', failureEvent: 'VALIDATION' },
  'create': { family: 'publication', body: 'multipart', failureEvent: 'PUBLICATION' },
  'replace': { family: 'publication', body: 'multipart', failureEvent: 'REPLACE' },
  'validate-and-create': { family: 'validation', body: 'multipart', failureEvent: 'PUBLICATION' },
  'validate-and-replace': { family: 'validation', body: 'multipart', failureEvent: 'REPLACE' },
  'delete': { family: 'other', body: 'none' },
  'metadata': { family: 'validation', body: 'json', failureEvent: 'UPDATE' },
  'status': { family: 'other', body: 'none' },
};

type Handler = (input: SimInput, req: Request) => Promise<SimResponse>;

/**
 * The simulated national API on express: each route reads its body, logs the request, applies the fault switches,
 * runs the operation and renders errors as the Gateway does. See: Gateway API digest, 3.0.
 */
export function createSimApp(deps: SimAppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use('/__sim', controlRouter(deps.control, deps.state));
  app.use(async (req, _res, next) => {
    // A `reset` outage: the connection was accepted, it dies before any answer.
    if (deps.switches.outage === 'reset') return void req.socket.destroy();
    if (deps.switches.latencyMs > 0) await new Promise((r) => setTimeout(r, deps.switches.latencyMs));
    next();
  });

  const route = (operation: SimOperation, handler: Handler) => async (req: Request, res: Response) => {
    const ctx = newTraceContext(req.header('traceparent'));
    const headers = lowerCaseHeaders(req);
    const entry: ReceivedRequest = {
      time: new Date(), method: req.method, path: req.originalUrl.split('?')[0] ?? req.originalUrl, operation,
      headers: Object.fromEntries(LOGGED_HEADERS.map((h) => [h, headers[h]])),
    };
    deps.state.received.push(entry);
    const spec = OPERATIONS[operation];
    const caller = callerOf(headers);
    await runWithContext(ctx, async () => {
      let response: SimResponse;
      try {
        const input: SimInput = { headers, ctx, caller, pathId: typeof req.params.id === 'string' ? req.params.id : undefined };
        if (spec.body === 'multipart') {
          const read = await readSimMultipart(req, deps.maxUploadBytes);
          entry.parts = read.parts;
          Object.assign(input, { multipart: read.body });
        } else if (spec.body === 'json') {
          if (!(headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
            throw new FseError('unsupportedMediaType', `Content-Type '${headers['content-type'] ?? ''}' is not supported`);
          }
          entry.json = await readText(req, deps.maxUploadBytes);
          Object.assign(input, { json: entry.json });
        }
        response = forcedAnswer(deps.switches, operation) ?? await handler(input, req);
      } catch (err) {
        const family = err instanceof PhaseError ? err.family : spec.family;
        if (spec.failureEvent) {
          const eventType = operation.startsWith('validate-and') && family === 'validation' ? 'VALIDATION' : spec.failureEvent;
          addEvent(deps.state, ctx, caller, { eventType, eventStatus: 'BLOCKING_ERROR', message: detailOf(err), workflowInstanceId: workflowIdOf(err) });
        }
        if (!(err instanceof FseError) && !(err instanceof PhaseError)) deps.logger.warn('simulator error', { error: String(err) });
        response = renderError(err, family, ctx, req.path);
      }
      entry.status = response.status;
      if (res.headersSent || res.destroyed) return;
      res.status(response.status);
      for (const [k, v] of Object.entries(response.headers)) res.setHeader(k, v);
      res.end(JSON.stringify(response.body));
    });
  };

  app.post('/v1/documents/validation', route('validation', (i) => handleValidation(i, deps)));
  app.post('/v1/documents/validate-and-create', route('validate-and-create', (i) => handlePublication('validate-and-create', i, deps)));
  app.put('/v1/documents/validate-and-replace/:id', route('validate-and-replace', (i) => handlePublication('validate-and-replace', i, deps)));
  app.put('/v1/documents/:id/metadata', route('metadata', (i) => handleMetadataUpdate(i, deps)));
  app.put('/v1/documents/:id/metadata-iti-57', route('metadata', (i) => handleMetadataUpdate(i, deps)));
  app.put('/v1/documents/:id', route('replace', (i) => handlePublication('replace', i, deps)));
  app.post('/v1/documents', route('create', (i) => handlePublication('create', i, deps)));
  app.delete('/v1/documents/:id', route('delete', (i) => handleDelete(i, deps)));
  app.get('/v1/status/search/:traceId', route('status', async (i, req) => handleStatus(i, 'trace', String(req.params.traceId), deps.state)));
  app.get('/v1/status/:wid', route('status', async (i, req) => handleStatus(i, 'workflow', String(req.params.wid), deps.state)));
  app.get('/status', (_req, res) => void res.status(200).json({ status: 'UP', simulator: 'national-gateway' }));
  app.use((req: Request, res: Response) => {
    res.status(404).type('application/problem+json').end(JSON.stringify({
      type: 'about:blank', title: 'Not Found', status: 404, detail: `No endpoint ${req.method} ${req.path}`, instance: req.path,
    }));
  });
  return app;
}

function lowerCaseHeaders(req: Request): SimHeaders {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
