import type { DecodedRegistryError } from '../../ebxml/registry-error-list.js';
import type { SoapCaller } from '../../soap-wire/soap-client.js';
import type { XmlBuilder } from '../../xml/xml-writer.js';
import { sendToRegistry } from './region-calls.js';
import type { RegionDirectory } from './region-directory.js';

/**
 * INI's messages to a patient's RDA ("comunicazione metadati", update, delete), one FIFO per region so the RDA hears
 * them in order. Choice (Appendix B item 1 leaves it open): when the RDA cannot be reached (refused, reset, timeout,
 * no envelope, a SOAP Fault, or no endpoint configured) the message is kept pending, the sender is answered Success
 * (INI has taken the message), and the queue is retried on a doubling backoff; while a region has pending messages,
 * later ones queue behind them. When the RDA answers with a Failure the sender gets that Failure (nothing indexed);
 * a queued message refused later is dropped and logged, there being nobody left to tell. See: xds-ini digest 1.2,
 * 4.8 (INI retries), 9 (faults are technical failures).
 */

/** One message to an RDA's registry. */
export interface ForwardMessage {
  readonly kind: 'iti42' | 'iti57' | 'delete';
  readonly action: string;
  readonly body: (parent: XmlBuilder) => void;
  /** Signs INI's assertion at send time, so a retried message never carries an expired one. */
  readonly assertion: () => string;
  /** What the message is about (uniqueIds or UUIDs), for the log. */
  readonly summary: string;
}

export type ForwardOutcome =
  | { readonly kind: 'delivered' }
  | { readonly kind: 'pending'; readonly reason: string }
  | { readonly kind: 'refused'; readonly errors: readonly DecodedRegistryError[] };

/** One forward as the log shows it; `outcome` moves from `pending` to `delivered` or `dropped`. */
export interface ForwardRecord {
  readonly id: number;
  readonly time: Date;
  readonly region: string;
  readonly kind: ForwardMessage['kind'];
  readonly summary: string;
  outcome: 'delivered' | 'pending' | 'refused' | 'dropped';
  attempts: number;
  lastError?: string;
}

export interface ForwarderOptions {
  readonly caller: SoapCaller;
  readonly regions: RegionDirectory;
  /** First retry delay; doubles up to `retryMaxMs`. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
}

export interface Forwarder {
  forward(region: string, message: ForwardMessage): Promise<ForwardOutcome>;
  /** Retries every pending message now, in order; resolves with what was delivered and what is still pending. */
  flush(): Promise<{ delivered: number; pending: number }>;
  readonly pendingCount: number;
  readonly log: readonly ForwardRecord[];
  clear(): void;
  stop(): Promise<void>;
}

interface Queued {
  readonly record: ForwardRecord;
  readonly message: ForwardMessage;
}

interface RegionQueue {
  readonly queue: Queued[];
  chain: Promise<void>;
  timer?: NodeJS.Timeout;
  backoffMs: number;
}

type Attempt = { ok: true } | { ok: false; refused?: readonly DecodedRegistryError[]; reason: string };

export function createForwarder(options: ForwarderOptions): Forwarder {
  const queues = new Map<string, RegionQueue>();
  const log: ForwardRecord[] = [];
  let nextId = 1;
  let stopped = false;

  const stateOf = (region: string): RegionQueue => {
    let state = queues.get(region);
    if (!state) {
      state = { queue: [], chain: Promise.resolve(), backoffMs: options.retryBaseMs };
      queues.set(region, state);
    }
    return state;
  };

  /** Runs `fn` after everything already running for the region. */
  const serialise = <T>(state: RegionQueue, fn: () => Promise<T>): Promise<T> => {
    const run = state.chain.then(fn);
    state.chain = run.then(() => undefined, () => undefined);
    return run;
  };

  const attempt = async (region: string, message: ForwardMessage): Promise<Attempt> => {
    const target = options.regions.region(region);
    if (!target) return { ok: false, reason: `region ${region} has no registry endpoint configured` };
    try {
      const answer = await sendToRegistry(options.caller, target.registryUrl, message.action, message.body, message.assertion());
      const errors = answer.errors.filter((e) => e.severity === 'Error');
      if (answer.status === 'Failure' || errors.length > 0) {
        return { ok: false, refused: errors, reason: errors.map((e) => `${e.code}: ${e.codeContext}`).join('; ') || 'Failure' };
      }
      return { ok: true };
    } catch (err) {
      return { ok: false, reason: err instanceof Error ? err.message : String(err) };
    }
  };

  const schedule = (region: string, state: RegionQueue): void => {
    if (stopped || state.timer || state.queue.length === 0) return;
    state.timer = setTimeout(() => {
      state.timer = undefined;
      void drain(region, state);
    }, state.backoffMs);
    state.timer.unref();
    state.backoffMs = Math.min(state.backoffMs * 2, options.retryMaxMs);
  };

  const drain = (region: string, state: RegionQueue): Promise<number> => serialise(state, async () => {
    let delivered = 0;
    while (!stopped) {
      const head = state.queue[0];
      if (!head) break;
      const result = await attempt(region, head.message);
      head.record.attempts += 1;
      if (!result.ok && !result.refused) {
        head.record.lastError = result.reason;
        schedule(region, state);
        return delivered;
      }
      state.queue.shift();
      if (result.ok) {
        head.record.outcome = 'delivered';
        delivered += 1;
      } else {
        head.record.outcome = 'dropped';
        head.record.lastError = result.reason;
      }
    }
    state.backoffMs = options.retryBaseMs;
    return delivered;
  });

  const pendingCount = (): number => {
    let n = 0;
    for (const state of queues.values()) n += state.queue.length;
    return n;
  };

  return {
    forward(region, message) {
      const state = stateOf(region);
      return serialise(state, async (): Promise<ForwardOutcome> => {
        const record: ForwardRecord = { id: nextId++, time: new Date(), region, kind: message.kind, summary: message.summary, outcome: 'pending', attempts: 0 };
        log.push(record);
        if (state.queue.length > 0) {
          state.queue.push({ record, message });
          record.lastError = 'queued behind earlier pending messages';
          return { kind: 'pending', reason: record.lastError };
        }
        const result = await attempt(region, message);
        record.attempts = 1;
        if (result.ok) {
          record.outcome = 'delivered';
          return { kind: 'delivered' };
        }
        record.lastError = result.reason;
        if (result.refused) {
          record.outcome = 'refused';
          return { kind: 'refused', errors: result.refused };
        }
        state.queue.push({ record, message });
        schedule(region, state);
        return { kind: 'pending', reason: result.reason };
      });
    },
    async flush() {
      let delivered = 0;
      for (const [region, state] of queues) {
        clearTimeout(state.timer);
        state.timer = undefined;
        delivered += await drain(region, state);
      }
      return { delivered, pending: pendingCount() };
    },
    get pendingCount() {
      return pendingCount();
    },
    log,
    clear() {
      for (const state of queues.values()) {
        clearTimeout(state.timer);
        state.timer = undefined;
        state.queue.length = 0;
        state.backoffMs = options.retryBaseMs;
      }
      log.length = 0;
    },
    async stop() {
      stopped = true;
      for (const state of queues.values()) clearTimeout(state.timer);
      await Promise.all([...queues.values()].map((s) => s.chain));
    },
  };
}
