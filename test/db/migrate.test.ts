import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { main } from '../../src/cli/main.js';
import { MigrationError, runMigrations } from '../../src/db/migrate.js';
import { createPool, withTransaction } from '../../src/db/pool.js';
import { createTestSchema, TEST_DATABASE_URL } from '../support/test-database.js';

describe('runMigrations', async () => {
  const db = await createTestSchema({ migrate: false });
  after(() => db.drop());

  test('concurrent runs apply each migration once; a later run applies nothing', async () => {
    const runs = await Promise.all([1, 2, 3, 4].map(() => runMigrations(db.pool, { schema: db.schema })));
    const applied = runs.flatMap((r) => r.applied);
    assert.deepEqual(applied, [...new Set(applied)], 'no migration applied twice');
    assert.ok(applied.includes('001_registry.sql') && applied.includes('004_transaction_events.sql'));
    assert.equal(runs.filter((r) => r.applied.length > 0).length, 1, 'one run did the work, the others waited');

    const again = await runMigrations(db.pool, { schema: db.schema });
    assert.deepEqual(again.applied, []);
    assert.deepEqual(again.alreadyApplied, applied);
    const tables = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'document_entry'`,
      [db.schema],
    );
    assert.equal(tables.rows[0]?.n, 1, 'tables land in the target schema');
  });

  test('a migration edited after it was applied is refused', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
    const schema = `${db.schema}_edit`;
    const pool = createPool(TEST_DATABASE_URL, { schema });
    try {
      writeFileSync(path.join(dir, '001_one.sql'), '-- one\nCREATE TABLE one (id int);\n');
      assert.deepEqual((await runMigrations(pool, { schema, dir })).applied, ['001_one.sql']);
      writeFileSync(path.join(dir, '001_one.sql'), '-- one, edited\nCREATE TABLE one (id bigint);\n');
      await assert.rejects(runMigrations(pool, { schema, dir }), MigrationError);
      writeFileSync(path.join(dir, '1_bad.sql'), 'SELECT 1;');
      await assert.rejects(runMigrations(pool, { schema, dir }), /NNN_snake_case/);
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
    }
  });

  test('withTransaction rolls back when the function throws', async () => {
    await db.pool.query('CREATE TABLE IF NOT EXISTS probe (id int)');
    await assert.rejects(withTransaction(db.pool, async (client) => {
      await client.query('INSERT INTO probe VALUES (1)');
      throw new Error('boom');
    }), /boom/);
    const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM probe');
    assert.equal(rows[0]?.n, 0);
  });

  test('fse-bridge migrate applies to DATABASE_URL; a bad schema name is a usage error', async () => {
    const out: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t) };
    const schema = `${db.schema}_cli`;
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = TEST_DATABASE_URL;
    try {
      assert.equal(await main(['migrate', '--schema', schema], io), 0);
      assert.match(out.join('\n'), /applied 001_registry.sql[\s\S]*\d+ applied, 0 already applied/);
      assert.equal(await main(['migrate', '--schema', 'Bad-Name'], io), 2);
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
      await db.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    }
  });
});
