import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { main } from '../../src/cli/main.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { createPool } from '../../src/db/pool.js';
import { until } from '../../src/demo/until.js';
import { TEST_DATABASE_URL } from '../support/test-database.js';

/** `fse-bridge demo two-regions` runs the whole federation scenario and says which steps held. See: src/demo/. */

async function demo(args: string[]) {
  const env = { DATABASE_URL: TEST_DATABASE_URL, LOG_LEVEL: 'error', FSE_VALIDATION_WORKERS: '1' };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  const out: string[] = [];
  const err: string[] = [];
  try {
    return { code: await main(['demo', ...args], { stdout: (s) => out.push(s), stderr: (s) => err.push(s) }), out: out.join('\n'), err: err.join('\n') };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('fse-bridge demo', () => {
  const prefix = `dm_${randomBytes(4).toString('hex')}`;
  const startPrefix = `${prefix}_start`;
  after(async () => {
    const pool = createPool(TEST_DATABASE_URL);
    for (const p of [prefix, startPrefix]) for (const code of ['120', '090']) await pool.query(`DROP SCHEMA IF EXISTS ${p}_${code} CASCADE`);
    await pool.end();
  });

  test('two-regions: every step of the scenario holds, exit 0', async () => {
    const run = await demo(['two-regions', '--schema-prefix', prefix]);
    assert.equal(run.code, 0, `${run.out}\n${run.err}`);
    assert.match(run.out, /All 7 steps as the national design says/);
    assert.doesNotMatch(run.out, /FAIL/);
    assert.match(run.out, /retrieves it from 120's repository through INI[\s\S]*SHA-1 as in the metadata/);
  });

  test('a wrong demo or region code is a usage error (exit 2)', async () => {
    assert.equal((await demo(['three-regions'])).code, 2);
    assert.equal((await demo(['two-regions', '--rde', '120', '--rda', '120'])).code, 2);
    assert.equal((await demo(['two-regions', '--schema-prefix', 'Bad-Name'])).code, 2);
  });

  test('npm start -- --demo two-regions: the scenario, then everything stays up until Ctrl-C (SIGINT), exit 0', async () => {
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'fse-bridge.js'), 'start', '--dev', '--demo', 'two-regions', '--schema-prefix', startPrefix], {
      env: { ...process.env, DATABASE_URL: TEST_DATABASE_URL, LOG_LEVEL: 'error', FSE_VALIDATION_WORKERS: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString('utf8'); });
    child.stderr.on('data', (chunk: Buffer) => { out += chunk.toString('utf8'); });
    const exited = once(child, 'exit');
    try {
      await until(async () => (out.includes('Everything stays up') || child.exitCode !== null ? true : undefined), 'the demo to finish its steps', 120_000);
      assert.match(out, /All 7 steps as the national design says/, out);
      const bridge = /bridge 120: (http:\/\/[^\s]+)/.exec(out)?.[1];
      assert.ok(bridge, out);
      const status = await fetch(`${bridge}/status`);
      assert.equal(status.status, 200, 'the bridge is still serving after the scenario');
    } finally {
      child.kill('SIGINT');
    }
    const [code] = await exited;
    assert.equal(code, 0, out);
  });

  test('start: --schema-prefix without --demo, or an unknown demo, is a usage error (exit 2)', async () => {
    const io = { stdout: () => undefined, stderr: () => undefined };
    assert.equal(await main(['start', '--schema-prefix', 'x'], io), 2);
    assert.equal(await main(['start', '--demo', 'three-regions'], io), 2);
  });
});
