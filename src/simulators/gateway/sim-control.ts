import { randomUUID } from 'node:crypto';
import express, { type Router } from 'express';
import type { SimResponse } from './sim-http.js';
import type { IniFailureMode } from './ini-leg.js';
import type { ReceivedRequest, SimDocument, SimOperation, StatusEvent } from './sim-state.js';

/** `refuse`: the port is closed (connection refused); `reset`: connections are accepted and destroyed at once. */
export type OutageMode = 'refuse' | 'reset';

/** An answer forced on the next calls of an operation (`*` = any). */
export interface InjectedError {
  readonly operation: SimOperation | '*';
  readonly status: number;
  readonly body: unknown;
  readonly contentType?: string;
  remaining: number;
  /** Matching calls still answered normally before this error applies (a refusal of the second call of a kind). */
  skip: number;
}

/** The simulator's fault switches. */
export interface SimSwitches {
  latencyMs: number;
  rateLimit: number;
  readonly injected: InjectedError[];
  outage: OutageMode | false;
  /** Added to the simulator's clock, e.g. six days to exercise the 5-day publication window. */
  clockOffsetMs: number;
  /** How sending to INI fails on purpose (reconciliation tests). See: ini-leg.ts. */
  iniFailure: IniFailureMode;
}

/** Programmatic control of the simulator; the same switches are served over HTTP under `/__sim/`. */
export interface SimulatorControl {
  /** Starts (`refuse`/`reset`) or ends (`false`) an outage; `durationMs` ends it automatically. */
  setOutage(mode: OutageMode | false, durationMs?: number): Promise<void>;
  /** Delay before every answer. */
  setLatency(ms: number): void;
  /** Moves the simulator's clock (validation records age with it). */
  setClockOffset(ms: number): void;
  /** Answers the next `count` calls with GovWay's 429. See: Gateway API digest, 2.5. */
  rateLimitNext(count: number): void;
  /** Answers the next `count` (default 1) calls of an operation with the given status and body. */
  injectError(error: { operation: SimOperation | '*'; status: number; body: unknown; contentType?: string; count?: number; after?: number }): void;
  /** `blocking`: INI is not called, the event is BLOCKING_ERROR; `timeout-after-indexing`: INI indexes, the event says timeout. */
  setIniFailure(mode: IniFailureMode): void;
  /** Resolves when the INI calls started so far (with the `ini` option) have recorded their events. */
  iniSettled(): Promise<void>;
  /** Clears switches, records, documents, events and the received log. */
  reset(): Promise<void>;
  readonly switches: Readonly<SimSwitches>;
}

export function createSwitches(): SimSwitches {
  return { latencyMs: 0, rateLimit: 0, injected: [], outage: false, clockOffsetMs: 0, iniFailure: 'none' };
}

/** The answer forced by a switch for this call, if any (429 first, then injected errors). */
export function forcedAnswer(switches: SimSwitches, operation: SimOperation): SimResponse | undefined {
  if (switches.rateLimit > 0) {
    switches.rateLimit -= 1;
    const govwayId = randomUUID();
    return {
      status: 429,
      headers: { 'content-type': 'application/problem+json', 'retry-after': '1', 'govway-transaction-id': govwayId },
      body: {
        type: 'https://govway.org/handling-errors/429/TooManyRequests.html', title: 'TooManyRequests', status: 429,
        detail: 'Too many requests', govway_id: govwayId,
      },
    };
  }
  const index = switches.injected.findIndex((e) => e.operation === operation || e.operation === '*');
  const injected = switches.injected[index];
  if (!injected) return undefined;
  if (injected.skip > 0) {
    injected.skip -= 1;
    return undefined;
  }
  injected.remaining -= 1;
  if (injected.remaining <= 0) switches.injected.splice(index, 1);
  const contentType = injected.contentType ?? (injected.status >= 400 ? 'application/problem+json' : 'application/json');
  return { status: injected.status, headers: { 'content-type': contentType }, body: injected.body };
}

/** What the control API lets a test or demo read. */
export interface SimView {
  readonly received: readonly ReceivedRequest[];
  readonly documents: ReadonlyMap<string, SimDocument>;
  readonly events: readonly StatusEvent[];
}

const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fallback);

/**
 * The HTTP control API: `POST /__sim/outage {mode, durationMs}` (a `refuse` outage needs `durationMs`, since the port
 * closes), `DELETE /__sim/outage`, `PUT /__sim/latency {ms}`, `POST /__sim/rate-limit {count}`,
 * `POST /__sim/errors {operation, status, body, count, after}`, `PUT /__sim/ini-failure {mode}`, `POST /__sim/reset`,
 * `GET /__sim/received|documents|events`.
 */
export function controlRouter(control: SimulatorControl, view: SimView): Router {
  const router = express.Router();
  router.use(express.json());
  router.post('/outage', (req, res) => {
    const body = (req.body ?? {}) as { mode?: unknown; durationMs?: unknown };
    const mode: OutageMode = body.mode === 'refuse' ? 'refuse' : 'reset';
    const durationMs = typeof body.durationMs === 'number' ? body.durationMs : undefined;
    if (mode === 'refuse' && durationMs === undefined) {
      res.status(400).json({ error: "a 'refuse' outage closes the port: give durationMs" });
      return;
    }
    // Answer first: the outage must not swallow its own acknowledgement.
    res.on('finish', () => void control.setOutage(mode, durationMs));
    res.status(200).json({ outage: mode, durationMs });
  });
  router.delete('/outage', async (_req, res) => {
    await control.setOutage(false);
    res.status(200).json({ outage: false });
  });
  router.put('/latency', (req, res) => {
    control.setLatency(num((req.body as { ms?: unknown } | undefined)?.ms, 0));
    res.status(200).json({ latencyMs: control.switches.latencyMs });
  });
  router.post('/rate-limit', (req, res) => {
    control.rateLimitNext(num((req.body as { count?: unknown } | undefined)?.count, 1));
    res.status(200).json({ rateLimit: control.switches.rateLimit });
  });
  router.post('/errors', (req, res) => {
    const b = (req.body ?? {}) as { operation?: SimOperation | '*'; status?: unknown; body?: unknown; contentType?: string; count?: unknown; after?: unknown };
    const status = num(b.status, 0);
    if (status < 100 || status > 599) {
      res.status(400).json({ error: 'status must be 100-599' });
      return;
    }
    control.injectError({ operation: b.operation ?? '*', status, body: b.body ?? {}, contentType: b.contentType, count: num(b.count, 1), after: num(b.after, 0) });
    res.status(200).json({ injected: control.switches.injected.length });
  });
  router.put('/ini-failure', (req, res) => {
    const mode = (req.body as { mode?: unknown } | undefined)?.mode;
    if (mode !== 'none' && mode !== 'blocking' && mode !== 'timeout-after-indexing') {
      res.status(400).json({ error: "mode must be 'none', 'blocking' or 'timeout-after-indexing'" });
      return;
    }
    control.setIniFailure(mode);
    res.status(200).json({ iniFailure: mode });
  });
  router.post('/reset', async (_req, res) => {
    await control.reset();
    res.status(200).json({ reset: true });
  });
  router.get('/received', (_req, res) => void res.status(200).json(view.received));
  router.get('/documents', (_req, res) => void res.status(200).json([...view.documents.values()]));
  router.get('/events', (_req, res) => void res.status(200).json(view.events));
  return router;
}
