import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.js';
import { startEmbeddedPostgres, type EmbeddedPostgresServer } from '../../db/embedded-postgres.js';
import { runMigrations } from '../../db/migrate.js';
import { assertSchemaName, createPool } from '../../db/pool.js';
import type { CliIo } from '../io.js';

const USAGE = 'usage: fse-bridge migrate [--schema NAME]   (DATABASE_URL, or the embedded server in FSE_PG_DATA_DIR)';

/**
 * `fse-bridge migrate`: applies the pending SQL migrations of `migrations/` to DATABASE_URL or, when it is unset, to
 * the embedded PostgreSQL (started for the command and stopped after). Safe to run while bridges start: the
 * migration runner holds an advisory lock.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { schema: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help === true) {
    io.stdout(USAGE);
    return 0;
  }
  const schema = parsed.values.schema;
  try {
    if (schema !== undefined) assertSchemaName(schema);
  } catch (error) {
    io.stderr(`${(error as Error).message}: use a lowercase SQL identifier\n${USAGE}`);
    return 2;
  }
  let embedded: EmbeddedPostgresServer | undefined;
  try {
    const config = loadConfig();
    if (config.databaseUrl === undefined) {
      embedded = await startEmbeddedPostgres({ dataDir: config.pgDataDir, port: config.pgPort });
      io.stdout(`embedded PostgreSQL in ${config.pgDataDir} on port ${config.pgPort}`);
    }
    const pool = createPool(config.databaseUrl ?? embedded?.url ?? '', { max: 1 });
    try {
      const result = await runMigrations(pool, { schema });
      for (const name of result.applied) io.stdout(`applied ${name}`);
      io.stdout(`${result.applied.length} applied, ${result.alreadyApplied.length} already applied`);
      return 0;
    } finally {
      await pool.end();
    }
  } catch (error) {
    io.stderr(`migrate failed: ${(error as Error).message}`);
    return 1;
  } finally {
    await embedded?.stop();
  }
}
