import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPool } from '../../src/db/pool.js';
import { TEST_DATABASE_URL } from '../support/test-database.js';

/**
 * A connection the server drops while it sits idle in the pool (PostgreSQL restarted, failed over, or stopping, as
 * embedded PostgreSQL does on Ctrl-C) is reported and replaced; it must not be an unhandled 'error' event, which
 * ends the process. The server-side termination is real: pg_terminate_backend from another connection.
 */
test('the server dropping an idle pooled connection is reported, and the next query reconnects', async () => {
  const dropped: Error[] = [];
  const pool = createPool(TEST_DATABASE_URL, { max: 1, onIdleError: (err) => dropped.push(err) });
  const admin = createPool(TEST_DATABASE_URL, { max: 1 });
  try {
    const before = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const pid = before.rows[0]?.pid;
    assert.ok(pid);
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    for (let i = 0; i < 200 && dropped.length === 0; i += 1) await sleep(10);
    assert.equal(dropped.length, 1);
    assert.match(dropped[0]?.message ?? '', /terminat/i);
    const after = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    assert.notEqual(after.rows[0]?.pid, pid, 'a new connection');
  } finally {
    await pool.end();
    await admin.end();
  }
});
