import type { JobState } from 'bullmq';
import type { RequestContext } from '../logging/context.js';
import type { BullQueue, QueueBackend } from './connection.js';
import { toDeadLetter, type DeadLetter } from './dead-letter.js';
import {
  businessJobId,
  jobOptionsFor,
  type AnyJobDefinition,
  type JobCatalogue,
  type Lane,
  type PayloadOf,
} from './job-catalogue.js';
import { captureCorrelation, fromJobData, toJobData, type JobData } from './job-context.js';
import { deadQueueName, jobsQueueName } from './queue-names.js';

/**
 * How long finished jobs are kept, and so how long a duplicate submission of the same business key is recognised:
 * BullMQ ignores an `add` whose job id still exists, whatever its state, and forgets the id once the job is removed.
 * Removal by age is lazy (BullMQ trims old finished jobs when later jobs finish), so this is a lower bound.
 * Default: one day, longer than any producer's resubmission after a timeout.
 */
export const DEFAULT_RETENTION_SECONDS = 24 * 3600;

export interface EnqueueOptions {
  /** Overrides the job type's lane, e.g. `bulk` for a replay of a live job type after an outage. */
  readonly lane?: Lane;
  /** The correlation to store; defaults to the current context, or a new trace when there is none. */
  readonly context?: RequestContext;
  /** Run no earlier than this many milliseconds from now (a scheduled replay). */
  readonly delayMs?: number;
}

/** A job as seen by operators and tests. */
export interface JobView {
  readonly jobId: string;
  readonly name: string;
  readonly state: JobState | 'unknown';
  readonly attemptsMade: number;
  readonly payload: Record<string, unknown>;
  readonly failedReason?: string;
}

export interface JobCounts {
  readonly waiting: number;
  readonly active: number;
  readonly delayed: number;
  readonly completed: number;
  readonly failed: number;
  readonly dead: number;
}

/** The producer side of the queues: enqueue by business key, inspect, and manage the dead-letter queue. */
export interface JobQueue<C extends JobCatalogue> {
  /**
   * Adds a job; resolves to its id. A job whose business key is already queued, running, or finished within the
   * retention window is not added again: the existing job stands, and the call resolves to the same id.
   */
  enqueue<N extends keyof C & string>(name: N, payload: PayloadOf<C[N]>, opts?: EnqueueOptions): Promise<string>;
  getJob(jobId: string): Promise<JobView | undefined>;
  counts(): Promise<JobCounts>;
  /** Dead-lettered jobs, oldest failure first. */
  listFailed(): Promise<DeadLetter[]>;
  /**
   * Moves dead jobs back to the job queue with fresh attempts, in the bulk lane so that a mass retry after an
   * outage does not delay live traffic. Resolves to the ids moved; an unknown id moves nothing.
   */
  retry(target: string | 'all'): Promise<string[]>;
  /** Removes a dead job for good (an operator decided it must not run again); false when there is none. */
  discard(jobId: string): Promise<boolean>;
  close(): Promise<void>;
}

export interface JobQueueOptions {
  /** See {@link DEFAULT_RETENTION_SECONDS}. */
  readonly retentionSeconds?: number;
}

/** Opens the job and dead-letter queues of `prefix` on `backend`. Close it before the backend. */
export function createJobQueue<C extends JobCatalogue>(
  backend: QueueBackend,
  catalogue: C,
  prefix: string,
  options: JobQueueOptions = {},
): JobQueue<C> {
  const age = options.retentionSeconds ?? DEFAULT_RETENTION_SECONDS;
  // Failed jobs are kept as long as completed ones: a resubmission of a job that failed for good is then still a
  // duplicate until an operator retries it, and the copy in the main queue is a safety net should the process die
  // between BullMQ failing the job and the dead-letter copy.
  const jobs = backend.createQueue(jobsQueueName(prefix), {
    defaultJobOptions: { removeOnComplete: { age }, removeOnFail: { age } },
  });
  const dead = backend.createQueue(deadQueueName(prefix));

  const definition = (name: string): AnyJobDefinition<never> => {
    const def = Object.hasOwn(catalogue, name) ? catalogue[name] : undefined;
    if (!def) throw new Error(`unknown job ${name}`);
    return def;
  };

  return {
    async enqueue(name, payload, opts = {}) {
      const def = definition(name);
      const jobId = businessJobId(name, def.jobId(payload as never));
      const data = toJobData(payload, captureCorrelation(opts.context));
      await jobs.add(name, data, { ...jobOptionsFor(def, opts.lane), jobId, ...(opts.delayMs ? { delay: opts.delayMs } : {}) });
      return jobId;
    },

    async getJob(jobId) {
      const job = await jobs.getJob(jobId);
      if (!job?.id) return undefined;
      const state = await job.getState();
      return {
        jobId: job.id,
        name: job.name,
        state,
        attemptsMade: job.attemptsMade,
        payload: fromJobData(job.data).payload,
        ...(job.failedReason ? { failedReason: job.failedReason } : {}),
      };
    },

    async counts() {
      const c = await jobs.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed');
      const d = await dead.getJobCounts('waiting', 'prioritized');
      return {
        waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
        active: c.active ?? 0,
        delayed: c.delayed ?? 0,
        completed: c.completed ?? 0,
        failed: c.failed ?? 0,
        dead: (d.waiting ?? 0) + (d.prioritized ?? 0),
      };
    },

    async listFailed() {
      const entries = (await dead.getJobs(['waiting', 'prioritized'], 0, -1)).map(toDeadLetter);
      return entries.sort((a, b) => a.failedAt.localeCompare(b.failedAt));
    },

    async retry(target) {
      const entries = target === 'all'
        ? await dead.getJobs(['waiting', 'prioritized'], 0, -1)
        : [await dead.getJob(target)].filter((j) => j !== undefined);
      // Check every entry first, so that a job type no longer in the catalogue stops the retry before it starts.
      const unknown = entries.map((e) => e.name).filter((name) => !Object.hasOwn(catalogue, name));
      if (unknown.length > 0) throw new Error(`cannot retry, unknown job types: ${[...new Set(unknown)].join(', ')}`);
      const moved: string[] = [];
      for (const entry of entries) {
        const letter = toDeadLetter(entry);
        // The dead entry goes first: a job that fails again at once must find its id free in the dead-letter
        // queue, or its new failure would be deduplicated against the old entry and then removed with it.
        await entry.remove();
        try {
          await requeue(jobs, definition(letter.name), letter);
        } catch (err) {
          await dead.add(letter.name, { ...letter } as unknown as JobData, { jobId: letter.jobId });
          throw err;
        }
        moved.push(letter.jobId);
      }
      return moved;
    },

    async discard(jobId) {
      const entry = await dead.getJob(jobId);
      if (!entry) return false;
      await entry.remove();
      return true;
    },

    async close() {
      await Promise.all([jobs.close(), dead.close()]);
    },
  };
}

/**
 * Puts a dead job back under its own id. The failed original is removed first, because BullMQ would otherwise
 * treat the new add as a duplicate of it; if the key was resubmitted meanwhile (the original is no longer failed),
 * that newer job stands and the add is a no-op.
 */
async function requeue(jobs: BullQueue, def: AnyJobDefinition<never>, letter: DeadLetter): Promise<void> {
  const original = await jobs.getJob(letter.jobId);
  if (original && (await original.isFailed())) await original.remove();
  const data = toJobData(letter.payload, letter.correlation);
  await jobs.add(letter.name, data, { ...jobOptionsFor(def, 'bulk'), jobId: letter.jobId });
}
