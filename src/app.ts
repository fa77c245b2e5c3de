import type { Server } from 'node:http';
import { resolveCatalog, type CatalogDescriptor } from './catalog/catalog.js';
import type { Config } from './config.js';
import { loadTrustAnchors } from './jwt/trust-store.js';
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

  return {
    catalog,
    validationRecords: records,
    async start() {
      const setup = await prepareEngineSetup(catalog, config.sefCacheDir, logger);
      validator = createValidationPool(setup, config.validationWorkers);
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
        validation: { validator, records, logger, tokens, metrics },
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
      await validator?.close();
      validator = undefined;
    },
  };
}
