import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createQueueBackend, type QueueBackend } from '../../src/queue/connection.js';
import type { JobCatalogue } from '../../src/queue/job-catalogue.js';
import { deadQueueName, jobsQueueName } from '../../src/queue/queue-names.js';
import { createJobQueue, type JobQueue } from '../../src/queue/queues.js';
import { startWorkers, type Workers } from '../../src/queue/workers.js';

/** Both datastores, against the machine's real servers (STYLE rule 16: no mocks of the queue). */
export const BACKENDS = ['redis', 'postgres'] as const;
export type BackendKind = (typeof BACKENDS)[number];

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function openBackend(kind: BackendKind): Promise<QueueBackend> {
  return createQueueBackend({ backend: kind, redisUrl: REDIS_URL, databaseUrl: DATABASE_URL });
}

/** A queue prefix of its own for each test, so tests never see each other's jobs on a shared server. */
export function uniquePrefix(): string {
  return `t-${randomBytes(5).toString('hex')}`;
}

/**
 * Polls until `probe` returns a value other than undefined/false. The deadline only turns a hang into a readable
 * failure; no test asserts how long anything took.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** A job queue and, once started, workers for one test; `close()` stops them in reverse order. */
export interface QueueFixture<C extends JobCatalogue> {
  readonly queue: JobQueue<C>;
  readonly prefix: string;
  startWorkers(concurrency?: number): Promise<Workers>;
  close(): Promise<void>;
}

/**
 * A backend, the producer side over `producerCatalogue`, and workers over `workerCatalogue` (the same by default).
 * Each test opens its own backend: BullMQ adds an `error` listener to a caller-supplied pg pool for every queue and
 * worker and does not remove it on close, so one pool shared by many tests would collect them.
 */
export async function openFixture<C extends JobCatalogue<undefined>>(
  kind: BackendKind,
  producerCatalogue: C,
  workerCatalogue: JobCatalogue<undefined> = producerCatalogue,
): Promise<QueueFixture<C>> {
  const backend = await openBackend(kind);
  const prefix = uniquePrefix();
  const queue = createJobQueue(backend, producerCatalogue, prefix, { retentionSeconds: 3600 });
  const started: Workers[] = [];
  return {
    queue,
    prefix,
    async startWorkers(concurrency = 1) {
      const workers = await startWorkers(backend, workerCatalogue, undefined, { concurrency, prefix });
      started.push(workers);
      return workers;
    },
    async close() {
      for (const w of started) await w.close();
      await queue.close();
      // Leave nothing behind on the shared servers: dead letters in particular are never removed by retention.
      for (const name of [jobsQueueName(prefix), deadQueueName(prefix)]) {
        const raw = backend.createQueue(name);
        await raw.obliterate({ force: true });
        await raw.close();
      }
      await backend.close();
    },
  };
}
