import path from 'node:path';
import { resolveCatalog } from '../../catalog/catalog.js';
import { PROJECT_ROOT } from '../../config.js';
import { parsePemBundle } from '../../jwt/trust-store.js';
import { silentLogger, type Logger } from '../../logging/logger.js';
import type { SchematronEngineName } from '../../validation/schematron/schematron-engines.js';
import { createValidationPool, prepareEngineSetup, type CdaValidator } from '../../validation/validation-pool.js';
import { startSimServer, type SimServer, type SimServerTls } from '../sim-server.js';
import { createIniLeg, type GatewayIniOptions } from './ini-leg.js';
import { createSwitches, type OutageMode, type SimulatorControl } from './sim-control.js';
import { createSimApp } from './sim-routes.js';
import { clearSimState, createSimState, type ReceivedRequest, type SimDocument, type StatusEvent } from './sim-state.js';
import { createSimTokens } from './sim-tokens.js';

export type { GatewayIniOptions, IniFailureMode } from './ini-leg.js';
export type { OutageMode, SimulatorControl } from './sim-control.js';
export type { ReceivedPart, ReceivedRequest, SimDocument, SimOperation, StatusEvent } from './sim-state.js';

/** Options of {@link startGatewaySimulator}. */
export interface GatewaySimulatorOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** Validation catalog (it-fse-catalogs layout); the project's own rules by default. */
  readonly catalogDir?: string;
  readonly sefCacheDir?: string;
  /** Schematron engine of the simulator's own pool: native (default, as `FSE_SCHEMATRON_ENGINE`) or saxon. */
  readonly schematronEngine?: SchematronEngineName;
  /** A validator to share (not closed by `stop`); by default the simulator starts its own one-thread pool. */
  readonly validator?: CdaValidator;
  /** PEM of the CAs the JWT signature certificates must chain to (GovWay's check); absent: tokens only decoded. */
  readonly trustedCaPem?: string;
  /** Accepted `aud` values; absent: `aud` need only be present. */
  readonly audience?: readonly string[];
  /** Serve HTTPS; `ca` verifies client certificates, required unless `requireClientCert` is false. See: 2.1. */
  readonly tls?: SimServerTls;
  /** Days a validation stays publishable. See: Gateway API digest, 7.7. Default 5. */
  readonly validationTtlDays?: number;
  /** Upload limit; the Gateway's is 5 MB. See: Gateway API digest, 2.2. */
  readonly maxUploadBytes?: number;
  /**
   * INI behind the Gateway: with it, accepted publications, replacements, deletions and metadata updates are sent to
   * INI after the answer (ITI-42, ITI-57, INI delete, SAML per digest 7.3) and their events record INI's outcome.
   * Without it, INI is the simulator's own map, as before. See: ini-leg.ts.
   */
  readonly ini?: GatewayIniOptions;
  readonly logger?: Logger;
}

/** A running simulator of the national Gateway. */
export interface GatewaySimulator {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:40123/v1`. */
  readonly url: string;
  readonly port: number;
  readonly control: SimulatorControl;
  /** Every request received on the national API (control calls excluded), oldest first. */
  readonly received: readonly ReceivedRequest[];
  /** The documents published on the simulated Gateway/INI, by `identificativoDoc`. */
  readonly documents: ReadonlyMap<string, SimDocument>;
  readonly events: readonly StatusEvent[];
  stop(): Promise<void>;
}

/**
 * Starts a real HTTP(S) server that behaves as the national Gateway for the endpoints a producer calls: validation,
 * creation, replacement, validate-and-*, delete, metadata update and status, with fault switches (outage, latency,
 * 429, injected errors) for tests and demos. Its handlers are its own, written from the national contract over the
 * validation engine, the CDA extraction and the JWT primitives, never the bridge's doors, operations or stores, so
 * that tests against it can catch the bridge drifting from the contract. See: Gateway API digest, 3 and 9.
 */
export async function startGatewaySimulator(options: GatewaySimulatorOptions = {}): Promise<GatewaySimulator> {
  const logger = options.logger ?? silentLogger();
  const host = options.host ?? '127.0.0.1';
  let ownValidator: CdaValidator | undefined;
  if (!options.validator) {
    const sefCacheDir = options.sefCacheDir ?? path.join(PROJECT_ROOT, 'var', 'sef-cache');
    const setup = await prepareEngineSetup(resolveCatalog(options.catalogDir), sefCacheDir, logger, { engine: options.schematronEngine ?? 'native' });
    ownValidator = createValidationPool(setup, 1);
  }
  const validator = options.validator ?? (ownValidator as CdaValidator);
  const state = createSimState(options.validationTtlDays ?? 5);
  const switches = createSwitches();
  const iniLeg = options.ini ? createIniLeg(options.ini, state, () => switches.iniFailure, logger) : undefined;
  const tokens = createSimTokens({
    trustAnchors: options.trustedCaPem ? parsePemBundle(options.trustedCaPem, 'simulator trust anchors') : undefined,
    audience: options.audience,
  });

  let server: SimServer | undefined;

  const control: SimulatorControl = {
    switches,
    async setOutage(mode: OutageMode | false, durationMs?: number) {
      // Under `reset` the port stays open and every request destroys its own connection (sim-routes), pooled ones included.
      await server?.setOutage(switches, mode, durationMs);
    },
    setLatency(ms) {
      switches.latencyMs = Math.max(0, ms);
    },
    setClockOffset(ms) {
      switches.clockOffsetMs = ms;
    },
    rateLimitNext(count) {
      switches.rateLimit = Math.max(0, count);
    },
    setIniFailure(mode) {
      switches.iniFailure = mode;
    },
    iniSettled: async () => iniLeg?.settled(),
    injectError(e) {
      switches.injected.push({ operation: e.operation, status: e.status, body: e.body, contentType: e.contentType, remaining: e.count ?? 1, skip: e.after ?? 0 });
    },
    async reset() {
      await control.setOutage(false);
      switches.latencyMs = 0;
      switches.rateLimit = 0;
      switches.clockOffsetMs = 0;
      switches.injected.length = 0;
      switches.iniFailure = 'none';
      await iniLeg?.settled();
      clearSimState(state);
    },
  };

  const app = createSimApp({
    state, switches, control, tokens, validator, logger, ini: iniLeg, iniFailure: () => switches.iniFailure, now: () => new Date(Date.now() + switches.clockOffsetMs), maxUploadBytes: options.maxUploadBytes ?? 5 * 1024 * 1024,
  });
  const started = await startSimServer(app, { port: options.port, host, tls: options.tls });
  server = started;
  logger.info('gateway simulator listening', { port: started.port, tls: Boolean(options.tls) });

  return {
    url: `${started.origin}/v1`,
    port: started.port,
    control,
    received: state.received,
    documents: state.documents,
    events: state.events,
    async stop() {
      await started.stop();
      await iniLeg?.close();
      await ownValidator?.close();
    },
  };
}
