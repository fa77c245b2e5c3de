import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBridge, type Harness } from '../support/bridge-harness.js';
import { addOperator, callConsole, PASSWORD, signIn } from '../support/console-calls.js';

describe('console sessions: sign-in, roles, CSRF, expiry, access log', () => {
  let h: Harness;
  before(async () => {
    h = await startBridge({ FSE_CONSOLE_IDLE_MINUTES: '1' });
    await addOperator(h, 'vera', 'viewer');
    await addOperator(h, 'otto', 'operator');
  });
  after(async () => h?.stop());

  it('signs in with the right password: HttpOnly SameSite=Strict cookie, a CSRF token, the role', async () => {
    const res = await callConsole(h, 'POST', '/console/api/session', { body: JSON.stringify({ username: 'vera', password: PASSWORD }), headers: { 'content-type': 'application/json' } });
    assert.equal(res.status, 200);
    const cookie = res.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^fse_console=[\w-]{40,};/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.match(cookie, /Path=\/console/);
    assert.deepEqual(res.json.operator, { username: 'vera', displayName: 'vera (test)', role: 'viewer' });
    assert.ok(String(res.json.csrfToken).length >= 24);
  });

  it('refuses a wrong password and an unknown user alike, with problem+json, and records both', async () => {
    for (const username of ['vera', 'nobody']) {
      const res = await callConsole(h, 'POST', '/console/api/session', { body: JSON.stringify({ username, password: 'wrong password 123' }), headers: { 'content-type': 'application/json' } });
      assert.equal(res.status, 401);
      assert.match(res.type, /application\/problem\+json/);
      assert.equal(res.headers.get('set-cookie'), null);
    }
    const records = await h.app.resources().db.pool.query<{ subject_id: string; outcome: string }>(
      "SELECT subject_id, outcome FROM audit_record WHERE transaction = 'CONSOLE-sign-in' AND outcome = 'Failure' ORDER BY id");
    assert.deepEqual(records.rows.map((r) => r.subject_id), ['vera', 'nobody']);
  });

  it('answers 401 without a session and with a forged cookie', async () => {
    assert.equal((await callConsole(h, 'GET', '/console/api/transactions')).status, 401);
    assert.equal((await callConsole(h, 'GET', '/console/api/transactions', { headers: { cookie: 'fse_console=forged-token-value' } })).status, 401);
  });

  it('refuses a change without the CSRF token or from another origin, even with a valid session', async () => {
    const otto = await signIn(h, 'otto');
    const noToken = await otto.call('POST', '/console/api/dead-letters/x/retry', { csrf: false });
    assert.equal(noToken.status, 403);
    assert.match(String(noToken.json.title), /CSRF/);
    const wrongToken = await otto.call('POST', '/console/api/dead-letters/x/retry', { csrf: false, headers: { 'x-csrf-token': 'guess' } });
    assert.equal(wrongToken.status, 403);
    const foreign = await otto.call('POST', '/console/api/dead-letters/x/retry', { headers: { origin: 'https://evil.example' } });
    assert.equal(foreign.status, 403);
    // With the token, the same call reaches the queue: there is no such dead letter.
    assert.equal((await otto.call('POST', '/console/api/dead-letters/x/retry')).status, 404);
  });

  it('keeps a viewer from operator actions and an operator from admin actions', async () => {
    const vera = await signIn(h, 'vera');
    const otto = await signIn(h, 'otto');
    const retry = await vera.call('POST', '/console/api/dead-letters/x/retry');
    assert.equal(retry.status, 403);
    assert.match(String(retry.json.detail), /operator role/);
    assert.equal((await otto.call('DELETE', '/console/api/dead-letters/x')).status, 403);
    assert.equal((await vera.call('GET', '/console/api/dead-letters')).status, 200);
  });

  it('ends a session on sign-out and after the idle time', async () => {
    const vera = await signIn(h, 'vera');
    assert.equal((await vera.call('GET', '/console/api/session')).status, 200);
    assert.equal((await vera.call('DELETE', '/console/api/session')).status, 204);
    assert.equal((await vera.call('GET', '/console/api/session')).status, 401);
    const again = await signIn(h, 'vera');
    // Idle for longer than FSE_CONSOLE_IDLE_MINUTES=1: moved back in the database rather than waited for.
    await h.app.resources().db.pool.query("UPDATE operator_session SET last_seen_at = now() - interval '2 minutes'");
    assert.equal((await again.call('GET', '/console/api/session')).status, 401);
  });

  it('stores only argon2id hashes and session-token hashes', async () => {
    const pool = h.app.resources().db.pool;
    const { rows } = await pool.query<{ password_hash: string }>('SELECT password_hash FROM operator_account');
    assert.ok(rows.length >= 2);
    for (const r of rows) assert.match(r.password_hash, /^\$argon2id\$v=19\$/);
    const vera = await signIn(h, 'vera');
    const token = vera.cookie.split('=')[1] ?? '';
    const stored = await pool.query('SELECT 1 FROM operator_session WHERE token_hash = $1', [token]);
    assert.equal(stored.rowCount, 0);
  });

  it('slows down repeated failures: the eleventh wrong password in a row is 429', async () => {
    let last = 0;
    for (let i = 0; i < 11; i += 1) {
      last = (await callConsole(h, 'POST', '/console/api/session', { body: JSON.stringify({ username: 'otto', password: `wrong-password-${i}` }), headers: { 'content-type': 'application/json' } })).status;
    }
    assert.equal(last, 429);
  });
});
