import type { Queryable } from '../db/pool.js';

/**
 * Serialises the registry writes about the same uniqueIds (DocumentEntry, SubmissionSet): a transaction-scoped
 * advisory lock per uniqueId, taken in sorted order so two writers never wait on each other in a cycle. Needed where
 * the region is its own patient's RDA: the bridge indexes what it published while INI's copy of the same metadata
 * arrives; without the lock, each writer misses the other's uncommitted rows and one of them fails on the uniqueId
 * constraint instead of seeing the document already indexed. Re-entrant within a transaction.
 * See: xds-ini digest 1.2 (INI feeds the regional index even for the region's own patients), 4.8 (idempotency).
 */
export async function lockUniqueIds(q: Queryable, uniqueIds: readonly string[]): Promise<void> {
  for (const id of [...new Set(uniqueIds)].sort()) {
    await q.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`registry-unique-id:${id}`]);
  }
}
