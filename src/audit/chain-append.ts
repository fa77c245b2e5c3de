import type pg from 'pg';
import { insertRows } from '../db/insert-rows.js';
import { withTransaction } from '../db/pool.js';
import type { AuditRecord } from './audit-record.js';
import { toRow } from './audit-rows.js';
import { CANONICAL_VERSION, chainHash } from './canonical-form.js';
import type { NormalisedEntry } from './normalise-entry.js';

/**
 * Appends entries to the chain in one transaction, in the order given. The chain head row is locked first
 * (`FOR UPDATE`): a concurrent writer, in this process or another bridge, waits there until this transaction ends,
 * then reads the head this one left. The lock is held for one round trip (the insert) and the commit; hashing
 * happens in between, in memory. The time comes from the database clock under the same lock, so `recorded_at` never
 * goes backwards along the chain even when the bridges' clocks differ. The insert trigger re-checks that the rows
 * extend the head (migration 008).
 */
export async function appendToChain(pool: pg.Pool, entries: readonly NormalisedEntry[]): Promise<AuditRecord[]> {
  if (entries.length === 0) return [];
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query<{ last_id: string; last_hash: string; now: Date }>(
      `SELECT last_id, last_hash, date_trunc('milliseconds', clock_timestamp()) AS now
         FROM audit_chain_head
        FOR UPDATE`,
    );
    const head = rows[0];
    if (head === undefined) throw new Error('audit_chain_head has no row: is migration 008 applied?');
    let id = Number(head.last_id);
    let prevHash = head.last_hash;
    const records = entries.map((entry): AuditRecord => {
      id += 1;
      const fields = { ...entry, id, canonicalVersion: CANONICAL_VERSION, recordedAt: head.now, prevHash };
      const hash = chainHash(fields);
      prevHash = hash;
      return { ...fields, hash };
    });
    await insertRows(client, 'audit_record', records.map(toRow));
    return records;
  });
}
