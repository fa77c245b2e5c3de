import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAuditLog } from '../../src/audit/audit-log.js';
import type { AuditRecord } from '../../src/audit/audit-record.js';
import { main } from '../../src/cli/main.js';
import { createTestSchema, TEST_DATABASE_URL, type TestSchema } from '../support/test-database.js';
import { OTHER_PATIENT, PATIENT, sampleEntry, tamper } from './audit-builders.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) }, out, err };
}

/** Runs `fse-bridge audit ...` in-process with the database settings it reads from the environment. */
async function audit(args: string[], env: Record<string, string>) {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  const c = capture();
  try {
    return { code: await main(['audit', ...args], c.io), out: c.out, err: c.err };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('fse-bridge audit', () => {
  let db: TestSchema;
  let env: Record<string, string>;
  let records: AuditRecord[];
  before(async () => {
    db = await createTestSchema();
    env = { DATABASE_URL: TEST_DATABASE_URL, FSE_DB_SCHEMA: db.schema };
    const log = createAuditLog(db.pool);
    records = [];
    for (let i = 0; i < 4; i++) records.push(await log.record(sampleEntry({ patientId: i === 2 ? OTHER_PATIENT : PATIENT, traceId: `t${i}` })));
  });
  after(() => db.drop());

  test('verify: exit 0 and one JSON line with the head to anchor', async () => {
    const r = await audit(['verify'], env);
    assert.equal(r.code, 0, r.err.join('\n'));
    assert.equal(r.out.length, 1);
    assert.deepEqual(JSON.parse(r.out[0] ?? ''), { ok: true, checked: 4, head: { id: 4, hash: records[3]?.hash } });
    const anchored = await audit(['verify', '--anchor', `2:${records[1]?.hash}`, '--batch-size', '1'], env);
    assert.equal(anchored.code, 0);
  });

  test('list: the patient\'s records as JSON lines, newest first, paginated', async () => {
    const r = await audit(['list', '--patient', PATIENT, '--limit', '2'], env);
    assert.equal(r.code, 0, r.err.join('\n'));
    const lines = r.out.map((l) => JSON.parse(l) as { id: number; traceId: string; patientId: string; hash: string });
    assert.deepEqual(lines.map((l) => [l.id, l.traceId]), [[4, 't3'], [2, 't1']]);
    assert.equal(lines[0]?.hash, records[3]?.hash);
    const next = await audit(['list', '--patient', PATIENT, '--before', '2'], env);
    assert.deepEqual(next.out.map((l) => (JSON.parse(l) as { id: number }).id), [1]);
  });

  test('usage errors exit 2: no action, unknown option, malformed patient or anchor, options of the other action', async () => {
    for (const args of [[], ['verify', '--bogus'], ['list'], ['list', '--patient', 'RSSMRA80A01H501U'], ['verify', '--anchor', '3:abc'],
      ['verify', '--patient', PATIENT], ['list', '--patient', PATIENT, '--limit', '0'], ['verify', '--from', '3', '--anchor', `2:${'a'.repeat(64)}`]]) {
      const r = await audit(args, env);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.out.join('')}`);
      assert.match(r.err.join('\n'), /usage: fse-bridge audit/);
    }
  });

  test('a schema without the access log: exit 3, could not verify', async () => {
    const r = await audit(['verify'], { ...env, FSE_DB_SCHEMA: `${db.schema}_none` });
    assert.equal(r.code, 3);
    assert.match(r.err.join('\n'), /audit verify failed: .*audit_chain_head/);
  });

  test('verify after tampering: exit 1, the summary names the broken record; a wrong anchor also exits 1', async () => {
    const wrongAnchor = await audit(['verify', '--anchor', `3:${'e'.repeat(64)}`], env);
    assert.equal(wrongAnchor.code, 1);
    assert.equal((JSON.parse(wrongAnchor.out[0] ?? '') as { brokenAt: { reason: string } }).brokenAt.reason, 'anchor-mismatch');

    await tamper(db.pool, `UPDATE audit_record SET purpose_of_use = 'EMERGENCY' WHERE id = 2`);
    const r = await audit(['verify'], env);
    assert.equal(r.code, 1);
    assert.deepEqual(JSON.parse(r.out[0] ?? ''), {
      ok: false, checked: 1, head: { id: 1, hash: records[0]?.hash },
      brokenAt: { id: 2, reason: 'hash-mismatch', detail: 'the fields do not give the stored hash' },
    });
  });
});
