import { hash, verify } from '@node-rs/argon2';
import type pg from 'pg';

/** The console's roles, each allowed what the one before it is, and more (docs/console-api.md). */
export const OPERATOR_ROLES = ['viewer', 'operator', 'admin'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

export interface Operator {
  readonly username: string;
  readonly displayName: string;
  readonly role: OperatorRole;
}

export interface NewOperator extends Operator {
  /** Absent for an account that signs in only through the identity provider. */
  readonly password?: string;
  readonly oidcSubject?: string;
}

/** Operator accounts on PostgreSQL (migration 012). */
export interface OperatorStore {
  /** Creates the account, or replaces its name, role and password (an administrator's reset). */
  put(account: NewOperator): Promise<void>;
  /** The account when the password is right and the account enabled; undefined otherwise, in the same time. */
  checkPassword(username: string, password: string): Promise<Operator | undefined>;
  bySubject(oidcSubject: string): Promise<Operator | undefined>;
  find(username: string): Promise<Operator | undefined>;
  list(): Promise<Operator[]>;
  disable(username: string): Promise<boolean>;
}

/** The shortest password accepted (NIST SP 800-63B 5.1.1.2 asks at least 8; operators see health data). */
export const MIN_PASSWORD_LENGTH = 12;

/**
 * argon2id with the library's defaults (19 MiB, 2 passes, 1 lane: OWASP's password storage cheat sheet minimum).
 * Measured here: about 30 ms per hash on one core, a cost paid once per sign-in, never per request.
 */
export function hashPassword(password: string): Promise<string> {
  if (password.length < MIN_PASSWORD_LENGTH) throw new RangeError(`a password has at least ${MIN_PASSWORD_LENGTH} characters`);
  return hash(password);
}

// Verified against when the username is unknown, so that an unknown name costs the same time as a wrong password.
let decoy: Promise<string> | undefined;

type Row = { username: string; display_name: string; role: OperatorRole; password_hash: string | null; disabled: boolean };
const toOperator = (r: Row): Operator => ({ username: r.username, displayName: r.display_name, role: r.role });

export function createOperatorStore(pool: pg.Pool): OperatorStore {
  const one = async (where: string, value: string) => {
    const { rows } = await pool.query<Row>(`SELECT username, display_name, role, password_hash, disabled FROM operator_account WHERE ${where} = $1`, [value]);
    return rows[0];
  };
  return {
    async put(account) {
      if (!OPERATOR_ROLES.includes(account.role)) throw new RangeError(`unknown role ${account.role}: one of ${OPERATOR_ROLES.join(', ')}`);
      const passwordHash = account.password === undefined ? null : await hashPassword(account.password);
      await pool.query(
        `INSERT INTO operator_account (username, display_name, role, password_hash, oidc_subject) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (username) DO UPDATE SET display_name = $2, role = $3, password_hash = coalesce($4, operator_account.password_hash),
           oidc_subject = coalesce($5, operator_account.oidc_subject), disabled = false`,
        [account.username, account.displayName, account.role, passwordHash, account.oidcSubject ?? null],
      );
    },
    async checkPassword(username, password) {
      const row = await one('username', username);
      if (!row?.password_hash) {
        decoy ??= hash('decoy password never used');
        await verify(await decoy, password).catch(() => false);
        return undefined;
      }
      const ok = await verify(row.password_hash, password).catch(() => false);
      return ok && !row.disabled ? toOperator(row) : undefined;
    },
    async bySubject(subject) {
      const row = await one('oidc_subject', subject);
      return row && !row.disabled ? toOperator(row) : undefined;
    },
    async find(username) {
      const row = await one('username', username);
      return row && !row.disabled ? toOperator(row) : undefined;
    },
    async list() {
      const { rows } = await pool.query<Row>('SELECT username, display_name, role, password_hash, disabled FROM operator_account WHERE NOT disabled ORDER BY username');
      return rows.map(toOperator);
    },
    async disable(username) {
      const result = await pool.query('UPDATE operator_account SET disabled = true WHERE username = $1', [username]);
      await pool.query('DELETE FROM operator_session WHERE username = $1', [username]);
      return (result.rowCount ?? 0) > 0;
    },
  };
}
