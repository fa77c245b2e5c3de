import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { resolveCatalog, type CatalogDescriptor } from './catalog/catalog.js';
import type { Config } from './config.js';
import { createGatewayFromConfig } from './gateway/from-config.js';
import type { GatewayClient } from './gateway/gateway-client.js';
import { jobCatalogue, JOB_NAMES } from './jobs/catalogue.js';
import { createJobDeps, forwardingEnqueuer } from './job-deps.js';
import { loadTrustAnchors } from './jwt/trust-store.js';
import type { Logger } from './logging/logger.js';
import { createMetrics } from './observability/metrics.js';
import { openDatabase, type Database } from './pipeline/database.js';
import { createQueueBackend, type QueueBackend } from './queue/connection.js';
import { assertCatalogueComplete } from './queue/job-catalogue.js';
import { createJobQueue, type JobQueue } from './queue/queues.js';
import { startWorkers, type Workers } from './queue/workers.js';
import { createHttpApp, listen } from './rest/server.js';
import { captureExchanges } from './rest/exchange-capture.js';
import { composeConsole } from './console-composition.js';
import { createTokenVerifier } from './rest/token-verifier.js';
import { createOperationStore } from './stores/operation-store.js';
import { createOperationWaiter } from './stores/operation-waiter.js';
import { createPgValidationRecordStore } from './stores/pg-validation-record-store.js';
import { createRegistryStore, type RegistryStore } from './stores/registry-store.js';
import { createTransactionStore, type TransactionStore } from './stores/transaction-store.js';
import type { ValidationRecordStore } from './stores/validation-record-store.js';
import { createValidationRunStore, type ValidationRunStore } from './stores/validation-run-store.js';
import { createValidationPool, prepareEngineSetup, type CdaValidator } from './validation/validation-pool.js';
import { loadClientCertificates } from './soap/client-certificates.js';
import { loadSamlTrustFile } from './saml/saml-trust-file.js';
import { soapRouteDeps } from './soap/soap-front-door.js';
import { mountSoapRoutes } from './soap/soap-routes.js';
import { createRepositoryStore } from './stores/repository-store.js';
import { createFederation, regionOf, type Federation } from './federation.js';
import { mountAuditRoute } from './rest/audit-route.js';
import { mountApiDocsRoute } from './rest/api-docs-route.js';
import { createAtnaFromConfig } from './atna/atna-from-config.js';
import { loadAccessPolicy } from './access/access-policy.js';
import type { AccessGuardDeps } from './operations/access-guard.js';
import { createPgConsentStore } from './stores/pg-consent-store.js';
import { createPgRelationStore } from './stores/pg-relation-store.js';
import { mountCitizenRoutes } from './rest/citizen/citizen-routes.js';
import { mountRightsOperatorRoutes } from './rest/citizen/rights-operator-routes.js';
import type { VisibilityDeps } from './rest/citizen/visibility-response.js';
import type { RightsDeps } from './operations/citizen/citizen-call.js';

/** The access log's route takes the citizen portal's tokens too, when FSE_AUDIT_ISSUERS restricts it. */
function auditIssuers(config: Config): readonly string[] | undefined {
  const { issuers } = config.audit;
  return issuers && [...issuers, ...config.rights.citizenIssuers.filter((i) => i !== '*')];
}
import { createPgVisibilityRequestStore } from './stores/pg-visibility-request-store.js';
import type { ChangeVisibilityDeps } from './operations/change-visibility.js';

export interface App {
  readonly catalog: CatalogDescriptor;
  /** Set once started: stores and clients, for operators' tools and tests. */
  readonly resources: () => Resources;
  /** Binds the HTTP port; resolves with the actual port (useful with PORT=0 in tests). */
  start(): Promise<{ port: number }>;
  /** Stops in reverse order of start: HTTP, workers, queue, Gateway client, database, validators. */
  stop(): Promise<void>;
}

export interface Resources {
  readonly db: Database;
  readonly registry: RegistryStore;
  readonly transactions: TransactionStore;
  readonly validationRecords: ValidationRecordStore;
  /** Failed REST validations and playground runs, for the console (kept as long as validation records). */
  readonly validationRuns: ValidationRunStore;
  readonly queue: JobQueue<typeof jobCatalogue>;
  readonly gateway: GatewayClient;
  readonly federation: Federation;
  /** What `changeVisibility` needs (the citizen API's obscuring), over the same stores, queue and policy. */
  readonly visibility: ChangeVisibilityDeps;
}

/** What a caller composing the bridge with other services (`start --dev`, tests) may pass in. */
export interface AppOptions {
  /**
   * A validation pool to share, e.g. with the Gateway simulator of `start --dev` (not closed by `stop`); by default
   * the app starts its own of `FSE_VALIDATION_WORKERS` threads.
   */
  readonly validator?: CdaValidator;
}

/**
 * Composes the bridge from plain functions (no DI container): catalog and compiled rules, validation workers,
 * PostgreSQL (embedded or external), the queue (Redis or PostgreSQL), the national Gateway client, job workers and
 * the HTTP shim. Nothing connects or listens until `start()`. The national Gateway is always GATEWAY_URL: the
 * composition never starts a simulator (`start --dev` runs one and passes its URL).
 */
export async function createApp(config: Config, logger: Logger, options: AppOptions = {}): Promise<App> {
  if (!config.trustedCaFile) throw new Error('FSE_TRUSTED_CA is not set: the bridge cannot verify producer JWTs without trust anchors');
  const gatewayUrl = config.gatewayUrl;
  if (!gatewayUrl) throw new Error('GATEWAY_URL is not set: the bridge needs the national Gateway (`fse-bridge start --dev` runs a simulated one)');
  // Secure by default: a mode that accepts SAML must be able to verify it. See: xds-ini digest 2.6, 7.6.
  const security = config.soap.security;
  if ((security === 'saml' || security === 'saml-or-certificate') && !config.saml.trustFile) {
    throw new Error(`FSE_SAML_TRUST is not set, but FSE_SOAP_SECURITY=${security} accepts SAML assertions, which cannot be verified without it: `
      + 'set FSE_SAML_TRUST to the JSON file binding the signer certificates of INI and the hospitals to their Issuers, '
      + 'or FSE_SOAP_SECURITY=certificate (registered TLS client certificates only); `fse-bridge start --dev` keeps development open');
  }
  // Read before anything connects: a trust file that binds no signer stops the boot. See: xds-ini digest 7.6.
  const samlTrust = config.saml.trustFile ? loadSamlTrustFile(config.saml.trustFile) : undefined;
  if (!samlTrust && security === 'none') logger.warn('SAML assertions are recorded but not verified (FSE_SOAP_SECURITY=none and no FSE_SAML_TRUST)');
  assertCatalogueComplete(JOB_NAMES, jobCatalogue);
  const catalog = resolveCatalog(config.catalogDir);
  logger.info('validation catalog', {
    kind: catalog.kind, dir: catalog.dir, version: catalog.version,
    types: Object.keys(catalog.schematronByType).length, xsd: Boolean(catalog.schemaDir),
  });
  const trustAnchors = loadTrustAnchors(config.trustedCaFile);
  const region = regionOf(config);
  const clientCertificates = loadClientCertificates(config.soap.clientsFile);
  const policy = loadAccessPolicy(config.accessPolicyFile);
  if (config.soap.metadataProfile === 'ihe') {
    logger.warn('metadata profile ihe: ITI-41 documents stay in the regional repository and registry, none is published to the national Gateway (a test bed\'s profile)');
  }
  if (policy.open) logger.warn('access policy is OPEN: every caller reads every document (a test bed\'s policy, never a region\'s)', { file: config.accessPolicyFile });
  const metrics = createMetrics();
  const stops: (() => Promise<unknown>)[] = [];
  let resources: Resources | undefined;

  return {
    catalog,
    resources: () => {
      if (!resources) throw new Error('the app is not started');
      return resources;
    },
    async start() {
      let validator = options.validator;
      if (!validator) {
        const own = createValidationPool(
          await prepareEngineSetup(catalog, config.sefCacheDir, logger, { engine: config.schematronEngine, onFallback: (file) => metrics.schematronFallbacks.inc({ file }) }),
          config.validationWorkers,
          { maxHeapMb: config.validationWorkerHeapMb },
        );
        stops.push(() => own.close());
        validator = own;
      }
      const db = await openDatabase(config, logger, config.dbSchema);
      stops.push(() => db.close());
      const gateway = createGatewayFromConfig(config, gatewayUrl);
      stops.push(() => gateway.close());

      const backend: QueueBackend = await createQueueBackend({ backend: config.queueBackend, redisUrl: config.redisUrl, databaseUrl: db.url });
      stops.push(() => backend.close());
      const queue = createJobQueue(backend, jobCatalogue, config.queuePrefix);
      stops.push(() => queue.close());
      const registry = createRegistryStore(db.pool);
      const transactions = createTransactionStore(db.pool);
      const operations = createOperationStore(db.pool);
      const federation = createFederation(config, region, db.pool, logger, samlTrust);
      stops.push(() => federation.close());
      const access: AccessGuardDeps = {
        policy, consents: createPgConsentStore(db.pool), relations: createPgRelationStore(db.pool), patients: federation.patients,
        visibility: createPgVisibilityRequestStore(db.pool),
      };
      if (config.workersInProcess) {
        const deps = createJobDeps({ pool: db.pool, gateway, queue, ini: federation.ini, reconcileDelayMs: config.ini?.reconcileDelayMs });
        const workers: Workers = await startWorkers(backend, jobCatalogue, deps, { concurrency: config.workerConcurrency, prefix: config.queuePrefix, logger, lockDurationMs: config.jobLockMs });
        stops.push(() => workers.close());
      }
      const records = createPgValidationRecordStore(db.pool, config.validationTtlDays);
      const validationRuns = createValidationRunStore(db.pool, { ttlDays: config.validationTtlDays });
      const waiter = await createOperationWaiter(db.pool);
      stops.push(() => waiter.close());

      const tokens = createTokenVerifier({
        trustAnchors, audience: config.jwtAudience, clockSkewSeconds: config.jwtClockSkewSeconds,
        allowSpecialFiscalCodes: config.allowSpecialFiscalCodes,
      });
      const submit = { operations, enqueueForwarding: forwardingEnqueuer(queue), waiter, waitMs: config.gatewayTimeoutMs + 5_000 };
      const visibility: ChangeVisibilityDeps = { ...submit, pool: db.pool, registry, region, access };
      resources = { db, registry, transactions, validationRecords: records, validationRuns, queue, gateway, federation, visibility };
      const repository = createRepositoryStore(db.pool, [region.repositoryUniqueId]);
      const atna = config.atna && createAtnaFromConfig(config.atna, logger, () => metrics.atnaDropped.inc());
      if (atna) stops.push(() => atna.sender.close());
      const soap = soapRouteDeps({
        ...submit, registry, region, profile: config.soap.metadataProfile, patientDomains: config.soap.patientDomains, pool: db.pool, repository, gateway,
        maxLeafClassResults: config.soap.maxLeafClassResults, maxObjectRefResults: config.soap.maxObjectRefResults,
        patients: federation.patients, ini: federation.ini, iniBudgetMs: config.ini?.queryBudgetMs ?? 0, access,
      }, {
        paths: { repository: config.soap.repositoryPath, registry: config.soap.registryPath },
        limits: { maxBytes: config.soap.maxBytes, maxParts: config.soap.maxParts, maxPartBytes: config.soap.maxBytes },
        security: { mode: config.soap.security, certificates: clientCertificates, verify: federation.verify }, logger, metrics,
        audit: federation.audit, atna: atna?.recorder,
      });
      const rights: RightsDeps = { access, registry, repository, audit: federation.audit };
      const rightsTokens = {
        tokens, policy, allowSpecialFiscalCodes: config.allowSpecialFiscalCodes, rights, visibility: { change: visibility, rights } satisfies VisibilityDeps, logger,
      };
      const operatorConsole = config.console.enabled ? await composeConsole(config, {
        pool: db.pool, audit: federation.audit, queue, gatewayCircuit: () => gateway.state(), iniConfigured: Boolean(federation.ini),
        metrics, logger, maxUploadBytes: config.maxUploadBytes, validations: { validator, runs: validationRuns },
      }) : undefined;
      // The journal is flushed after the HTTP server closed (stops run in reverse) and before the database.
      if (operatorConsole) stops.push(() => operatorConsole.recorder.flush());
      const app = createHttpApp({
        logger, metrics, maxUploadBytes: config.maxUploadBytes,
        liveness: { catalog: catalog.kind, catalogVersion: catalog.version, queue: backend.kind },
        validation: { validator, records, logger, tokens, metrics, forward: { gateway, metrics, transactions, runs: validationRuns } },
        publication: { tokens, ...submit, atna: atna?.recorder, logger },
        status: { tokens, transactions },
        capture: operatorConsole && captureExchanges(operatorConsole.recorder, {
          soapPaths: [config.soap.repositoryPath, config.soap.registryPath], maxBodyBytes: config.console.journalBodyBytes,
        }),
        mount: [
          ...(operatorConsole ? [operatorConsole.door.mount] : []),
          (express) => mountSoapRoutes(express, soap),
          mountAuditRoute({ tokens, audit: federation.audit, readers: config.audit.readers, issuers: auditIssuers(config), access, logger }),
          mountCitizenRoutes({ ...rightsTokens, issuers: config.rights.citizenIssuers }),
          mountRightsOperatorRoutes({ ...rightsTokens, issuers: config.rights.operatorIssuers }),
          mountApiDocsRoute({ catalog, logger }),
        ],
      });
      const tls = config.tls && {
        cert: readFileSync(config.tls.certFile, 'utf8'), key: readFileSync(config.tls.keyFile, 'utf8'),
        clientCa: config.tls.clientCaFile ? readFileSync(config.tls.clientCaFile, 'utf8') : undefined,
      };
      const server: Server = await listen(app, config.port, config.host, tls);
      stops.push(async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await closed;
      });
      // Live pages hold their event streams open: end them first, or the server's close would wait for them.
      if (operatorConsole) stops.push(() => operatorConsole.door.close());
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      // A failed TLS handshake is IHE's node authentication failure (an unknown client certificate is not one here:
      // the server requests but does not require it, and the SOAP door refuses it). See: ITI TF-2 3.20.4.1.1.1.
      server.on('tlsClientError', (err: Error, socket: { remoteAddress?: string }) => atna?.recorder.securityAlert({
        time: new Date(), endpoint: `https://${config.host}:${port}`, peer: { address: socket.remoteAddress }, reason: `TLS: ${err.message}`,
      }));
      logger.info('bridge listening', { port, host: config.host, workers: config.validationWorkers, queue: backend.kind });
      return { port };
    },
    async stop() {
      while (stops.length > 0) {
        const stop = stops.pop();
        try {
          await stop?.();
        } catch (err) {
          logger.error('stop failed', { error: String(err) });
        }
      }
      resources = undefined;
    },
  };
}
