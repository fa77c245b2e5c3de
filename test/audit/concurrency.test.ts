import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type pg from 'pg';
import { createAuditLog } from '../../src/audit/audit-log.js';
import { createPool } from '../../src/db/pool.js';
import { createTestSchema, TEST_DATABASE_URL, type TestSchema } from '../support/test-database.js';
import { sampleEntry } from './audit-builders.js';

/**
 * Several bridge processes modelled as several pools, each with its own log (and so its own group commit): their
 * parallel appends must still form one chain, every call answering its own record.
 */
describe('concurrent writers', () => {
  let db: TestSchema;
  const pools: pg.Pool[] = [];
  before(async () => {
    db = await createTestSchema();
    for (let i = 0; i < 3; i++) pools.push(createPool(TEST_DATABASE_URL, { schema: db.schema, max: 4 }));
  });
  after(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await db.drop();
  });

  test('600 parallel records from three pools (batched and unbatched) keep one valid chain', async () => {
    // One pool writes a record per transaction, the others batch: both kinds contend for the same chain head.
    const logs = pools.map((pool, i) => createAuditLog(pool, { maxBatch: i === 0 ? 1 : 50 }));
    const calls = [];
    for (let n = 0; n < 600; n++) {
      const log = logs[n % logs.length];
      assert.ok(log);
      calls.push(log.record(sampleEntry({ traceId: `trace-${n}` })));
    }
    const records = await Promise.all(calls);

    assert.deepEqual(records.map((r) => r.id).sort((a, b) => a - b), Array.from({ length: 600 }, (_, i) => i + 1));
    assert.deepEqual(records.map((r) => r.traceId), Array.from({ length: 600 }, (_, n) => `trace-${n}`), 'each call got its own record');
    const byId = new Map(records.map((r) => [r.id, r]));
    for (let id = 2; id <= 600; id++) assert.equal(byId.get(id)?.prevHash, byId.get(id - 1)?.hash, `record ${id} links to ${id - 1}`);
    for (let id = 2; id <= 600; id++) {
      assert.ok((byId.get(id)?.recordedAt.getTime() ?? 0) >= (byId.get(id - 1)?.recordedAt.getTime() ?? 0), 'time follows the chain');
    }
    const result = await createAuditLog(db.pool).verify({ batchSize: 128 });
    assert.deepEqual(result, { ok: true, checked: 600, head: { id: 600, hash: byId.get(600)?.hash } });
  });

  test('an entry the database refuses fails alone; the others of its batch are recorded', async () => {
    const log = createAuditLog(db.pool, { maxBatch: 10 });
    const good = Array.from({ length: 5 }, (_, n) => log.record(sampleEntry({ traceId: `ok-${n}` })));
    // Typed callers cannot send this; a JavaScript caller could, and the CHECK constraint refuses it.
    const bad = log.record(sampleEntry({ outcome: 'Maybe' as never }));
    const more = Array.from({ length: 5 }, (_, n) => log.record(sampleEntry({ traceId: `ok-${n + 5}` })));
    await assert.rejects(bad, { code: '23514' });
    const recorded = await Promise.all([...good, ...more]);
    assert.deepEqual(recorded.map((r) => r.traceId), Array.from({ length: 10 }, (_, n) => `ok-${n}`));
    assert.deepEqual(await log.verify(), { ok: true, checked: 610, head: { id: 610, hash: recorded.at(-1)?.hash } });
  });
});
