import express, { type Request, type Response } from 'express';
import { createSoapCaller, type SoapCaller } from '../../soap-wire/soap-client.js';
import { silentLogger, type Logger } from '../../logging/logger.js';
import type { SamlSigner } from '../../saml/saml-signer.js';
import type { SamlTrustedSigner } from '../../saml/saml-trust-store.js';
import type { SoapLimits } from '../../soap-wire/soap-payload.js';
import { startSimServer, type SimServer, type SimServerTls } from '../sim-server.js';
import { iniDelete, iti42Register, iti57Update, type IniHandlerDeps } from './forward-writes.js';
import { iniControlRouter, type IniSimulatorControl } from './ini-control.js';
import { createForwarder } from './ini-forwarder.js';
import { createIniIndex } from './ini-index.js';
import { INI_SERVICE_PATHS, type IniService } from '../../metadata/ini-service-paths.js';
import { createIniSwitches, type IniOutageMode, type IniReceivedRequest } from './ini-sim-state.js';
import { handleIniSoap, type IniRouterDeps } from './ini-soap-router.js';
import { iti18Query } from './iti18-query.js';
import { iti43Retrieve } from './iti43-retrieve.js';
import { createRegionDirectory, type IniRegion } from './region-directory.js';
import type { IniIndexView } from './ini-index-view.js';

export type { IniSimulatorControl } from './ini-control.js';
export type { ForwardRecord } from './ini-forwarder.js';
export type { IniIndexView } from './ini-index-view.js';
export { INI_SERVICE_PATHS, type IniService } from '../../metadata/ini-service-paths.js';
export type { IniOutageMode, IniReceivedRequest, IniSwitches } from './ini-sim-state.js';
export type { IniRegion } from './region-directory.js';
export { INI_IDENTITY } from './ini-assertions.js';

/** Options of {@link startIniSimulator}. */
export interface IniSimulatorOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** INI's signature key and certificate: every assertion INI sends (Issuer `000`, role `INI`). */
  readonly signer: SamlSigner;
  /** Pinned certificates that may sign inbound assertions (the Gateway's, the regions'). */
  readonly trustedSigners: readonly SamlTrustedSigner[];
  /** Issuers accepted inbound (the regions' codes; the Gateway signs with the producer's region as Issuer). */
  readonly allowedIssuers: readonly string[];
  readonly clockSkewSeconds?: number;
  /** The regions' endpoints; mutable through `control`. */
  readonly regions?: readonly IniRegion[];
  /** Patient CX -> assisting region code (RDA); mutable through `control`. */
  readonly patients?: Readonly<Record<string, string>>;
  /** The RDA of patients not in `patients`; without it such a publication is `XDSUnknownPatientId`. */
  readonly defaultRegion?: string;
  /** Serve HTTPS; `ca` verifies client certificates, required unless `requireClientCert` is false. See: xds-ini digest 2.7. */
  readonly tls?: SimServerTls;
  /** The SOAP caller for INI's calls to the regions (not closed by `stop`); by default one of its own. */
  readonly caller?: SoapCaller;
  /** Deadline of INI's own calls when it makes its caller. Default 5000 ms. */
  readonly callTimeoutMs?: number;
  /** TLS client certificate of INI's own caller. */
  readonly clientTls?: { readonly cert: string; readonly key: string; readonly ca?: string };
  /** Backoff of pending forwards: first delay, doubling up to the maximum. Defaults 250 ms and 5000 ms. */
  readonly retry?: { readonly baseMs?: number; readonly maxMs?: number };
  readonly limits?: SoapLimits;
  readonly logger?: Logger;
}

/** A running INI simulator. */
export interface IniSimulator {
  /** Base URL, e.g. `http://127.0.0.1:40123`; the services are under it at {@link INI_SERVICE_PATHS}. */
  readonly url: string;
  readonly port: number;
  /** The full URL of every service. */
  readonly services: Readonly<Record<IniService, string>>;
  readonly control: IniSimulatorControl;
  /** INI's index: every DocumentEntry version it knows. */
  readonly index: IniIndexView;
  /** Every SOAP request received (control calls excluded), oldest first. */
  readonly received: readonly IniReceivedRequest[];
  stop(): Promise<void>;
}

const DEFAULT_LIMITS: SoapLimits = { maxBytes: 64 * 1024 * 1024, maxParts: 100, maxPartBytes: 64 * 1024 * 1024 };

/**
 * Starts a real HTTP(S) server that behaves as INI: the registry, metadata-update, delete, references and retrieve
 * services over SOAP 1.2 with a signed SAML assertion on every call; an in-memory index; forwards to the patient's
 * RDA; queries and retrieves routed to the regions; latency and outage switches. See: xds-ini digest 1.1-1.4, 2.8, 4.
 */
export async function startIniSimulator(options: IniSimulatorOptions): Promise<IniSimulator> {
  const logger = options.logger ?? silentLogger();
  const host = options.host ?? '127.0.0.1';
  const ownCaller = options.caller ? undefined : createSoapCaller({ timeoutMs: options.callTimeoutMs ?? 5000, tls: options.clientTls });
  const caller = options.caller ?? (ownCaller as SoapCaller);
  const regions = createRegionDirectory(options.regions ?? [], options.patients ?? {}, options.defaultRegion);
  const index = createIniIndex();
  const forwarder = createForwarder({ caller, regions, retryBaseMs: options.retry?.baseMs ?? 250, retryMaxMs: options.retry?.maxMs ?? 5000 });
  const switches = createIniSwitches();
  const received: IniReceivedRequest[] = [];
  const deps: IniHandlerDeps = { index, regions, forwarder, caller, signer: options.signer };
  const router: IniRouterDeps = {
    handlers: { iti42: iti42Register(deps), iti57: iti57Update(deps), delete: iniDelete(deps), iti18: iti18Query(deps), iti43: iti43Retrieve(deps) },
    trust: { trustedSigners: options.trustedSigners, allowedIssuers: options.allowedIssuers, clockSkewSeconds: options.clockSkewSeconds },
    limits: options.limits ?? DEFAULT_LIMITS,
    logger,
  };

  let server: SimServer | undefined;

  const control: IniSimulatorControl = {
    switches,
    async setOutage(mode: IniOutageMode | false, durationMs?: number) {
      await server?.setOutage(switches, mode, durationMs);
    },
    setLatency: (ms) => void (switches.latencyMs = Math.max(0, ms)),
    setRegion: (region) => regions.setRegion(region),
    removeRegion: (code) => regions.removeRegion(code),
    regions: () => regions.regions(),
    setPatientRegion: (patientId, code) => regions.setPatientRegion(patientId, code),
    removePatient: (patientId) => regions.removePatient(patientId),
    flushPending: () => forwarder.flush(),
    get pendingCount() {
      return forwarder.pendingCount;
    },
    forwards: forwarder.log,
    async reset() {
      await control.setOutage(false);
      switches.latencyMs = 0;
      forwarder.clear();
      index.clear();
      received.length = 0;
    },
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use('/__ini', iniControlRouter(control, { received, index }));
  app.use(async (_req, res, next) => {
    if (switches.latencyMs > 0) await new Promise((r) => setTimeout(r, switches.latencyMs));
    if (switches.outage === '503') return void res.status(503).type('text/plain').end('Service Unavailable');
    next();
  });
  for (const [service, path] of Object.entries(INI_SERVICE_PATHS) as [IniService, string][]) {
    app.post(path, async (req: Request, res: Response) => {
      const entry: IniReceivedRequest = { time: new Date(), path, service };
      received.push(entry);
      const answer = await handleIniSoap(service, req.header('content-type'), req, entry, router);
      entry.httpStatus = answer.status;
      res.status(answer.status).setHeader('content-type', answer.contentType);
      res.end(answer.body);
    });
  }
  app.get('/status', (_req, res) => void res.status(200).json({ status: 'UP', simulator: 'ini' }));
  app.use((req: Request, res: Response) => void res.status(404).type('text/plain').end(`No INI service at ${req.method} ${req.path}`));

  const started = await startSimServer(app, { port: options.port, host, tls: options.tls });
  server = started;
  const url = started.origin;
  logger.info('ini simulator listening', { port: started.port, tls: Boolean(options.tls) });

  return {
    url,
    port: started.port,
    services: Object.fromEntries((Object.entries(INI_SERVICE_PATHS) as [IniService, string][]).map(([s, p]) => [s, `${url}${p}`])) as Record<IniService, string>,
    control,
    index,
    received,
    async stop() {
      await forwarder.stop();
      await started.stop();
      await ownCaller?.close();
    },
  };
}
