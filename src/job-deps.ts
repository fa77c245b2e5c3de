import type pg from 'pg';
import type { Config } from './config.js';
import { createFederation, regionOf } from './federation.js';
import { createGatewayFromConfig } from './gateway/from-config.js';
import type { GatewayClient } from './gateway/gateway-client.js';
import type { IniClient } from './ini/ini-client.js';
import { jobCatalogue, type JobDeps } from './jobs/catalogue.js';
import type { Logger } from './logging/logger.js';
import type { EnqueueForwarding } from './operations/submit-operation.js';
import { openDatabase } from './pipeline/database.js';
import type { QueueBackend } from './queue/connection.js';
import { createJobQueue, type JobQueue } from './queue/queues.js';
import { createOperationStore } from './stores/operation-store.js';
import { createRegistryStore } from './stores/registry-store.js';
import { createTransactionStore } from './stores/transaction-store.js';
import { createPgVisibilityRequestStore } from './stores/pg-visibility-request-store.js';

/**
 * The one place that builds what the job processors use, for the workers inside `fse-bridge start` (`createApp`) and
 * for a standalone `fse-bridge worker`; and the front doors' side of the same queue (the forwarding of an operation).
 * Composition lives here, in the root, so `src/jobs/` keeps only the catalogue and the processors (STYLE rule 11).
 */

/** The open resources the job dependencies are made of. */
export interface JobDepsParts {
  readonly pool: pg.Pool;
  readonly gateway: GatewayClient;
  readonly queue: JobQueue<typeof jobCatalogue>;
  /** With federation: the INI client the reconciliation uses. */
  readonly ini?: IniClient;
  /** With federation: how long after the Gateway's acceptance its INI step is checked. */
  readonly reconcileDelayMs?: number;
}

/** The processors' dependencies over open resources. */
export function createJobDeps(parts: JobDepsParts): JobDeps {
  const { pool, gateway, queue, ini, reconcileDelayMs } = parts;
  return {
    pool,
    registry: createRegistryStore(pool),
    operations: createOperationStore(pool),
    transactions: createTransactionStore(pool),
    visibility: createPgVisibilityRequestStore(pool),
    gateway,
    // Replays are bulk work: a new job in the bulk lane after its delay, so live producer calls run ahead of it.
    scheduleReplay: async (operationId, replay, delayMs) => {
      await queue.enqueue('forward-operation', { operationId, replay }, { lane: 'bulk', delayMs });
    },
    ini,
    scheduleReconcile: ini && reconcileDelayMs !== undefined
      ? async (operationId) => { await queue.enqueue('reconcile-ini', { operationId }, { lane: 'bulk', delayMs: reconcileDelayMs }); }
      : undefined,
  };
}

/** What the front doors' operations use to hand an operation to the workers: its forwarding job, in the live lane. */
export function forwardingEnqueuer(queue: JobQueue<typeof jobCatalogue>): EnqueueForwarding {
  return async (operationId) => {
    await queue.enqueue('forward-operation', { operationId });
  };
}

/**
 * Opens the resources of a standalone worker process (`fse-bridge worker`) and builds its job dependencies. It needs a
 * national Gateway URL: only `fse-bridge start --dev` runs a simulated one. `close()` releases them in reverse order.
 */
export async function openWorkerJobDeps(config: Config, logger: Logger, backend: QueueBackend): Promise<{ deps: JobDeps; close(): Promise<void> }> {
  if (!config.gatewayUrl) throw new Error('GATEWAY_URL is required to run workers in their own process');
  const db = await openDatabase(config, logger, config.dbSchema);
  const gateway = createGatewayFromConfig(config, config.gatewayUrl);
  const queue = createJobQueue(backend, jobCatalogue, config.queuePrefix);
  const federation = createFederation(config, regionOf(config), db.pool, logger);
  const deps = createJobDeps({ pool: db.pool, gateway, queue, ini: federation.ini, reconcileDelayMs: config.ini?.reconcileDelayMs });
  return { deps, close: async () => { await federation.close(); await queue.close(); await gateway.close(); await db.close(); } };
}
