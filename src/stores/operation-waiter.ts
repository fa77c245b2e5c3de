import type pg from 'pg';
import { OPERATION_CHANNEL } from './operation-store.js';

/** Wakes the front doors waiting for an operation's outcome, whichever process's worker settled it. */
export interface OperationWaiter {
  /** Resolves when the operation is announced as changed, or after `ms` (the caller re-reads the row either way). */
  wait(id: string, ms: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * One connection LISTENs on the operations channel (workers NOTIFY when they record an answer), so waiting front
 * doors re-read their row once instead of polling PostgreSQL in a loop. The timeout keeps a lost notification
 * (e.g. a reconnect) from stalling a request.
 */
export async function createOperationWaiter(pool: pg.Pool): Promise<OperationWaiter> {
  const waiting = new Map<string, Set<() => void>>();
  const client = await pool.connect();
  client.on('notification', (msg) => {
    const wakers = msg.payload ? waiting.get(msg.payload) : undefined;
    if (!wakers) return;
    waiting.delete(msg.payload as string);
    for (const wake of wakers) wake();
  });
  await client.query(`LISTEN ${OPERATION_CHANNEL}`);
  return {
    wait(id, ms) {
      return new Promise<void>((resolve) => {
        const set = waiting.get(id) ?? new Set<() => void>();
        const done = () => {
          clearTimeout(timer);
          set.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        set.add(done);
        waiting.set(id, set);
      });
    },
    async close() {
      await client.query(`UNLISTEN ${OPERATION_CHANNEL}`).catch(() => undefined);
      client.release();
    },
  };
}
