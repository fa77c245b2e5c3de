/**
 * Cost of one `record()`: `node --import tsx test/audit/bench-record.ts [records]` (default 4000) against
 * TEST_DATABASE_URL, in a fresh schema dropped at the end. Prints one JSON line per scenario (records/s, mean ms).
 * Not a test: numbers depend on the machine (its disk flush above all, since the chain lock is held through commit).
 */
import { performance } from 'node:perf_hooks';
import { createAuditLog, type AuditLog } from '../../src/audit/audit-log.js';
import { createPool } from '../../src/db/pool.js';
import { createTestSchema, TEST_DATABASE_URL } from '../support/test-database.js';
import { sampleEntry } from './audit-builders.js';

const total = Number(process.argv[2] ?? 4000);
const db = await createTestSchema();
const extraPools: { end(): Promise<void> }[] = [];

/** `writers` loops, each awaiting its own records one after the other, spread over the given logs. */
async function scenario(name: string, logs: AuditLog[], writers: number): Promise<void> {
  const perWriter = Math.floor(total / writers);
  const started = performance.now();
  await Promise.all(Array.from({ length: writers }, async (_, w) => {
    const log = logs[w % logs.length] as AuditLog;
    for (let i = 0; i < perWriter; i++) await log.record(sampleEntry({ traceId: `${name}-${w}-${i}` }));
  }));
  const seconds = (performance.now() - started) / 1000;
  const records = perWriter * writers;
  process.stdout.write(`${JSON.stringify({ scenario: name, writers, records, recordsPerSecond: Math.round(records / seconds), meanLatencyMs: Number((seconds * 1000 * writers / records).toFixed(3)) })}\n`);
}

try {
  const pools = Array.from({ length: 8 }, () => createPool(TEST_DATABASE_URL, { schema: db.schema, max: 2 }));
  extraPools.push(...pools);
  await scenario('warm-up', [createAuditLog(db.pool)], 1);
  await scenario('sequential', [createAuditLog(db.pool)], 1);
  await scenario('8 writers, one log (group commit)', [createAuditLog(db.pool)], 8);
  await scenario('8 writers, one log, no batching', [createAuditLog(db.pool, { maxBatch: 1 })], 8);
  await scenario('8 writers, 8 pools (8 bridges), no batching', pools.map((p) => createAuditLog(p, { maxBatch: 1 })), 8);
  await scenario('8 writers, 8 pools (8 bridges), group commit', pools.map((p) => createAuditLog(p)), 8);
  const started = performance.now();
  const verified = await createAuditLog(db.pool).verify();
  process.stdout.write(`${JSON.stringify({ scenario: 'verify', ok: verified.ok, checked: verified.checked, recordsPerSecond: Math.round(verified.checked / ((performance.now() - started) / 1000)) })}\n`);
} finally {
  await Promise.all(extraPools.map((p) => p.end()));
  await db.drop();
}
