import type { AuditRecord } from './audit-record.js';
import type { NormalisedEntry } from './normalise-entry.js';

/** Appends a batch in one transaction and answers one record per entry, in order. */
export type AppendBatch = (entries: readonly NormalisedEntry[]) => Promise<AuditRecord[]>;

interface Waiting {
  readonly entry: NormalisedEntry;
  resolve(record: AuditRecord): void;
  reject(error: unknown): void;
}

/**
 * Group commit for the chain. Every append holds the chain lock through its commit (a disk flush), so appends are
 * serialised by nature; what is not necessary is one lock, one flush and one connection *per record*. The first
 * call starts a transaction at once (no timer, no added latency when idle); calls that arrive while it runs wait
 * and go together in the next one, up to `maxBatch`. One process thus uses one connection for the log and takes the
 * lock once per batch. A failed batch of several is retried one entry at a time, so an entry the database refuses
 * fails alone.
 */
export function createAppendBatcher(append: AppendBatch, maxBatch = 100): (entry: NormalisedEntry) => Promise<AuditRecord> {
  const queue: Waiting[] = [];
  let running = false;

  const settle = async (batch: Waiting[]): Promise<void> => {
    try {
      const records = await append(batch.map((w) => w.entry));
      batch.forEach((w, i) => {
        const record = records[i];
        if (record === undefined) w.reject(new Error('audit append answered fewer records than entries'));
        else w.resolve(record);
      });
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      for (const w of batch) await settle([w]);
    }
  };

  const drain = async (): Promise<void> => {
    running = true;
    try {
      while (queue.length > 0) await settle(queue.splice(0, maxBatch));
    } finally {
      running = false;
    }
  };

  return (entry) => new Promise<AuditRecord>((resolve, reject) => {
    queue.push({ entry, resolve, reject });
    if (!running) void drain();
  });
}
