import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { runMigrations } from '../../src/db/migrate.js';
import { createPool } from '../../src/db/pool.js';

/** The real PostgreSQL the storage tests run against (STYLE rule 16: no database mocks). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestSchema {
  readonly schema: string;
  /** A pool whose connections have `search_path` set to the schema. */
  readonly pool: pg.Pool;
  /** Closes the pool and drops the schema with everything in it. */
  drop(): Promise<void>;
}

/** A fresh, uniquely named schema for one test file; migrated unless `migrate: false`. */
export async function createTestSchema(options: { migrate?: boolean } = {}): Promise<TestSchema> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const pool = createPool(TEST_DATABASE_URL, { schema, max: 8 });
  if (options.migrate === false) await pool.query(`CREATE SCHEMA ${schema}`);
  else await runMigrations(pool, { schema });
  return {
    schema,
    pool,
    async drop() {
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
    },
  };
}
