import type { Config } from '../config.js';
import { createGatewayFromConfig } from '../gateway/from-config.js';
import type { Logger } from '../logging/logger.js';
import { openDatabase } from '../pipeline/database.js';
import { createFederation, regionOf } from '../federation.js';
import type { QueueBackend } from '../queue/connection.js';
import { defineCatalogue } from '../queue/job-catalogue.js';
import { createJobQueue, type JobQueue } from '../queue/queues.js';
import { createOperationStore } from '../stores/operation-store.js';
import { createRegistryStore } from '../stores/registry-store.js';
import { createTransactionStore } from '../stores/transaction-store.js';
import { forwardOperationJob, type ForwardDeps } from './forward-operation.js';
import { reconcileIniJob, type ReconcileDeps } from './reconcile-ini.js';

/**
 * Every job type the producers may enqueue. `fse-bridge worker` refuses to boot when one of them has no processor
 * in {@link jobCatalogue} (see `assertCatalogueComplete`).
 */
export const JOB_NAMES = ['forward-operation', 'reconcile-ini'] as const satisfies readonly string[];

/** One of {@link JOB_NAMES}. */
export type JobName = (typeof JOB_NAMES)[number];

/** The stores and clients the processors use, built once per worker process. */
export type JobDeps = ForwardDeps & ReconcileDeps;

/** The job catalogue: one `defineJob` per job type, each processor in its own file under `src/jobs/`. */
export const jobCatalogue = defineCatalogue([forwardOperationJob, reconcileIniJob]);

/**
 * Builds the processors' dependencies for a standalone worker process (`fse-bridge worker`), which needs a real
 * national Gateway URL: the in-process simulator exists only inside `fse-bridge start`.
 */
export async function createJobDeps(config: Config, logger: Logger, backend: QueueBackend): Promise<{ deps: JobDeps; close(): Promise<void> }> {
  if (!config.gatewayUrl) throw new Error('GATEWAY_URL is required to run workers in their own process');
  const db = await openDatabase(config, logger, config.dbSchema);
  const gateway = createGatewayFromConfig(config, config.gatewayUrl);
  const queue = createJobQueue(backend, jobCatalogue, config.queuePrefix);
  const federation = createFederation(config, regionOf(config), db.pool, logger);
  const deps: JobDeps = {
    pool: db.pool,
    registry: createRegistryStore(db.pool),
    operations: createOperationStore(db.pool),
    transactions: createTransactionStore(db.pool),
    gateway,
    scheduleReplay: replayScheduler(queue),
    ini: federation.ini,
    scheduleReconcile: federation.ini && config.ini ? reconcileScheduler(queue, config.ini.reconcileDelayMs) : undefined,
  };
  return { deps, close: async () => { await federation.close(); await queue.close(); await gateway.close(); await db.close(); } };
}

/** Reconciliations of the Gateway's INI step, as bulk work after `delayMs`. */
export function reconcileScheduler(queue: JobQueue<typeof jobCatalogue>, delayMs: number): NonNullable<JobDeps['scheduleReconcile']> {
  return async (operationId) => {
    await queue.enqueue('reconcile-ini', { operationId }, { lane: 'bulk', delayMs });
  };
}

/** Replays go back on the queue as bulk work, after their delay. */
export function replayScheduler(queue: JobQueue<typeof jobCatalogue>): JobDeps['scheduleReplay'] {
  return async (operationId, replay, delayMs) => {
    await queue.enqueue('forward-operation', { operationId, replay }, { lane: 'bulk', delayMs });
  };
}
