import type { Queryable } from '../db/pool.js';
import { AUDIT_COLUMNS, toRecord, type AuditRow } from './audit-rows.js';
import { CANONICAL_VERSION, chainHash, GENESIS_HASH } from './canonical-form.js';

/** Why a chain does not verify. */
export type ChainBreak =
  /** A record is not there: a gap in the ids (deleted rows), or the chain ends before its head. */
  | 'missing'
  /** The record's fields do not give its stored hash: a field, the id or the hash was changed. */
  | 'hash-mismatch'
  /** The record's prev_hash is not the previous record's hash: the previous record was rewritten, or reordered. */
  | 'prev-hash-mismatch'
  /** A canonical form version this bridge does not know. */
  | 'unknown-version'
  /** The head row disagrees with the last record, or records exist beyond it. */
  | 'head-mismatch'
  /** The record an operator anchored (stored its hash elsewhere) now has another hash, or is gone. */
  | 'anchor-mismatch';

export interface VerifyOptions {
  /**
   * First id to check; default 1, the genesis record, whose prev_hash must be 64 zeros. From a later id the first
   * record's prev_hash is trusted (after a retention cut, compare it with the archive's last hash).
   */
  readonly from?: number;
  /** Records read per query; default 1000. Memory use is one batch, whatever the length of the chain. */
  readonly batchSize?: number;
  /** A head printed by an earlier run and kept outside the database: that record must still have that hash. */
  readonly anchor?: { readonly id: number; readonly hash: string };
}

export interface VerifyResult {
  readonly ok: boolean;
  /** Records checked. */
  readonly checked: number;
  /** The last record checked (id 0 and the genesis hash for an empty log): the value to anchor externally. */
  readonly head: { readonly id: number; readonly hash: string };
  readonly brokenAt?: { readonly id: number; readonly reason: ChainBreak; readonly detail: string };
}

export const DEFAULT_VERIFY_BATCH = 1000;

/**
 * Walks the chain from `from` to the head read at the start, in id order, one batch per query, with no long
 * transaction: records appended meanwhile are left to the next run. Each record must follow the previous id, hash to
 * its stored hash and carry the previous hash; the last one must be the head; no record may lie beyond the head.
 * Stops at the first break. See: docs/audit-log.md (what this detects and what it cannot).
 */
export async function verifyChain(db: Queryable, options: VerifyOptions = {}): Promise<VerifyResult> {
  const from = options.from ?? 1;
  const batchSize = options.batchSize ?? DEFAULT_VERIFY_BATCH;
  if (!Number.isSafeInteger(from) || from < 1) throw new RangeError(`from must be a positive integer: ${from}`);
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer: ${batchSize}`);
  const anchor = options.anchor;
  if (anchor !== undefined && anchor.id < from) throw new RangeError(`the anchor (id ${anchor.id}) is before from (${from})`);

  const { rows: heads } = await db.query<{ last_id: string; last_hash: string }>('SELECT last_id, last_hash FROM audit_chain_head');
  const headRow = heads[0];
  if (headRow === undefined) throw new Error('audit_chain_head has no row: is migration 008 applied?');
  const headId = Number(headRow.last_id);

  let expected = from;
  let prevHash: string | undefined = from === 1 ? GENESIS_HASH : undefined;
  let checked = 0;
  const result = (brokenAt?: VerifyResult['brokenAt']): VerifyResult => ({
    ok: brokenAt === undefined,
    checked,
    head: checked > 0 ? { id: expected - 1, hash: prevHash ?? GENESIS_HASH } : { id: headId, hash: headRow.last_hash },
    ...(brokenAt ? { brokenAt } : {}),
  });

  while (expected <= headId) {
    const { rows } = await db.query<AuditRow>(
      `SELECT ${AUDIT_COLUMNS} FROM audit_record WHERE id >= $1 AND id <= $2 ORDER BY id LIMIT $3`,
      [expected, headId, batchSize],
    );
    if (rows.length === 0) break;
    for (const row of rows) {
      const record = toRecord(row);
      if (record.id !== expected) {
        return result({ id: expected, reason: 'missing', detail: `records ${expected} to ${record.id - 1} are missing` });
      }
      if (record.canonicalVersion !== CANONICAL_VERSION) {
        return result({ id: record.id, reason: 'unknown-version', detail: `canonical form version ${record.canonicalVersion}` });
      }
      if (chainHash(record) !== record.hash) {
        return result({ id: record.id, reason: 'hash-mismatch', detail: 'the fields do not give the stored hash' });
      }
      if (prevHash !== undefined && record.prevHash !== prevHash) {
        return result({ id: record.id, reason: 'prev-hash-mismatch', detail: `prev_hash is not the hash of record ${record.id - 1}` });
      }
      if (anchor !== undefined && anchor.id === record.id && anchor.hash !== record.hash) {
        return result({ id: record.id, reason: 'anchor-mismatch', detail: `record ${record.id} no longer has the anchored hash` });
      }
      prevHash = record.hash;
      expected += 1;
      checked += 1;
    }
  }
  return result(await checkEnd(db, from, expected, headId, headRow.last_hash, prevHash, anchor));
}

/** After the walk: the head must be the last record checked, nothing may lie beyond it, the anchor must be reached. */
async function checkEnd(
  db: Queryable, from: number, expected: number, headId: number, headHash: string, lastHash: string | undefined,
  anchor: VerifyOptions['anchor'],
): Promise<VerifyResult['brokenAt']> {
  if (expected <= headId) {
    return { id: expected, reason: 'missing', detail: `the chain ends at ${expected - 1} but its head is at ${headId}` };
  }
  if (from > headId + 1) {
    return { id: from, reason: 'head-mismatch', detail: `the chain head is at ${headId}, before ${from}` };
  }
  if (expected > from && lastHash !== headHash) {
    return { id: headId, reason: 'head-mismatch', detail: 'the head row does not hold the hash of the last record' };
  }
  if (from === 1 && headId === 0 && headHash !== GENESIS_HASH) {
    return { id: 0, reason: 'head-mismatch', detail: 'an empty log whose head is not the genesis hash' };
  }
  // One statement, one snapshot: a record and its head update commit together, so this sees them both or neither.
  const { rows } = await db.query<{ last_id: string; max_id: string | null }>(
    'SELECT (SELECT last_id FROM audit_chain_head) AS last_id, (SELECT max(id) FROM audit_record) AS max_id',
  );
  const now = rows[0];
  if (now?.max_id != null && Number(now.max_id) > Number(now.last_id)) {
    return { id: Number(now.last_id) + 1, reason: 'head-mismatch', detail: `records up to ${now.max_id} lie beyond the head` };
  }
  if (anchor !== undefined && anchor.id > headId) {
    return { id: anchor.id, reason: 'anchor-mismatch', detail: `the anchored record is beyond the head (${headId}): the tail was cut` };
  }
  return undefined;
}
