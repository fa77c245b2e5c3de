import { UnrecoverableError, type Job } from 'bullmq';
import { silentLogger, type Logger } from '../logging/logger.js';
import type { QueueBackend } from './connection.js';
import { deadLetter, isFinalFailure } from './dead-letter.js';
import { CAPPED_BACKOFF, cappedDelay, type JobCatalogue, type JobContext } from './job-catalogue.js';
import { fromJobData, runInJobContext, type JobData } from './job-context.js';
import { deadQueueName, jobsQueueName } from './queue-names.js';

export interface StartWorkersOptions {
  /** Jobs run at once in this process. 1 keeps lane order strict; several processes may share the queues. */
  readonly concurrency: number;
  /** The queue prefix, as given to `createJobQueue`. */
  readonly prefix: string;
  readonly logger?: Logger;
  /**
   * How long a job's lock lasts without renewal: a worker that dies (SIGKILL) leaves its jobs locked this long, after
   * which another worker takes them again (BullMQ's stalled-job check runs at the same interval). Default 30 s.
   */
  readonly lockDurationMs?: number;
}

/** Running workers; `close()` lets in-flight jobs finish, then disconnects. */
export interface Workers {
  close(): Promise<void>;
}

/**
 * Starts processing the job queue of `prefix` with the catalogue's processors. Call `assertCatalogueComplete`
 * first. Signal handling belongs to the caller: on SIGTERM, call `close()` and then close the backend.
 */
export async function startWorkers<Deps>(
  backend: QueueBackend,
  catalogue: JobCatalogue<Deps>,
  deps: Deps,
  options: StartWorkersOptions,
): Promise<Workers> {
  const logger = options.logger ?? silentLogger();
  const dead = backend.createQueue(deadQueueName(options.prefix));

  const processor = async (job: Job<JobData, void>): Promise<void> => {
    const def = Object.hasOwn(catalogue, job.name) ? catalogue[job.name] : undefined;
    const { payload, correlation } = fromJobData(job.data);
    // A job type nobody processes will never succeed: fail it for good rather than retry it.
    if (!def) throw new UnrecoverableError(`no processor for job ${job.name}`);
    const ctx: JobContext<Deps> = {
      deps,
      logger: logger.child({ job: job.name, jobId: job.id }),
      jobId: job.id ?? '',
      attempt: job.attemptsMade + 1,
      maxAttempts: job.opts.attempts ?? 1,
      correlation,
    };
    await runInJobContext(correlation, () => def.process(payload as never, ctx));
  };

  const lock = options.lockDurationMs ?? 30_000;
  const worker = backend.createWorker(jobsQueueName(options.prefix), processor, {
    concurrency: options.concurrency, lockDuration: lock, stalledInterval: lock,
    settings: {
      backoffStrategy: (attemptsMade: number, type?: string, _err?: Error, job?: { name: string }) => {
        const def = job && Object.hasOwn(catalogue, job.name) ? catalogue[job.name] : undefined;
        return type === CAPPED_BACKOFF && def ? cappedDelay(def, attemptsMade) : 0;
      },
    },
  });

  // Dead-lettering runs on BullMQ's `failed` event, which fires after the job is marked failed: when an entry is
  // visible in the dead-letter queue the original is no longer active, so `retry` can always replace it.
  // Not covered: a job BullMQ fails because it stalled too often (its worker died mid-job) emits no `failed` event
  // here; it stays in the job queue's failed set for the retention window.
  const pending = new Set<Promise<void>>();
  worker.on('failed', (job, err) => {
    if (!job) return;
    const log = { job: job.name, jobId: job.id, attempt: job.attemptsMade, error: err.message };
    if (!isFinalFailure(job, err)) {
      logger.warn('job failed, will retry', log);
      return;
    }
    logger.error('job failed for good, moved to the dead-letter queue', log);
    const copy = deadLetter(dead, job, err)
      .catch((e: unknown) => {
        logger.error('dead-letter copy failed', { ...log, copyError: (e as Error).message });
      })
      .finally(() => pending.delete(copy));
    pending.add(copy);
  });
  // Without a listener, an `error` event (a dropped connection) would crash the process.
  worker.on('error', (err) => logger.error('queue worker error', { error: err.message }));

  try {
    await worker.waitUntilReady();
  } catch (err) {
    await Promise.allSettled([worker.close(true), dead.close()]);
    throw err;
  }
  logger.info('queue workers started', { queue: worker.name, concurrency: options.concurrency });

  return {
    async close() {
      // BullMQ's close() without force waits for the jobs in progress, whose failures may still be dead-lettered.
      await worker.close();
      await Promise.all(pending);
      await dead.close();
    },
  };
}
