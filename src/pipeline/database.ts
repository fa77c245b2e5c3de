import type pg from 'pg';
import type { Config } from '../config.js';
import { startEmbeddedPostgres } from '../db/embedded-postgres.js';
import { runMigrations } from '../db/migrate.js';
import { createPool } from '../db/pool.js';
import type { Logger } from '../logging/logger.js';

export interface Database {
  readonly pool: pg.Pool;
  /** The connection URL (embedded or `DATABASE_URL`), for the queue's PostgreSQL backend. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Opens the bridge's database: `DATABASE_URL` when configured, otherwise an embedded PostgreSQL in `FSE_PG_DATA_DIR`,
 * so `npm start` needs nothing installed. Migrations run at every start (they are idempotent and locked).
 */
export async function openDatabase(config: Config, logger: Logger, schema?: string): Promise<Database> {
  let url = config.databaseUrl;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!url) {
    const embedded = await startEmbeddedPostgres({ dataDir: config.pgDataDir, port: config.pgPort });
    url = embedded.url;
    stopEmbedded = embedded.stop;
    logger.info('embedded PostgreSQL started', { dataDir: config.pgDataDir, port: config.pgPort });
  }
  const onIdleError = (err: Error) => logger.warn('database connection dropped by the server', { error: err.message });
  const pool = createPool(url, schema ? { schema, onIdleError } : { onIdleError });
  try {
    const result = await runMigrations(pool, schema ? { schema } : {});
    logger.info('database migrated', { applied: result.applied.length });
  } catch (err) {
    await pool.end();
    await stopEmbedded?.();
    throw err;
  }
  return {
    pool,
    url,
    async close() {
      await pool.end();
      await stopEmbedded?.();
    },
  };
}
