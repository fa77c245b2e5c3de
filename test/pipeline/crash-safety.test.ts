import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { PROJECT_ROOT } from '../../src/config.js';
import { buildSampleCda } from '../../src/dev/sample-cda.js';
import { sampleClaims } from '../../src/dev/sample-claims.js';
import { sha256Hex } from '../../src/pdf/hashes.js';
import { startGatewaySimulator, type GatewaySimulator } from '../../src/simulators/gateway/gateway-simulator.js';
import { postValidation, samplePdf, startBridge, type Harness } from '../support/bridge-harness.js';
import { TEST_DATABASE_URL } from '../support/test-database.js';
import { creationBody } from '../simulators/sim-fixtures.js';

const DOCUMENTS = 200;
const LOCK_MS = 2_000;

/** `fse-bridge worker` as its own process, sharing the bridge's database schema and queue prefix. */
function startWorkerProcess(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'fse-bridge.js'), 'worker', '--concurrency', '8'], {
    env: { ...process.env, ...env, LOG_LEVEL: 'error' }, stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

for (const backend of ['postgres', 'redis'] as const) describe(`crash safety: SIGKILL of the worker process in the middle of 200 publications (${backend} queue)`, () => {
  let sim: GatewaySimulator;
  let h: Harness;
  let env: Record<string, string>;
  const workers: ChildProcess[] = [];

  before(async () => {
    sim = await startGatewaySimulator({ host: '127.0.0.1' });
    h = await startBridge({ GATEWAY_URL: sim.url, FSE_WORKERS_IN_PROCESS: 'false', GATEWAY_TIMEOUT_MS: '2000', FSE_JOB_LOCK_MS: String(LOCK_MS), QUEUE_BACKEND: backend });
    const schema = (await h.app.resources().db.pool.query<{ s: string }>('SELECT current_schema() AS s')).rows[0]?.s ?? '';
    env = {
      DATABASE_URL: TEST_DATABASE_URL, FSE_DB_SCHEMA: schema, FSE_QUEUE_PREFIX: schema.replace('_', '-'), QUEUE_BACKEND: backend,
      GATEWAY_URL: sim.url, FSE_JOB_LOCK_MS: String(LOCK_MS), FSE_TRUSTED_CA: h.pki.caCert,
    };
  });
  after(async () => {
    for (const w of workers) w.kill('SIGKILL');
    await h?.stop();
    await sim?.stop();
  });

  test('every document ends published exactly once; registry and Gateway agree', async () => {
    const docs: { pdf: Uint8Array; headers: Record<string, string>; docId: string; body: string }[] = [];
    for (let i = 0; i < DOCUMENTS; i += 1) {
      const ext = `CRASH-${i}`;
      const pdf = await samplePdf(buildSampleCda({ docExtension: ext }));
      const t = await h.tokens(sampleClaims({ attachment_hash: sha256Hex(pdf) }), pdf);
      const headers = { Authorization: `Bearer ${t.authorization}`, 'FSE-JWT-Signature': t.signature };
      const v = await postValidation(h, { pdf, requestBody: '{"activity":"VALIDATION","mode":"ATTACHMENT"}', headers });
      assert.equal(v.status, 201);
      docs.push({ pdf, headers, docId: `2.16.840.1.113883.2.9.2.120.4.4^${ext}`,
        body: creationBody(`2.16.840.1.113883.2.9.2.120.4.4^${ext}`, { workflowInstanceId: v.body.workflowInstanceId, identificativoSottomissione: `2.16.840.1.113883.2.9.2.120.4.3.${i + 1}` }) });
    }
    workers.push(startWorkerProcess(env));
    const publish = async (d: (typeof docs)[number]) => {
      const form = new FormData();
      form.append('file', new Blob([Buffer.from(d.pdf)], { type: 'application/pdf' }), 'doc.pdf');
      form.append('requestBody', d.body);
      const res = await fetch(`${h.baseUrl}/v1/documents`, { method: 'POST', body: form, headers: d.headers });
      return res.status;
    };
    const statuses = Promise.all(docs.map((d) => publish(d)));
    await waitFor('a quarter of the batch at the Gateway', () => sim.documents.size >= DOCUMENTS / 4);
    workers[0]?.kill('SIGKILL');
    const atKill = sim.documents.size;
    await sleep(500);
    workers.push(startWorkerProcess(env));
    const answered = await statuses;
    assert.ok(answered.every((s) => s === 202), `front door answers: ${[...new Set(answered)].join(',')}`);

    const { pool } = h.app.resources().db;
    await waitFor('every operation answered', async () => {
      const r = await pool.query<{ n: string }>("SELECT count(*) AS n FROM gateway_operation WHERE state IN ('answered', 'forwarded')");
      return Number(r.rows[0]?.n) === DOCUMENTS;
    });
    assert.ok(atKill < DOCUMENTS, 'the kill happened mid-batch');
    assert.equal(sim.documents.size, DOCUMENTS);
    for (const d of docs) assert.equal(sim.documents.get(d.docId)?.publications, 1, `${d.docId} published once`);
    const ok = await pool.query<{ n: string }>("SELECT count(*) AS n FROM gateway_operation WHERE answer_status = 202");
    assert.equal(Number(ok.rows[0]?.n), DOCUMENTS, 'every recorded Gateway answer is the 202');
    const entries = await pool.query<{ n: string }>("SELECT count(DISTINCT unique_id) AS n FROM document_entry WHERE status = 'Approved'");
    assert.equal(Number(entries.rows[0]?.n), DOCUMENTS, 'registry and Gateway agree');
  });
});
