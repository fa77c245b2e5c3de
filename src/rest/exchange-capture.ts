import type { NextFunction, Request, Response } from 'express';
import { bindRequestContext, newTraceContext, runWithContext } from '../logging/context.js';
import type { ExchangeRecorder } from '../stores/exchange-recorder.js';
import { maskBody, maskHeaders } from './raw-masking.js';

export interface CaptureOptions {
  /** POST paths of the SOAP endpoints (the rest of `/v1/` is the REST door). */
  readonly soapPaths: readonly string[];
  /** Bytes kept of each body: the first three quarters and the last quarter (a multipart's JSON part comes last). */
  readonly maxBodyBytes: number;
}

/** REST actions by route, for exchanges no handler named (refused before the route ran, unknown path). */
function restAction(method: string, path: string): string {
  if (path.startsWith('/v1/status')) return 'status';
  if (path.startsWith('/v1/citizen')) return 'citizen';
  if (path.startsWith('/v1/audit')) return 'audit';
  return `${method} ${path.split('/').slice(0, 4).join('/')}`;
}

/** A SOAP exchange succeeded unless it is a fault or its RegistryResponse says Failure. See: xds-ini digest 3.6. */
function soapFailed(status: number, body: string): boolean {
  return status >= 400 || /ResponseStatusType:Failure|<(?:[\w-]+:)?Fault[\s>]/.test(body);
}

/** Keeps the head and the tail of a stream's bytes up to `max`, and counts the rest. */
function collector(max: number) {
  const headMax = Math.floor(max * 0.75);
  const head: Buffer[] = [];
  let headBytes = 0;
  let tail = Buffer.alloc(0);
  let total = 0;
  return {
    add(chunk: unknown) {
      if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk instanceof Uint8Array ? chunk : String(chunk));
      total += buf.length;
      const room = headMax - headBytes;
      if (room > 0) {
        head.push(buf.subarray(0, room));
        headBytes += Math.min(room, buf.length);
      }
      if (buf.length > room) tail = Buffer.concat([tail, buf.subarray(Math.max(room, 0))]).subarray(-(max - headMax));
    },
    bytes(): { raw: Buffer; truncated: boolean } {
      const kept = headBytes + tail.length;
      if (total <= kept) return { raw: Buffer.concat([...head, tail]), truncated: false };
      const marker = Buffer.from(`\r\n[... ${total - kept} bytes not kept ...]\r\n`);
      return { raw: Buffer.concat([...head, marker, tail]), truncated: true };
    },
  };
}

/**
 * The console's journal at the front doors: every REST call under `/v1/` and every SOAP POST is recorded once
 * answered, with its masked request and answer, time, status and what the handlers noted of it (action, patient,
 * documents, workflow). The middleware opens the request's correlation context, so the row carries the trace id
 * the answer and the status API carry. Bodies are tapped as they stream ('data' events, which `read()` also emits),
 * so no handler reads anything twice. Written by hand: no express middleware captures both bodies with masking.
 */
export function captureExchanges(recorder: ExchangeRecorder, options: CaptureOptions) {
  const soap = new Set(options.soapPaths);
  return (req: Request, res: Response, next: NextFunction): void => {
    const door = req.method === 'POST' && soap.has(req.path) ? 'soap' : req.path.startsWith('/v1/') ? 'rest' : undefined;
    if (!door) {
      next();
      return;
    }
    const ctx = newTraceContext(req.header('traceparent'));
    bindRequestContext(req, ctx);
    const started = new Date();
    const request = collector(options.maxBodyBytes);
    const response = collector(options.maxBodyBytes);
    const emit = req.emit.bind(req);
    req.emit = ((event: string, ...args: unknown[]) => {
      if (event === 'data') request.add(args[0]);
      return emit(event, ...args);
    }) as typeof req.emit;
    const write = res.write.bind(res);
    const end = res.end.bind(res);
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      response.add(chunk);
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      response.add(chunk);
      return (end as (...a: unknown[]) => Response)(chunk, ...rest);
    }) as typeof res.end;
    res.once('finish', () => {
      const req_ = request.bytes();
      const res_ = response.bytes();
      const answerType = String(res.getHeader('content-type') ?? '');
      const answerText = res_.raw.toString('latin1');
      const failed = door === 'soap' ? soapFailed(res.statusCode, answerText) : res.statusCode >= 400;
      const wid = ctx.workflowInstanceId ?? /"workflowInstanceId"\s*:\s*"([^"]{1,200})"/.exec(answerText)?.[1];
      recorder.record({
        at: started, ms: Date.now() - started.getTime(), door, action: ctx.action ?? restAction(req.method, req.path),
        method: req.method, path: req.originalUrl.slice(0, 500), httpStatus: res.statusCode, outcome: failed ? 'failure' : 'success',
        traceId: ctx.traceId, workflowInstanceId: wid, patientId: ctx.patientId, documentIds: ctx.documentIds ?? [], caller: ctx.caller,
        request: { headers: maskHeaders(req.headers), body: maskBody(req_.raw, req.header('content-type')), truncated: req_.truncated },
        response: { headers: maskHeaders(res.getHeaders() as Record<string, string>), body: maskBody(res_.raw, answerType), truncated: res_.truncated },
      });
    });
    runWithContext(ctx, next);
  };
}
