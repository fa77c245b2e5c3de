/**
 * Queue names. The prefix goes into the queue name itself rather than BullMQ's `prefix` option, because that option
 * exists only on Redis (the PostgreSQL backend namespaces by schema and ignores it): one naming rule lets several
 * bridges, or tests, share one Redis or one database on either backend.
 */

/** The queue every job type is processed from (both lanes; see `Lane`). */
export function jobsQueueName(prefix: string): string {
  return `${prefix}-jobs`;
}

/** The dead-letter queue: jobs that failed for good, parked with their error until retried. Never processed. */
export function deadQueueName(prefix: string): string {
  return `${prefix}-dead`;
}
