import pg from 'pg';

/** Anything that runs a parameterised query: a pool or a client checked out for a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

export interface PoolOptions {
  /**
   * Schema put first on every connection's `search_path`, so one database can hold several isolated copies of the
   * tables (one per test file, or per bridge instance). Unset means the server default (`"$user", public`).
   */
  readonly schema?: string;
  readonly max?: number;
  /** Told when the server drops an idle connection (restart, failover, shutdown); the pool reconnects on next use. */
  readonly onIdleError?: (err: Error) => void;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Refuses schema names that would need quoting: the name goes into a connection option, not a parameter. */
export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  return schema;
}

/**
 * Creates a pool; nothing connects until the first query (STYLE: no module connects when imported). An idle client
 * the server drops is an 'error' event on the pool, which without a listener ends the process: a PostgreSQL restart
 * took the bridge down, and so did embedded PostgreSQL stopping on its own exit hook at Ctrl-C.
 */
export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    options: options.schema === undefined ? undefined : `-c search_path=${assertSchemaName(options.schema)}`,
  });
  pool.on('error', options.onIdleError ?? (() => undefined));
  return pool;
}

/**
 * Runs `fn` inside BEGIN/COMMIT on one client; any throw rolls back and is rethrown. This is how every multi-row
 * write of the registry is made atomic (a submission is all-or-nothing, see: IHE ITI TF-3 4.1.x, XDS atomicity).
 */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A client whose ROLLBACK failed is in an unknown state: destroy it instead of returning it to the pool.
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
