import type { Job } from 'bullmq';
import type { BullQueue } from './connection.js';
import { fromJobData, type JobCorrelation, type JobData } from './job-context.js';

/** A job that failed for good, as parked in the dead-letter queue and listed by `fse-bridge jobs failed`. */
export interface DeadLetter {
  /** The original job id (the business key), also the id in the dead-letter queue. */
  readonly jobId: string;
  readonly name: string;
  readonly payload: Record<string, unknown>;
  readonly correlation: JobCorrelation;
  readonly error: { readonly name: string; readonly message: string; readonly stack?: string };
  readonly attemptsMade: number;
  /** True when the processor threw `UnrecoverableError`, false when the attempts ran out. */
  readonly unrecoverable: boolean;
  readonly failedAt: string;
}

/** The minimal view of a failed BullMQ job this module reads. */
type FailedJob = Pick<Job<JobData>, 'id' | 'name' | 'data' | 'attemptsMade' | 'opts'>;

/**
 * Whether BullMQ has finished with a job after this failure: it threw `UnrecoverableError` (BullMQ tests the
 * error's name, so must we), or its attempts are used up. Read after BullMQ counted the failed attempt.
 */
export function isFinalFailure(job: FailedJob, err: Error): boolean {
  return err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
}

/**
 * Copies a finally failed job into the dead-letter queue under its own id. Adding under an existing id is a no-op,
 * so a repeated copy of the same failure cannot create a second dead entry.
 */
export async function deadLetter(dead: BullQueue, job: FailedJob, err: Error): Promise<void> {
  if (!job.id) return;
  const { payload, correlation } = fromJobData(job.data);
  const record: DeadLetter = {
    jobId: job.id,
    name: job.name,
    payload,
    correlation,
    error: { name: err.name, message: err.message, ...(err.stack ? { stack: err.stack } : {}) },
    attemptsMade: job.attemptsMade,
    unrecoverable: err.name === 'UnrecoverableError',
    failedAt: new Date().toISOString(),
  };
  await dead.add(job.name, { ...record } as unknown as JobData, { jobId: job.id });
}

/** Reads a dead-letter entry back from its BullMQ job, fields in a fixed order (PostgreSQL's jsonb reorders keys). */
export function toDeadLetter(job: Pick<Job<JobData>, 'data'>): DeadLetter {
  const d = job.data as unknown as DeadLetter;
  return {
    jobId: d.jobId,
    name: d.name,
    payload: d.payload,
    correlation: d.correlation,
    error: { name: d.error.name, message: d.error.message, ...(d.error.stack ? { stack: d.error.stack } : {}) },
    attemptsMade: d.attemptsMade,
    unrecoverable: d.unrecoverable,
    failedAt: d.failedAt,
  };
}
