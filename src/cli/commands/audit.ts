import { parseArgs } from 'node:util';
import { createAuditLog, MAX_LIST_LIMIT } from '../../audit/audit-log.js';
import type { VerifyOptions } from '../../audit/verify-chain.js';
import { loadConfig } from '../../config.js';
import { startEmbeddedPostgres, type EmbeddedPostgresServer } from '../../db/embedded-postgres.js';
import { createPool } from '../../db/pool.js';
import { IdFormatError, parsePatientId, type PatientId } from '../../domain/ids.js';
import type { CliIo } from '../io.js';

const USAGE = [
  'usage: fse-bridge audit verify [--from ID] [--anchor ID:HASH] [--batch-size N]',
  '       fse-bridge audit list --patient CX [--limit N] [--before ID]',
  'verify prints one JSON line (ok, checked, head, brokenAt); store its head outside the database and pass it back as',
  '--anchor to detect a cut tail. Exit: 0 intact, 1 broken, 2 usage, 3 could not verify (database, schema).',
  'The database is DATABASE_URL (schema FSE_DB_SCHEMA), or the embedded server in FSE_PG_DATA_DIR.',
].join('\n');

type Command =
  | { readonly action: 'verify'; readonly options: VerifyOptions }
  | { readonly action: 'list'; readonly patientId: PatientId; readonly limit?: number; readonly before?: number };

class UsageError extends Error {}

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d{0,15}$/.test(value)) throw new UsageError(`--${name} must be a positive integer: ${value}`);
  return Number(value);
}

function parseCommand(argv: string[]): Command {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: {
      from: { type: 'string' }, anchor: { type: 'string' }, 'batch-size': { type: 'string' },
      patient: { type: 'string' }, limit: { type: 'string' }, before: { type: 'string' },
    },
  });
  const [action, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  if (action === 'verify' && values.patient === undefined && values.limit === undefined && values.before === undefined) {
    const anchor = values.anchor === undefined ? undefined : /^([1-9]\d{0,15}):([0-9a-f]{64})$/.exec(values.anchor);
    if (anchor === null) throw new UsageError('--anchor must be ID:HASH (the head printed by an earlier verify)');
    const from = positive('from', values.from);
    const batchSize = positive('batch-size', values['batch-size']);
    if (anchor?.[1] !== undefined && Number(anchor[1]) < (from ?? 1)) throw new UsageError('--anchor must not be before --from');
    return {
      action,
      options: {
        ...(from === undefined ? {} : { from }),
        ...(batchSize === undefined ? {} : { batchSize }),
        ...(anchor?.[1] === undefined || anchor[2] === undefined ? {} : { anchor: { id: Number(anchor[1]), hash: anchor[2] } }),
      },
    };
  }
  if (action === 'list' && values.from === undefined && values.anchor === undefined && values['batch-size'] === undefined) {
    if (values.patient === undefined) throw new UsageError('list needs --patient CX');
    let patientId: PatientId;
    try {
      patientId = parsePatientId(values.patient);
    } catch (error) {
      if (error instanceof IdFormatError) throw new UsageError(error.message);
      throw error;
    }
    const limit = positive('limit', values.limit);
    if (limit !== undefined && limit > MAX_LIST_LIMIT) throw new UsageError(`--limit is at most ${MAX_LIST_LIMIT}`);
    const before = positive('before', values.before);
    return { action, patientId, ...(limit === undefined ? {} : { limit }), ...(before === undefined ? {} : { before }) };
  }
  throw new UsageError('expected verify or list, with their own options');
}

/**
 * `fse-bridge audit verify` checks the access log's hash chain and prints one JSON summary line; `fse-bridge audit
 * list --patient CX` prints one patient's records as JSON lines, newest first. Read-only: nothing is migrated or
 * written. See: docs/audit-log.md.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(USAGE);
    return 0;
  }
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    io.stderr(`fse-bridge audit: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const failed = command.action === 'verify' ? 3 : 1;
  let embedded: EmbeddedPostgresServer | undefined;
  try {
    const config = loadConfig();
    if (config.databaseUrl === undefined) embedded = await startEmbeddedPostgres({ dataDir: config.pgDataDir, port: config.pgPort });
    const pool = createPool(config.databaseUrl ?? embedded?.url ?? '', { max: 1, ...(config.dbSchema ? { schema: config.dbSchema } : {}) });
    try {
      const log = createAuditLog(pool);
      if (command.action === 'verify') {
        const result = await log.verify(command.options);
        io.stdout(JSON.stringify(result));
        return result.ok ? 0 : 1;
      }
      const records = await log.listByPatient(command.patientId, { limit: command.limit, before: command.before });
      for (const record of records) io.stdout(JSON.stringify(record));
      return 0;
    } finally {
      await pool.end();
    }
  } catch (error) {
    io.stderr(`fse-bridge audit ${command.action} failed: ${(error as Error).message}`);
    return failed;
  } finally {
    await embedded?.stop();
  }
}
