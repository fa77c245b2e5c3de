import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { Operator, OperatorRole } from './operator-store.js';

export interface SessionTimes {
  /** Ended after this long without a request. */
  readonly idleSeconds: number;
  /** Ended this long after sign-in, whatever the activity. */
  readonly absoluteSeconds: number;
}

export interface ConsoleSession {
  readonly operator: Operator;
  readonly csrfToken: string;
  readonly expiresAt: Date;
}

/** Console sessions on PostgreSQL (migration 012): a row per signed-in browser, keyed by the token's hash. */
export interface ConsoleSessionStore {
  /** Opens a session; the token goes into the cookie and is never stored. */
  open(username: string, via: 'password' | 'oidc'): Promise<{ token: string; session: ConsoleSession }>;
  /** The live session of a cookie token, its idle clock restarted; undefined when unknown, ended or expired. */
  touch(token: string): Promise<ConsoleSession | undefined>;
  close(token: string): Promise<void>;
  /** Removes ended sessions; resolves to how many. */
  purge(): Promise<number>;
}

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

type Row = { username: string; display_name: string; role: OperatorRole; csrf_token: string; expires_at: Date };

export function createConsoleSessionStore(pool: pg.Pool, times: SessionTimes): ConsoleSessionStore {
  return {
    async open(username, via) {
      const token = randomBytes(32).toString('base64url');
      const csrf = randomBytes(24).toString('base64url');
      const { rows } = await pool.query<Row>(
        `WITH s AS (
           INSERT INTO operator_session (token_hash, username, csrf_token, via, expires_at)
           VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5)) RETURNING username, csrf_token, expires_at)
         SELECT s.*, a.display_name, a.role FROM s JOIN operator_account a USING (username)`,
        [digest(token), username, csrf, via, times.absoluteSeconds],
      );
      const r = rows[0];
      if (!r) throw new Error(`no operator ${username}`);
      return { token, session: toSession(r, times) };
    },
    async touch(token) {
      if (token.length > 100) return undefined;
      const { rows } = await pool.query<Row>(
        `UPDATE operator_session s SET last_seen_at = now()
           FROM operator_account a
          WHERE s.token_hash = $1 AND a.username = s.username AND NOT a.disabled
            AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(secs => $2)
          RETURNING s.username, s.csrf_token, s.expires_at, a.display_name, a.role`,
        [digest(token), times.idleSeconds],
      );
      const r = rows[0];
      return r && toSession(r, times);
    },
    async close(token) {
      await pool.query('DELETE FROM operator_session WHERE token_hash = $1', [digest(token)]);
    },
    async purge() {
      const result = await pool.query('DELETE FROM operator_session WHERE expires_at <= now() OR last_seen_at <= now() - make_interval(secs => $1)', [times.idleSeconds]);
      return result.rowCount ?? 0;
    },
  };
}

/** The session ends at the earlier of its absolute end and the idle limit from now. */
function toSession(r: Row, times: SessionTimes): ConsoleSession {
  const idleEnd = new Date(Date.now() + times.idleSeconds * 1000);
  return {
    operator: { username: r.username, displayName: r.display_name, role: r.role },
    csrfToken: r.csrf_token,
    expiresAt: idleEnd < r.expires_at ? idleEnd : r.expires_at,
  };
}
