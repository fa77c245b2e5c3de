import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { PROJECT_ROOT } from '../config.js';
import { assertSchemaName, withTransaction } from './pool.js';

/** The top-level folder of numbered SQL migrations (`001_registry.sql`, ...). */
export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'migrations');

const FILE_NAME = /^(\d{3})_[a-z0-9_]+\.sql$/;

export interface MigrationOptions {
  /** Target schema: created when missing and put on the `search_path` of the migration transaction. */
  readonly schema?: string;
  readonly dir?: string;
}

export interface MigrationResult {
  readonly applied: readonly string[];
  readonly alreadyApplied: readonly string[];
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

interface Migration {
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

async function loadMigrations(dir: string): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.sql')).sort();
  const seen = new Set<string>();
  const migrations: Migration[] = [];
  for (const name of names) {
    const number = FILE_NAME.exec(name)?.[1];
    if (number === undefined) throw new MigrationError(`migration file name must be NNN_snake_case.sql: ${name}`);
    if (seen.has(number)) throw new MigrationError(`two migrations numbered ${number}`);
    seen.add(number);
    const sql = await readFile(path.join(dir, name), 'utf8');
    migrations.push({ name, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return migrations;
}

/**
 * Applies the pending migrations in one transaction. A transaction-scoped advisory lock, keyed by the target schema,
 * makes concurrent callers (several bridge instances starting together, parallel tests) queue instead of racing;
 * whoever comes second finds everything applied. An applied file whose text changed is refused: migrations are
 * append-only.
 */
export async function runMigrations(pool: pg.Pool, options: MigrationOptions = {}): Promise<MigrationResult> {
  const migrations = await loadMigrations(options.dir ?? MIGRATIONS_DIR);
  return withTransaction(pool, async (client) => {
    if (options.schema !== undefined) {
      const schema = client.escapeIdentifier(assertSchemaName(options.schema));
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('fse-bridge.migrate'), hashtext($1))`, [options.schema]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query(`SET LOCAL search_path TO ${schema}`);
    } else {
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('fse-bridge.migrate'), hashtext(coalesce(current_schema(), '')))`);
    }
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const rows = await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations');
    const done = new Map(rows.rows.map((r) => [r.name, r.checksum]));
    const applied: string[] = [];
    const alreadyApplied: string[] = [];
    for (const migration of migrations) {
      const checksum = done.get(migration.name);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) throw new MigrationError(`migration ${migration.name} changed after it was applied`);
        alreadyApplied.push(migration.name);
        continue;
      }
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [migration.name, migration.checksum]);
      applied.push(migration.name);
    }
    return { applied, alreadyApplied };
  });
}
