import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { createAuditLog, type AuditLog } from '../../src/audit/audit-log.js';
import type { AuditRecord } from '../../src/audit/audit-record.js';
import { chainHash } from '../../src/audit/canonical-form.js';
import { createTestSchema, type TestSchema } from '../support/test-database.js';
import { sampleEntry, tamper } from './audit-builders.js';

/**
 * An attacker with database access (the table owner) disables the triggers and edits the log; verify must name the
 * first record that no longer fits, and why. Each case gets a fresh chain of six records; batches of two make the
 * breaks fall on batch boundaries and inside batches.
 */
describe('tamper detection', () => {
  let db: TestSchema;
  let log: AuditLog;
  let records: AuditRecord[];
  const batchSize = 2;

  beforeEach(async () => {
    db = await createTestSchema();
    log = createAuditLog(db.pool, { maxBatch: 1 });
    records = [];
    for (let i = 1; i <= 6; i++) records.push(await log.record(sampleEntry({ documentIds: [`2.16.840.1.113883.2.9.2.120.4.4^${i}`] })));
    assert.equal((await log.verify({ batchSize })).ok, true);
  });
  afterEach(() => db.drop());

  const brokenAt = async (options = {}) => (await log.verify({ batchSize, ...options })).brokenAt;
  const hashOf = (id: number) => records[id - 1]?.hash ?? '';

  test('a changed field: hash mismatch at that record', async () => {
    await tamper(db.pool, `UPDATE audit_record SET subject_id = 'MLLSNT82P65Z404U^^^&2.16.840.1.113883.2.9.4.3.2&ISO' WHERE id = 3`);
    assert.deepEqual(await brokenAt(), { id: 3, reason: 'hash-mismatch', detail: 'the fields do not give the stored hash' });
  });

  test('a changed document list or outcome: hash mismatch', async () => {
    await tamper(db.pool, `UPDATE audit_record SET document_ids = '{}', outcome = 'Failure' WHERE id = 5`);
    assert.equal((await brokenAt())?.id, 5);
    assert.equal((await brokenAt())?.reason, 'hash-mismatch');
  });

  test('a deleted middle record: missing at its id', async () => {
    await tamper(db.pool, 'DELETE FROM audit_record WHERE id = 3');
    assert.deepEqual(await brokenAt(), { id: 3, reason: 'missing', detail: 'records 3 to 3 are missing' });
  });

  test('a deleted record with the later ones renumbered to close the gap: hash mismatch at the gap', async () => {
    await tamper(db.pool, 'DELETE FROM audit_record WHERE id = 3; UPDATE audit_record SET id = id - 1 WHERE id > 3');
    assert.deepEqual(await brokenAt(), { id: 3, reason: 'hash-mismatch', detail: 'the fields do not give the stored hash' });
  });

  test('two records swapped: hash mismatch at the first', async () => {
    await tamper(db.pool, 'UPDATE audit_record SET id = 100 WHERE id = 2; UPDATE audit_record SET id = 2 WHERE id = 3; UPDATE audit_record SET id = 3 WHERE id = 100');
    assert.deepEqual((await brokenAt())?.id, 2);
    assert.deepEqual((await brokenAt())?.reason, 'hash-mismatch');
  });

  test('a changed hash: hash mismatch at that record', async () => {
    await tamper(db.pool, `UPDATE audit_record SET hash = repeat('a', 64) WHERE id = 4`);
    assert.deepEqual((await brokenAt())?.id, 4);
    assert.deepEqual((await brokenAt())?.reason, 'hash-mismatch');
  });

  test('a record rewritten with its own hash recomputed: the next record no longer links to it', async () => {
    const forged = { ...records[2] as AuditRecord, purposeOfUse: 'EMERGENCY' };
    await tamper(db.pool, ['UPDATE audit_record SET purpose_of_use = $1, hash = $2 WHERE id = 3', ['EMERGENCY', chainHash(forged)]]);
    assert.deepEqual(await brokenAt(), { id: 4, reason: 'prev-hash-mismatch', detail: 'prev_hash is not the hash of record 3' });
  });

  test('the genesis record re-linked to another prev_hash, hash recomputed: prev-hash mismatch at 1', async () => {
    const forged = { ...records[0] as AuditRecord, prevHash: 'b'.repeat(64) };
    await tamper(db.pool, ['UPDATE audit_record SET prev_hash = $1, hash = $2 WHERE id = 1', [forged.prevHash, chainHash(forged)]]);
    assert.deepEqual((await brokenAt())?.id, 1);
    assert.deepEqual((await brokenAt())?.reason, 'prev-hash-mismatch');
  });

  test('the tail deleted, head untouched: missing at the first deleted id', async () => {
    await tamper(db.pool, 'DELETE FROM audit_record WHERE id >= 5');
    assert.deepEqual(await brokenAt(), { id: 5, reason: 'missing', detail: 'the chain ends at 4 but its head is at 6' });
  });

  test('a record inserted beyond the head: head mismatch', async () => {
    await tamper(db.pool, `INSERT INTO audit_record SELECT 7, canonical_version, recorded_at, direction, transaction, counterpart,
      subject_id, subject_role, organization_id, organization_name, purpose_of_use, patient_id, document_ids, outcome,
      error_codes, trace_id, credential_id, hash, hash FROM audit_record WHERE id = 6`);
    assert.deepEqual(await brokenAt(), { id: 7, reason: 'head-mismatch', detail: 'records up to 7 lie beyond the head' });
  });

  test('the head moved to another hash: head mismatch', async () => {
    await tamper(db.pool, `UPDATE audit_chain_head SET last_hash = repeat('c', 64)`);
    assert.deepEqual((await brokenAt())?.reason, 'head-mismatch');
  });

  test('the tail cut and the head moved back: undetectable from the database alone, detected by an external anchor', async () => {
    await tamper(db.pool, 'DELETE FROM audit_record WHERE id >= 5', ['UPDATE audit_chain_head SET last_id = 4, last_hash = $1', [hashOf(4)]]);
    // The documented limit: what is left is a valid, shorter chain.
    assert.deepEqual(await log.verify({ batchSize }), { ok: true, checked: 4, head: { id: 4, hash: hashOf(4) } });
    const anchored = await brokenAt({ anchor: { id: 6, hash: hashOf(6) } });
    assert.deepEqual(anchored?.reason, 'anchor-mismatch');
    assert.equal(anchored?.id, 6);
  });

  test('the whole chain rewritten consistently: only the anchor shows it', async () => {
    const forged: AuditRecord[] = [];
    let prevHash = records[0]?.prevHash ?? '';
    for (const r of records) {
      const fields = { ...r, prevHash, counterpart: 'forged' };
      forged.push({ ...fields, hash: chainHash(fields) });
      prevHash = chainHash(fields);
    }
    await tamper(db.pool,
      ...forged.map((f) => ['UPDATE audit_record SET counterpart = $1, prev_hash = $2, hash = $3 WHERE id = $4', [f.counterpart, f.prevHash, f.hash, f.id]] as const),
      ['UPDATE audit_chain_head SET last_hash = $1', [forged.at(-1)?.hash]]);
    assert.equal((await log.verify({ batchSize })).ok, true);
    assert.deepEqual(await brokenAt({ anchor: { id: 3, hash: hashOf(3) } }), { id: 3, reason: 'anchor-mismatch', detail: 'record 3 no longer has the anchored hash' });
  });

  test('verify from a later id trusts that record\'s prev_hash and checks the rest', async () => {
    await tamper(db.pool, `UPDATE audit_record SET counterpart = 'x' WHERE id = 2`);
    assert.equal((await brokenAt())?.id, 2);
    const tail = await log.verify({ from: 3, batchSize });
    assert.deepEqual([tail.ok, tail.checked, tail.head.id], [true, 4, 6]);
    assert.deepEqual((await log.verify({ from: 9 })).brokenAt?.reason, 'head-mismatch');
  });
});
