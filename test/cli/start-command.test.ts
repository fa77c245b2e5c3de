import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { createApp } from '../../src/app.js';
import { createDevPki } from '../../src/certs/dev-ca.js';
import { main } from '../../src/cli/main.js';
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';
import { createPool } from '../../src/db/pool.js';
import { until } from '../../src/demo/until.js';
import { silentLogger } from '../../src/logging/logger.js';
import { TEST_DATABASE_URL } from '../support/test-database.js';

/** The JSON log lines of a run (stderr). */
function logLines(text: string): Record<string, unknown>[] {
  return text.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

/**
 * `fse-bridge start`: the production composition never starts a simulator (no GATEWAY_URL is a refusal), while
 * `start --dev` (`npm start`) runs the Gateway simulator beside the bridge and stops it on shutdown.
 */
describe('fse-bridge start', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fse-start-'));
  const pki = createDevPki(path.join(dir, 'pki'));
  const schema = `st_${randomBytes(4).toString('hex')}`;
  after(async () => {
    const pool = createPool(TEST_DATABASE_URL);
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
  });

  test('createApp refuses to compose a bridge without GATEWAY_URL', async () => {
    await assert.rejects(createApp(loadConfig({ FSE_TRUSTED_CA: pki.caCert }), silentLogger()), /GATEWAY_URL is not set/);
  });

  test('start without --dev and without GATEWAY_URL refuses clearly, before connecting to anything', async () => {
    const saved = { trusted: process.env.FSE_TRUSTED_CA, gateway: process.env.GATEWAY_URL };
    process.env.FSE_TRUSTED_CA = pki.caCert;
    delete process.env.GATEWAY_URL;
    try {
      await assert.rejects(main(['start'], { stdout: () => undefined, stderr: () => undefined }), /GATEWAY_URL is not set.*start --dev/);
    } finally {
      if (saved.trusted === undefined) delete process.env.FSE_TRUSTED_CA;
      else process.env.FSE_TRUSTED_CA = saved.trusted;
      if (saved.gateway !== undefined) process.env.GATEWAY_URL = saved.gateway;
    }
  });

  test('start --dev: the Gateway simulator answers the printed curl example, and stops with the bridge (SIGINT, exit 0)', async () => {
    const env: Record<string, string | undefined> = {
      ...process.env, DATABASE_URL: TEST_DATABASE_URL, FSE_DB_SCHEMA: schema, FSE_QUEUE_PREFIX: schema.replace('_', '-'),
      PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', FSE_VALIDATION_WORKERS: '1', FSE_DEV_PKI_DIR: path.join(dir, 'dev-pki'),
      FSE_SEF_CACHE_DIR: path.join(PROJECT_ROOT, 'var', 'sef-cache'),
    };
    // The printed example is the project rules' sample, as `npm start` without a catalog prints it (CI sets FSE_CATALOG_DIR).
    for (const name of ['GATEWAY_URL', 'INI_URL', 'FSE_TRUSTED_CA', 'FSE_SAML_TRUST', 'FSE_CATALOG_DIR', 'FSE_SOAP_SECURITY']) delete env[name];
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'fse-bridge.js'), 'start', '--dev'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let logs = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString('utf8'); });
    child.stderr.on('data', (chunk: Buffer) => { logs += chunk.toString('utf8'); });
    const exited = once(child, 'exit');
    let simulatorUrl: string | undefined;
    try {
      await until(async () => (out.includes('XDS.b over SOAP') || child.exitCode !== null ? true : undefined), 'the curl example', 120_000);
      const bridge = /FSE bridge ready on (http:\/\/localhost:\d+)/.exec(out)?.[1];
      const authorization = /-H 'Authorization: Bearer ([^']+)'/.exec(out)?.[1];
      const signature = /-H 'FSE-JWT-Signature: ([^']+)'/.exec(out)?.[1];
      const file = /-F 'file=@([^;]+);type=application\/pdf'/.exec(out)?.[1];
      assert.ok(bridge && authorization && signature && file, `${out}\n${logs}`);
      simulatorUrl = logLines(logs).find((l) => l.message === 'national Gateway simulator started')?.url as string | undefined;
      assert.ok(simulatorUrl, logs);
      // Development stays open, and says so once: which production defaults it relaxed.
      const relaxed = logLines(logs).filter((l) => String(l.message).startsWith('start --dev relaxed production defaults'));
      assert.deepEqual(relaxed.map((l) => [l.level, l.relaxed]), [['warn', ['FSE_SOAP_SECURITY=none', 'FSE_CITIZEN_ISSUERS=*', 'FSE_RIGHTS_OPERATOR_ISSUERS=*', 'FSE_TRUSTED_CA=the development CA']]], logs);

      const form = new FormData();
      form.append('file', new Blob([readFileSync(file)], { type: 'application/pdf' }), path.basename(file));
      form.append('requestBody', '{"activity":"VALIDATION","mode":"ATTACHMENT"}');
      const res = await fetch(`${bridge}/v1/documents/validation`, {
        method: 'POST', body: form, headers: { Authorization: `Bearer ${authorization}`, 'FSE-JWT-Signature': signature },
      });
      assert.equal(res.status, 201, await res.clone().text());
      const received = await (await fetch(`${simulatorUrl.replace(/\/v1$/, '')}/__sim/received`)).json() as { operation: string; status?: number }[];
      assert.deepEqual(received.map((r) => `${r.operation} ${r.status}`), ['validation 201'], 'the verdict is the simulated Gateway\'s');
      // The printed citizen API example answers: the portal's token for the sample patient, accepted under --dev.
      const citizen = /curl -s (http:\/\/localhost:\d+\/v1\/citizen\/documents) -H 'Authorization: Bearer ([^']+)'/.exec(out);
      assert.ok(citizen, out);
      const record = await fetch(citizen[1] ?? '', { headers: { Authorization: `Bearer ${citizen[2]}` } });
      assert.equal(record.status, 200, await record.clone().text());
      assert.ok(Array.isArray(((await record.json()) as { documents?: unknown }).documents));
    } finally {
      child.kill('SIGINT');
    }
    const [code] = await exited;
    assert.equal(code, 0, logs);
    await assert.rejects(fetch(`${simulatorUrl ?? 'http://127.0.0.1:1'}/status`), 'the simulator stopped with the bridge');
  });
});
