import type { Config } from '../config.js';
import { createGatewayFromConfig } from '../gateway/from-config.js';
import type { Logger } from '../logging/logger.js';
import { openDatabase } from '../pipeline/database.js';
import type { QueueBackend } from '../queue/connection.js';
import { defineCatalogue } from '../queue/job-catalogue.js';
import { createJobQueue, type JobQueue } from '../queue/queues.js';
import { createOperationStore } from '../stores/operation-store.js';
import { createRegistryStore } from '../stores/registry-store.js';
import { createTransactionStore } from '../stores/transaction-store.js';
import { forwardOperationJob, type ForwardDeps } from './forward-operation.js';

/**
 * Every job type the producers may enqueue. `fse-bridge worker` refuses to boot when one of them has no processor
 * in {@link jobCatalogue} (see `assertCatalogueComplete`).
 */
export const JOB_NAMES = ['forward-operation'] as const satisfies readonly string[];

/** One of {@link JOB_NAMES}. */
export type JobName = (typeof JOB_NAMES)[number];

/** The stores and clients the processors use, built once per worker process. */
export type JobDeps = ForwardDeps;

/** The job catalogue: one `defineJob` per job type, each processor in its own file under `src/jobs/`. */
export const jobCatalogue = defineCatalogue([forwardOperationJob]);

/**
 * Builds the processors' dependencies for a standalone worker process (`fse-bridge worker`), which needs a real
 * national Gateway URL: the in-process simulator exists only inside `fse-bridge start`.
 */
export async function createJobDeps(config: Config, logger: Logger, backend: QueueBackend): Promise<{ deps: JobDeps; close(): Promise<void> }> {
  if (!config.gatewayUrl) throw new Error('GATEWAY_URL is required to run workers in their own process');
  const db = await openDatabase(config, logger, config.dbSchema);
  const gateway = createGatewayFromConfig(config, config.gatewayUrl);
  const queue = createJobQueue(backend, jobCatalogue, config.queuePrefix);
  const deps: JobDeps = {
    pool: db.pool,
    registry: createRegistryStore(db.pool),
    operations: createOperationStore(db.pool),
    transactions: createTransactionStore(db.pool),
    gateway,
    scheduleReplay: replayScheduler(queue),
  };
  return { deps, close: async () => { await queue.close(); await gateway.close(); await db.close(); } };
}

/** Replays go back on the queue as bulk work, after their delay. */
export function replayScheduler(queue: JobQueue<typeof jobCatalogue>): JobDeps['scheduleReplay'] {
  return async (operationId, replay, delayMs) => {
    await queue.enqueue('forward-operation', { operationId, replay }, { lane: 'bulk', delayMs });
  };
}
