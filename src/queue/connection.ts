import {
  Queue,
  Worker,
  createPostgresBackend,
  runMigrations,
  DEFAULT_SCHEMA,
  quoteSchemaName,
  type IQueueBackend,
  type JobProgress,
  type Processor,
  type QueueOptions,
  type WorkerOptions,
} from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Config } from '../config.js';
import type { JobData } from './job-context.js';

/** A BullMQ queue carrying this project's job data, whichever datastore is behind it. */
export type BullQueue = Queue<JobData, void, string, JobData, void, string, IQueueBackend, unknown>;
/** A BullMQ worker carrying this project's job data, whichever datastore is behind it. */
export type BullWorker = Worker<JobData, void, string, IQueueBackend, JobProgress, unknown>;

/**
 * The datastore behind the queues: builds BullMQ Queue and Worker instances on one shared connection and closes it.
 * Queue and Worker instances must be closed by their owners before {@link QueueBackend.close}. Open them once per
 * process, not per request: on a caller-supplied pg pool BullMQ 6.7 adds an `error` listener per instance and does
 * not remove it on close.
 */
export interface QueueBackend {
  readonly kind: 'redis' | 'postgres';
  createQueue(name: string, opts?: Omit<QueueOptions, 'connection' | 'prefix'>): BullQueue;
  createWorker(name: string, processor: Processor<JobData, void>, opts: Omit<WorkerOptions, 'connection' | 'prefix'>): BullWorker;
  close(): Promise<void>;
}

/** What {@link createQueueBackend} reads: the matching fields of {@link Config}, or the same three given directly. */
export type QueueBackendSettings =
  | Pick<Config, 'queueBackend' | 'redisUrl' | 'databaseUrl'>
  | { backend: 'redis' | 'postgres'; redisUrl: string; databaseUrl?: string };

/** Options of the PostgreSQL pool; the pool is shared by every queue and worker of the process. */
export interface PostgresPoolOptions {
  /**
   * Pool size. Each worker checks one connection out of the pool for its LISTEN/NOTIFY wake-ups for as long as it
   * runs (BullMQ does this for pools it did not build), so the pool must exceed the number of workers.
   */
  readonly max?: number;
}

/**
 * Connects to the configured datastore. For PostgreSQL the BullMQ schema is migrated here, explicitly and once per
 * process start: BullMQ does not migrate on connect, and its migration takes an advisory lock so several
 * processes booting together still migrate once. See: BullMQ guide, PostgreSQL backend, "Migrations".
 */
export async function createQueueBackend(settings: QueueBackendSettings, pool: PostgresPoolOptions = {}): Promise<QueueBackend> {
  const kind = 'queueBackend' in settings ? settings.queueBackend : settings.backend;
  switch (kind) {
    case 'redis':
      return createRedisQueueBackend(settings.redisUrl);
    case 'postgres':
      if (!settings.databaseUrl) throw new Error('QUEUE_BACKEND=postgres needs DATABASE_URL');
      return createPostgresQueueBackend(settings.databaseUrl, pool);
  }
}

async function createRedisQueueBackend(url: string): Promise<QueueBackend> {
  // maxRetriesPerRequest null: BullMQ workers block on Redis and must wait through reconnections instead of
  // failing the command (BullMQ refuses a worker connection without it). See: BullMQ guide, "Going to production".
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
  // Connection errors reach callers as rejected commands and as BullMQ's own `error` events (logged by the
  // workers); without a listener here ioredis would also print each reconnection failure to stderr.
  let lastError: Error | undefined;
  redis.on('error', (err: Error) => {
    lastError = err;
  });
  try {
    await redis.connect();
  } catch (err) {
    // Stop ioredis's background reconnection, which would otherwise keep a failed CLI command alive; report the
    // socket error ("ECONNREFUSED") rather than ioredis's generic "Connection is closed".
    redis.disconnect();
    throw lastError ?? err;
  }
  return {
    kind: 'redis',
    // A shared ioredis instance: BullMQ reuses it for commands, duplicates it for a worker's blocking connection,
    // and never closes it, so close() below is its only owner.
    createQueue: (name, opts) => new Queue<JobData, void, string>(name, { ...opts, connection: redis }) as unknown as BullQueue,
    createWorker: (name, processor, opts) =>
      new Worker<JobData, void, string>(name, processor, { ...opts, connection: redis }) as unknown as BullWorker,
    close: async () => {
      await redis.quit();
    },
  };
}

async function createPostgresQueueBackend(databaseUrl: string, options: PostgresPoolOptions): Promise<QueueBackend> {
  // BullMQ ignores its `schema` option for a pool it did not build and uses DEFAULT_SCHEMA, resolving its
  // unqualified SQL through search_path: pin search_path on every connection of our pool to that schema.
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.max ?? 10,
    keepAlive: true,
    options: `-c search_path=${quoteSchemaName(DEFAULT_SCHEMA)}`,
  });
  // An idle client dropped by the server must not crash the process; the next checkout reconnects.
  pool.on('error', () => undefined);
  try {
    // Migrations need one session for their advisory lock and transaction: never the pool itself.
    const client = await pool.connect();
    try {
      await runMigrations(client, DEFAULT_SCHEMA);
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end();
    throw err;
  }
  return {
    kind: 'postgres',
    createQueue: (name, opts) => new Queue(name, { ...opts, connection: pool }, createPostgresBackend) as unknown as BullQueue,
    createWorker: (name, processor, opts) =>
      new Worker(name, processor, { ...opts, connection: pool }, createPostgresBackend) as unknown as BullWorker,
    // BullMQ leaves a caller-supplied pool open on close(): ending it is ours.
    close: () => pool.end(),
  };
}
