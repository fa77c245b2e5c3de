import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logging/logger.js';
import type { ConsoleSession } from '../stores/console-session-store.js';

/** The console API's errors: problem+json (RFC 9457), as the bridge's other REST answers. */
export function problem(res: Response, status: number, title: string, detail?: string): void {
  if (res.headersSent) return;
  res.status(status).type('application/problem+json').send(JSON.stringify({
    type: `https://fse-bridge.example/console/problems/${status}`, title, status, ...(detail ? { detail } : {}),
  }));
}

export function json(res: Response, body: unknown, status = 200): void {
  res.status(status).setHeader('cache-control', 'no-store');
  res.type('application/json').send(JSON.stringify(body));
}

export type ConsoleHandler = (req: Request, res: Response, session: ConsoleSession) => Promise<void>;

/** Runs a handler; a throw is a 500 problem with nothing of the error shown to the browser, and one log line. */
export function safely(logger: Logger, fn: (req: Request, res: Response, next: NextFunction) => Promise<void>) {
  return (req: Request, res: Response, next: NextFunction): void => {
    fn(req, res, next).catch((err: unknown) => {
      logger.error('console request failed', { path: req.path, error: String((err as Error)?.stack ?? err) });
      problem(res, 500, 'Internal error', 'the console could not answer; the bridge log has the details');
    });
  };
}

/** The named cookie of a request, without a parser library for one header. */
export function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.header('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** Query parameter as one string (express gives arrays for repeats: the first wins), capped. */
export function param(req: Request, name: string, max = 200): string | undefined {
  const raw = req.query[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' && value !== '' ? value.slice(0, max) : undefined;
}

export function intParam(req: Request, name: string, min: number, max: number, fallback?: number): number | undefined {
  const value = param(req, name, 20);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new BadParam(`${name} must be an integer from ${min} to ${max}`);
  return n;
}

export function dateParam(req: Request, name: string): Date | undefined {
  const value = param(req, name, 40);
  if (value === undefined) return undefined;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new BadParam(`${name} must be an ISO 8601 date-time`);
  return d;
}

/** A query parameter the console cannot use: answered 400. */
export class BadParam extends Error {}
