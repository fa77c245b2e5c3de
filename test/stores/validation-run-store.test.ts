import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createValidationRunStore, type NewValidationRun, type ValidationRunStore } from '../../src/stores/validation-run-store.js';
import type { LocatedFinding } from '../../src/validation/finding-lines.js';
import { createTestSchema, type TestSchema } from '../support/test-database.js';

const DAY = 24 * 60 * 60 * 1000;
const findings: LocatedFinding[] = [
  { id: 'EXPL-001', severity: 'error', message: 'EXPL-001 | birthTime', location: '/Q{urn:hl7-org:v3}ClinicalDocument[1]', line: 23 },
  { id: 'W001', severity: 'warning', message: 'W001 | advice' },
  { id: 'W-REG-1', severity: 'warning', message: 'regional', line: 4 },
];
const run = (over: Partial<NewValidationRun> = {}): NewValidationRun => ({
  origin: 'rest', traceId: 'a'.repeat(32), docType: 'LDO', valid: false, source: '<ClinicalDocument/>\n', findings, ...over,
});

describe('validation run store (PostgreSQL)', () => {
  let db: TestSchema;
  let store: ValidationRunStore;
  before(async () => {
    db = await createTestSchema();
    store = createValidationRunStore(db.pool);
  });
  after(() => db.drop());

  test('a run comes back whole: source, findings with their lines, counts by severity', async () => {
    const { id, at } = await store.record(run());
    assert.ok(Number.isSafeInteger(id) && id > 0);
    assert.ok(Math.abs(at.getTime() - Date.now()) < 60_000);
    assert.deepEqual(await store.get(id), {
      id, at, origin: 'rest', traceId: 'a'.repeat(32), docType: 'LDO', valid: false, errors: 1, warnings: 2,
      source: '<ClinicalDocument/>\n', findings,
    });
  });

  test('a playground run keeps its operator and has no trace id', async () => {
    const { id } = await store.record(run({ origin: 'playground', traceId: undefined, operator: 'mrossi', valid: true, findings: [] }));
    const got = await store.get(id);
    assert.equal(got?.operator, 'mrossi');
    assert.equal(got?.traceId, undefined);
    assert.deepEqual([got?.errors, got?.warnings], [0, 0]);
  });

  test('list: newest first, pages below `before`, summaries without source', async () => {
    const ids: number[] = [];
    for (const n of [1, 2, 3]) ids.push((await store.record(run({ traceId: `t${n}` }))).id);
    const first = await store.list({ limit: 2 });
    assert.deepEqual(first.map((r) => r.id), [ids[2], ids[1]]);
    assert.equal('source' in (first[0] ?? {}), false);
    assert.deepEqual({ ...first[0], at: undefined }, { id: ids[2], at: undefined, origin: 'rest', traceId: 't3', docType: 'LDO', valid: false, errors: 1, warnings: 2 });
    const next = await store.list({ limit: 2, before: first[1]?.id });
    assert.equal(next[0]?.id, ids[0]);
    assert.ok(next.every((r) => r.id < (ids[1] ?? 0)));
  });

  test('an unknown id or an impossible one is undefined', async () => {
    assert.equal(await store.get(987654321), undefined);
    assert.equal(await store.get(-1), undefined);
    assert.equal(await store.get(1.5), undefined);
  });

  test('the origin is one of rest and playground (a CHECK, not a convention)', async () => {
    await assert.rejects(store.record(run({ origin: 'soap' as 'rest' })), /check constraint/);
  });

  test('purgeOlderThan follows the validation records rule: 5 whole days kept, 6 gone', async () => {
    const kept = (await store.record(run())).id;
    const gone = (await store.record(run())).id;
    const now = new Date();
    await db.pool.query('UPDATE validation_run SET created_at = $2 WHERE id = $1', [kept, new Date(now.getTime() - 6 * DAY + 60_000)]);
    await db.pool.query('UPDATE validation_run SET created_at = $2 WHERE id = $1', [gone, new Date(now.getTime() - 6 * DAY)]);
    assert.equal(await store.purgeOlderThan(5, now), 1);
    assert.ok(await store.get(kept));
    assert.equal(await store.get(gone), undefined);
  });

  test('with a TTL, expired runs are not read and the next insert purges them', async () => {
    const withTtl = createValidationRunStore(db.pool, { ttlDays: 5 });
    const old = (await withTtl.record(run({ traceId: 'old' }))).id;
    await db.pool.query('UPDATE validation_run SET created_at = $2 WHERE id = $1', [old, new Date(Date.now() - 7 * DAY)]);
    assert.equal(await withTtl.get(old), undefined);
    assert.ok(!(await withTtl.list({ limit: 100 })).some((r) => r.id === old));
    assert.ok(await store.get(old), 'still in the table until a purge');
    await withTtl.record(run({ traceId: 'new' }));
    const { rows } = await db.pool.query('SELECT 1 FROM validation_run WHERE id = $1', [old]);
    assert.equal(rows.length, 0, 'purged by the insert');
  });
});
