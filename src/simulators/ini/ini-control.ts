import express, { type Router } from 'express';
import type { ForwardRecord } from './ini-forwarder.js';
import type { IniOutageMode, IniReceivedRequest, IniSwitches } from './ini-sim-state.js';
import type { IniRegion } from './region-directory.js';
import type { IniIndexView } from './ini-index-view.js';

/** Programmatic control of the INI simulator; the same switches are served over HTTP under `/__ini/`. */
export interface IniSimulatorControl {
  readonly switches: Readonly<IniSwitches>;
  /** Starts (`refuse`/`503`) or ends (`false`) an outage; `durationMs` ends it automatically. */
  setOutage(mode: IniOutageMode | false, durationMs?: number): Promise<void>;
  /** Delay before every answer. */
  setLatency(ms: number): void;
  /** Adds or replaces a region (e.g. a bridge restarted on another port). */
  setRegion(region: IniRegion): void;
  removeRegion(code: string): void;
  regions(): IniRegion[];
  /** Sets the assisting region (RDA) of a patient CX. */
  setPatientRegion(patientId: string, code: string): void;
  removePatient(patientId: string): void;
  /** Retries the pending forwards now, in order. */
  flushPending(): Promise<{ delivered: number; pending: number }>;
  /** Forwards waiting for their RDA. */
  readonly pendingCount: number;
  /** Every forward to an RDA, oldest first. */
  readonly forwards: readonly ForwardRecord[];
  /** Clears switches, the index, pending forwards and the logs; regions and patients stay. */
  reset(): Promise<void>;
}

/** What the control API lets a test or demo read. */
export interface IniView {
  readonly received: readonly IniReceivedRequest[];
  readonly index: IniIndexView;
}

const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fallback);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * The HTTP control API: `POST /__ini/outage {mode: 'refuse'|'503', durationMs}` (a `refuse` outage needs
 * `durationMs`, since the port closes), `DELETE /__ini/outage`, `PUT /__ini/latency {ms}`, `POST /__ini/flush`,
 * `PUT /__ini/regions/{code} {registryUrl, repositoryUrl}`, `DELETE /__ini/regions/{code}`,
 * `PUT /__ini/patients/{cx} {region}`, `POST /__ini/reset`, `GET /__ini/received|forwards|pending|documents|regions`.
 * Modelled on the Gateway simulator's `/__sim/`.
 */
export function iniControlRouter(control: IniSimulatorControl, view: IniView): Router {
  const router = express.Router();
  router.use(express.json());
  router.post('/outage', (req, res) => {
    const body = (req.body ?? {}) as { mode?: unknown; durationMs?: unknown };
    const mode: IniOutageMode = body.mode === 'refuse' ? 'refuse' : '503';
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
  router.post('/flush', async (_req, res) => void res.status(200).json(await control.flushPending()));
  router.put('/regions/:code', (req, res) => {
    const body = (req.body ?? {}) as { registryUrl?: unknown; repositoryUrl?: unknown };
    const registryUrl = text(body.registryUrl);
    const repositoryUrl = text(body.repositoryUrl);
    if (!registryUrl || !repositoryUrl) {
      res.status(400).json({ error: 'give registryUrl and repositoryUrl' });
      return;
    }
    control.setRegion({ code: req.params.code, registryUrl, repositoryUrl });
    res.status(200).json(control.regions());
  });
  router.delete('/regions/:code', (req, res) => {
    control.removeRegion(req.params.code);
    res.status(200).json(control.regions());
  });
  router.put('/patients/:cx', (req, res) => {
    const region = text((req.body as { region?: unknown } | undefined)?.region);
    if (!region) {
      res.status(400).json({ error: 'give region' });
      return;
    }
    control.setPatientRegion(req.params.cx, region);
    res.status(200).json({ patientId: req.params.cx, region });
  });
  router.post('/reset', async (_req, res) => {
    await control.reset();
    res.status(200).json({ reset: true });
  });
  router.get('/received', (_req, res) => void res.status(200).json(view.received));
  router.get('/forwards', (_req, res) => void res.status(200).json(control.forwards));
  router.get('/pending', (_req, res) => void res.status(200).json({
    pending: control.pendingCount, forwards: control.forwards.filter((f) => f.outcome === 'pending'),
  }));
  router.get('/documents', (_req, res) => void res.status(200).json(view.index.uniqueIds().map((uniqueId) => ({
    uniqueId, versions: view.index.versionsOf(uniqueId).map((e) => ({ entryUuid: e.entryUuid, version: e.version, status: e.status })),
  }))));
  router.get('/regions', (_req, res) => void res.status(200).json(control.regions()));
  return router;
}
