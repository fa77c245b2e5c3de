import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.js';
import { silentLogger } from '../../logging/logger.js';
import { openDatabase } from '../../pipeline/database.js';
import { MIN_PASSWORD_LENGTH, OPERATOR_ROLES, createOperatorStore, type OperatorRole } from '../../stores/operator-store.js';
import { processIo, type CliIo } from '../io.js';

const processStdin = () => processIo.readStdin?.() ?? Promise.resolve('');

const USAGE = `usage: fse-bridge operator add USERNAME --role ${OPERATOR_ROLES.join('|')} [--name "Full Name"] [--password-stdin]
       fse-bridge operator list | fse-bridge operator disable USERNAME`;

/**
 * `fse-bridge operator`: the console's accounts. `add` creates an account or resets one (role, name, password);
 * the password is read from standard input with --password-stdin (never from the command line, where `ps` and the
 * shell history would show it), or generated and printed once. JSON lines on stdout.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { role: { type: 'string' }, name: { type: 'string' }, 'password-stdin': { type: 'boolean' } } });
  } catch (err) {
    io.stderr(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const [verb, username] = parsed.positionals;
  const role = parsed.values.role as OperatorRole | undefined;
  const valid = verb === 'list' || ((verb === 'disable' || verb === 'add') && username && (verb !== 'add' || (role && OPERATOR_ROLES.includes(role))));
  if (!valid) {
    io.stderr(USAGE);
    return 2;
  }
  let password: string | undefined;
  if (verb === 'add') {
    password = parsed.values['password-stdin'] ? (await (io.readStdin ?? processStdin)()).replace(/\r?\n$/, '') : randomBytes(15).toString('base64url');
    if (password.length < MIN_PASSWORD_LENGTH) {
      io.stderr(`fse-bridge operator: a password has at least ${MIN_PASSWORD_LENGTH} characters`);
      return 2;
    }
  }
  const config = loadConfig();
  const db = await openDatabase(config, silentLogger(), config.dbSchema);
  try {
    const store = createOperatorStore(db.pool);
    if (verb === 'list') {
      for (const o of await store.list()) io.stdout(JSON.stringify(o));
      return 0;
    }
    if (verb === 'disable') {
      const disabled = await store.disable(username ?? '');
      io.stdout(JSON.stringify({ username, disabled }));
      return disabled ? 0 : 1;
    }
    await store.put({ username: username ?? '', displayName: parsed.values.name ?? username ?? '', role: role as OperatorRole, password });
    io.stdout(JSON.stringify({ username, role, ...(parsed.values['password-stdin'] ? {} : { password }) }));
    return 0;
  } finally {
    await db.close();
  }
}
