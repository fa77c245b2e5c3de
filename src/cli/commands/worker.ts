import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.js';
import { jobCatalogue, JOB_NAMES } from '../../jobs/catalogue.js';
import { openWorkerJobDeps } from '../../job-deps.js';
import { createLogger } from '../../logging/logger.js';
import { createQueueBackend, type QueueBackend } from '../../queue/connection.js';
import { assertCatalogueComplete } from '../../queue/job-catalogue.js';
import { startWorkers } from '../../queue/workers.js';
import type { CliIo } from '../io.js';

/**
 * `fse-bridge worker [--concurrency N]`: processes jobs without serving HTTP, so several worker processes can share
 * one Redis or PostgreSQL (QUEUE_BACKEND, REDIS_URL or DATABASE_URL, FSE_QUEUE_PREFIX). On SIGTERM or SIGINT the
 * jobs in progress finish before the process exits.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  let concurrency: number;
  try {
    const { values } = parseArgs({ args: argv, options: { concurrency: { type: 'string', default: '4' } } });
    concurrency = Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('--concurrency must be an integer >= 1');
  } catch (err) {
    io.stderr(`fse-bridge worker: ${(err as Error).message}`);
    return 2;
  }
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'worker');
  try {
    assertCatalogueComplete(JOB_NAMES, jobCatalogue);
  } catch (err) {
    io.stderr(`fse-bridge worker: ${(err as Error).message}`);
    return 1;
  }
  let backend: QueueBackend;
  try {
    backend = await createQueueBackend(config);
  } catch (err) {
    io.stderr(`fse-bridge worker: cannot open the queues: ${(err as Error).message}`);
    return 1;
  }
  const jobDeps = await openWorkerJobDeps(config, logger, backend);
  const workers = await startWorkers(backend, jobCatalogue, jobDeps.deps, { concurrency, prefix: config.queuePrefix, logger, lockDurationMs: config.jobLockMs });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    logger.info('worker shutting down, waiting for jobs in progress');
    // Reverse order of start-up (STYLE rule 11).
    workers.close()
      .then(() => jobDeps.close())
      .then(() => backend.close())
      .then(() => process.exit(0), (err: unknown) => {
        logger.error('worker shutdown failed', { error: (err as Error).message });
        process.exit(1);
      });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return 0;
}
