import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { createOperatorStore } from '../stores/operator-store.js';

export interface DevOperator {
  readonly username: string;
  readonly password: string;
}

/**
 * `start --dev`'s console account: an admin whose password is generated on first run and kept (mode 0600) beside the
 * development PKI, so the credentials `npm start` prints stay the same from one run to the next. Its hash is
 * (re)written at every start, so a fresh database gets the account too. Development only: production accounts are
 * created with `fse-bridge operator add`.
 */
export async function ensureDevOperator(pool: pg.Pool, dir: string): Promise<DevOperator> {
  const file = path.join(dir, 'dev-operator.json');
  let operator: DevOperator;
  if (existsSync(file)) {
    operator = JSON.parse(readFileSync(file, 'utf8')) as DevOperator;
  } else {
    mkdirSync(dir, { recursive: true });
    operator = { username: 'admin', password: randomBytes(12).toString('base64url') };
    writeFileSync(file, `${JSON.stringify(operator)}\n`, { mode: 0o600 });
  }
  await createOperatorStore(pool).put({ username: operator.username, displayName: 'Development administrator', role: 'admin', password: operator.password });
  return operator;
}
