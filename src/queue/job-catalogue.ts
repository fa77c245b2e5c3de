import type { JobsOptions } from 'bullmq';
import type { Logger } from '../logging/logger.js';
import type { JobCorrelation } from './job-context.js';

/**
 * Priority lanes. `live` is work a producer is waiting for (publish, replace, delete after an XDS or REST call);
 * `bulk` is background work such as a replay after a Gateway outage, which must not delay live traffic.
 *
 * Both lanes share one queue and are ordered by BullMQ job priority (lower number first) rather than two queues:
 * with two queues each worker pool would take from both at once, so a replay of thousands of jobs would still
 * share the workers evenly with live traffic; with priorities a waiting live job is always taken next, and one
 * `concurrency` setting bounds the load on the Gateway. Jobs of the same priority stay first in, first out.
 * See: BullMQ guide, "Prioritized".
 */
export type Lane = 'live' | 'bulk';

/** BullMQ priority of each lane. Both are non-zero: BullMQ runs jobs without a priority before all prioritized ones. */
export const LANE_PRIORITY: Readonly<Record<Lane, number>> = Object.freeze({ live: 1, bulk: 10 });

/** What a processor receives besides its payload. */
export interface JobContext<Deps> {
  /** The dependencies given to `startWorkers`: stores and clients, built once per process. */
  readonly deps: Deps;
  /** Logger bound to this job; its lines carry the job's trace id (the correlation is already restored). */
  readonly logger: Logger;
  readonly jobId: string;
  /** 1 for the first run, 2 for the first retry, and so on. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** The correlation stored with the job, already active around the processor via `runWithContext`. */
  readonly correlation: JobCorrelation;
}

/**
 * One job type. `jobId` derives the id from the business key (e.g. the document's uniqueId and the operation), so
 * a duplicate submission is the same job. `process` is a plain function, one per file (STYLE rule 12): it re-reads
 * state, exits quietly if the work is already done, throws `UnrecoverableError` for permanent failures and any
 * other error for transient ones, which are retried `attempts - 1` times with exponential backoff.
 */
export interface JobDefinition<Name extends string, Payload extends object, Deps = unknown> {
  readonly name: Name;
  readonly lane: Lane;
  /** Total runs including the first; at least 1. */
  readonly attempts: number;
  /** Base of the exponential backoff in milliseconds: retry n waits backoff * 2^(n-1). */
  readonly backoff: number;
  /**
   * Upper bound of one retry's delay. Without it the delay doubles forever, so after a long Gateway outage the next
   * replay could be hours away; with it, retries settle to a steady pace and recovery is prompt.
   */
  readonly maxBackoff?: number;
  readonly jobId: (payload: Payload) => string;
  readonly process: (payload: Payload, ctx: JobContext<Deps>) => Promise<void>;
}

/** A job definition with its payload type erased, as stored in a catalogue. */
export type AnyJobDefinition<Deps = never> = JobDefinition<string, never, Deps>;

/** Job definitions by name. `Deps` is what the processors need; the default `never` accepts any processors. */
export type JobCatalogue<Deps = never> = Readonly<Record<string, AnyJobDefinition<Deps>>>;

/** The catalogue type built from a list of definitions, keyed by their names. */
export type CatalogueOf<Defs extends readonly AnyJobDefinition<never>[]> = {
  readonly [D in Defs[number] as D['name']]: D;
};

/** The payload type of a job definition. */
export type PayloadOf<D> = D extends JobDefinition<string, infer P, infer _Deps> ? P : never;

/** Declares a job type; checks its retry settings once, at definition. */
export function defineJob<Name extends string, Payload extends object, Deps = unknown>(
  definition: JobDefinition<Name, Payload, Deps>,
): NoInfer<JobDefinition<Name, Payload, Deps>> {
  if (!Number.isInteger(definition.attempts) || definition.attempts < 1) {
    throw new Error(`job ${definition.name}: attempts must be an integer >= 1`);
  }
  if (!Number.isFinite(definition.backoff) || definition.backoff < 0) {
    throw new Error(`job ${definition.name}: backoff must be a number of milliseconds >= 0`);
  }
  return Object.freeze({ ...definition });
}

/** Builds a catalogue from definitions, keyed by name; a name defined twice is a programming error. */
export function defineCatalogue<const Defs extends readonly AnyJobDefinition<never>[]>(definitions: Defs): CatalogueOf<Defs> {
  const catalogue: Record<string, AnyJobDefinition<never>> = {};
  for (const d of definitions) {
    if (d.name in catalogue) throw new Error(`job ${d.name} is defined twice`);
    catalogue[d.name] = d;
  }
  return Object.freeze(catalogue) as CatalogueOf<Defs>;
}

/** Thrown at boot when a declared job has no processor. */
export class CatalogueIncompleteError extends Error {
  override name = 'CatalogueIncompleteError';
  constructor(readonly missing: readonly string[]) {
    super(`job catalogue incomplete, no processor for: ${missing.join(', ')}`);
  }
}

/**
 * Refuses to boot when a declared job name has no processor (or a catalogue entry is filed under another name),
 * so a job type added to the producers cannot sit unprocessed in the queue until someone notices.
 */
export function assertCatalogueComplete(names: readonly string[], catalogue: JobCatalogue<never>): void {
  const missing = names.filter((name) => {
    const def = Object.hasOwn(catalogue, name) ? catalogue[name] : undefined;
    return !def || def.name !== name || typeof def.process !== 'function';
  });
  if (missing.length > 0) throw new CatalogueIncompleteError(missing);
}

/**
 * The BullMQ job id for a business key: `<job name>/<key>`. The key is URI-encoded because BullMQ rejects ids
 * containing ':' (XDS keys often do: `urn:uuid:...`) and the encoding keeps distinct keys distinct.
 */
export function businessJobId(name: string, key: string): string {
  if (key === '') throw new Error(`job ${name}: empty business key`);
  return `${name}/${encodeURIComponent(key)}`;
}

/** Name of the capped exponential backoff strategy the workers register. */
export const CAPPED_BACKOFF = 'capped-exponential';

/** Delay before retry `attemptsMade` of a job type with a capped backoff. */
export function cappedDelay(definition: Pick<AnyJobDefinition<never>, 'backoff' | 'maxBackoff'>, attemptsMade: number): number {
  const exponential = definition.backoff * 2 ** Math.max(0, attemptsMade - 1);
  return Math.min(exponential, definition.maxBackoff ?? exponential);
}

/** BullMQ options for one job of this type: retries, exponential backoff and the lane's priority. */
export function jobOptionsFor(definition: AnyJobDefinition<never>, lane: Lane = definition.lane): JobsOptions {
  return {
    attempts: definition.attempts,
    backoff: definition.maxBackoff === undefined
      ? { type: 'exponential', delay: definition.backoff }
      : { type: CAPPED_BACKOFF, delay: definition.backoff },
    priority: LANE_PRIORITY[lane],
  };
}
