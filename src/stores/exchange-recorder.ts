import type { Logger } from '../logging/logger.js';
import type { ExchangeStore, NewExchange } from './exchange-store.js';

export interface ExchangeRecorder {
  /** Queues a row; never waits and never throws (the journal must not slow or fail a producer's call). */
  record(row: NewExchange): void;
  /** Writes what is queued. */
  flush(): Promise<void>;
  /** Rows dropped because the queue was full or the database refused them. */
  dropped(): number;
}

/**
 * The journal is written behind the answer, in batches: the first row starts an insert at once, rows arriving
 * meanwhile go together in the next one (the access log's group commit, without making anyone wait for it). The
 * queue is bounded so an unreachable database costs memory up to `maxQueued` rows, never more; what is dropped is
 * counted and logged, since the access log, not this journal, is the legal record.
 */
export function createExchangeRecorder(store: ExchangeStore, logger: Logger, options: { maxBatch?: number; maxQueued?: number } = {}): ExchangeRecorder {
  const maxBatch = options.maxBatch ?? 200;
  const maxQueued = options.maxQueued ?? 10_000;
  const queue: NewExchange[] = [];
  let dropped = 0;
  let running: Promise<void> | undefined;

  const drain = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      try {
        await store.insert(batch);
      } catch (err) {
        dropped += batch.length;
        logger.warn('console journal: rows not written', { rows: batch.length, error: String(err) });
      }
    }
  };
  const start = () => {
    running ??= drain().finally(() => {
      running = undefined;
      if (queue.length > 0) void start();
    });
    return running;
  };
  return {
    record(row) {
      if (queue.length >= maxQueued) {
        dropped += 1;
        return;
      }
      queue.push(row);
      void start();
    },
    async flush() {
      while (running || queue.length > 0) await start();
    },
    dropped: () => dropped,
  };
}
