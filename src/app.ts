import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { resolveCatalog, type CatalogDescriptor } from './catalog/catalog.js';
import type { Config } from './config.js';
import { createGatewayClient, type GatewayClient } from './gateway/gateway-client.js';
import { loadTrustAnchors } from './jwt/trust-store.js';
import { startGatewaySimulator, type GatewaySimulator } from './simulators/gateway/gateway-simulator.js';
import type { Logger } from './logging/logger.js';
import { createMetrics } from './observability/metrics.js';
import { createTokenVerifier } from './rest/token-verifier.js';
import { createHttpApp, listen } from './rest/server.js';
import { createMemoryValidationRecordStore, type ValidationRecordStore } from './stores/validation-record-store.js';
import { createValidationPool, prepareEngineSetup, type CdaValidator } from './validation/validation-pool.js';

export interface App {
  readonly catalog: CatalogDescriptor;
  /** Validation records left by `VALIDATION`, consumed by a later publication. */
  readonly validationRecords: ValidationRecordStore;
  /** Binds the HTTP port; resolves with the actual port (useful with PORT=0 in tests). */
  start(): Promise<{ port: number }>;
  /** Stops in reverse order of start: HTTP first, then the worker pool. */
  stop(): Promise<void>;
}

/**
 * Composes the bridge from plain functions (no DI container): catalog, compiled rules, worker pool, stores,
 * token verification and the HTTP shim. Nothing connects or listens until `start()`.
 */
export async function createApp(config: Config, logger: Logger): Promise<App> {
  if (!config.trustedCaFile) throw new Error('FSE_TRUSTED_CA is not set: the bridge cannot verify producer JWTs without trust anchors');
  const catalog = resolveCatalog(config.catalogDir);
  logger.info('validation catalog', {
    kind: catalog.kind, dir: catalog.dir, version: catalog.version,
    types: Object.keys(catalog.schematronByType).length, xsd: Boolean(catalog.schemaDir),
  });
  const trustAnchors = loadTrustAnchors(config.trustedCaFile);
  const records = createMemoryValidationRecordStore(config.validationTtlDays);
  const metrics = createMetrics();
  let validator: CdaValidator | undefined;
  let server: Server | undefined;
  let simulator: GatewaySimulator | undefined;
  let gateway: GatewayClient | undefined;

  return {
    catalog,
    validationRecords: records,
    async start() {
      const setup = await prepareEngineSetup(catalog, config.sefCacheDir, logger);
      validator = createValidationPool(setup, config.validationWorkers);
      // No national Gateway configured: the simulator runs in-process, so the whole flow works locally.
      if (!config.gatewayUrl) {
        simulator = await startGatewaySimulator({
          host: '127.0.0.1', catalogDir: config.catalogDir, sefCacheDir: config.sefCacheDir, validator,
          trustedCaPem: readFileSync(config.trustedCaFile as string, 'utf8'), validationTtlDays: config.validationTtlDays,
          maxUploadBytes: config.maxUploadBytes, logger,
        });
        logger.info('national Gateway simulator started in-process', { url: simulator.url });
      }
      const gatewayUrl = config.gatewayUrl ?? (simulator as GatewaySimulator).url;
      gateway = createGatewayClient({
        baseUrl: gatewayUrl,
        tls: config.gatewayTls ? {
          cert: readFileSync(config.gatewayTls.certFile, 'utf8'), key: readFileSync(config.gatewayTls.keyFile, 'utf8'),
          ca: config.gatewayTls.caFile ? readFileSync(config.gatewayTls.caFile, 'utf8') : undefined,
        } : undefined,
        timeoutMs: config.gatewayTimeoutMs,
        jwtMode: config.gatewayJwtMode,
        regionSigner: config.regionSigner
          ? { certPem: readFileSync(config.regionSigner.certFile, 'utf8'), keyPem: readFileSync(config.regionSigner.keyFile, 'utf8') }
          : undefined,
        audience: gatewayUrl,
      });
      const tokens = createTokenVerifier({
        trustAnchors,
        audience: config.jwtAudience,
        clockSkewSeconds: config.jwtClockSkewSeconds,
        allowSpecialFiscalCodes: config.allowSpecialFiscalCodes,
      });
      const app = createHttpApp({
        logger,
        maxUploadBytes: config.maxUploadBytes,
        status: { catalog: catalog.kind, catalogVersion: catalog.version },
        metrics,
        validation: { validator, records, logger, tokens, metrics, forward: { gateway, metrics } },
      });
      server = await listen(app, config.port, config.host);
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      logger.info('bridge listening', { port, host: config.host, workers: config.validationWorkers });
      return { port };
    },
    async stop() {
      const s = server;
      server = undefined;
      if (s) {
        const closed = new Promise<void>((resolve) => s.close(() => resolve()));
        s.closeIdleConnections();
        await closed;
      }
      await gateway?.close();
      gateway = undefined;
      await simulator?.stop();
      simulator = undefined;
      await validator?.close();
      validator = undefined;
    },
  };
}
