/**
 * `npm run bench:publish`: end-to-end publications per second through the bridge (validate-and-create, through the
 * queue, to the Gateway simulator's acknowledgement and the registry row), and p50/p99 of the synchronous part, for
 * each queue backend. Needs the machine's PostgreSQL (TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test)
 * and Redis. Options: --documents N (default 200), --concurrency C (default 16).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createApp } from '../src/app.js';
import { createDevPki } from '../src/certs/dev-ca.js';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { createPool } from '../src/db/pool.js';
import { startDevGateway } from '../src/demo/dev-gateway.js';
import { buildSampleCda } from '../src/dev/sample-cda.js';
import { sampleClaims } from '../src/dev/sample-claims.js';
import { mintGatewayTokens } from '../src/jwt/mint-tokens.js';
import { silentLogger } from '../src/logging/logger.js';
import { sha256Hex } from '../src/pdf/hashes.js';
import { createSamplePdf, injectCda } from '../src/pdf/pdf-inject.js';
import { pct } from './stats.js';

const { values } = parseArgs({ options: { documents: { type: 'string', default: '200' }, concurrency: { type: 'string', default: '16' } } });
type Mode = 'validate-and-create' | 'publish';
const N = Number(values.documents);
const C = Number(values.concurrency);
const DB = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const out = (line = '') => process.stdout.write(`${line}\n`);

/**
 * `validate-and-create`: the whole path, the simulated Gateway validating every document on the same two cores.
 * `publish`: POST /v1/documents after a separate validation (not timed): the pipeline's own cost.
 */
async function run(backend: 'postgres' | 'redis', mode: Mode): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-publish-'));
  const pki = createDevPki(path.join(dir, 'pki'));
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const config = loadConfig({
    PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'error', FSE_TRUSTED_CA: pki.caCert, DATABASE_URL: DB, FSE_DB_SCHEMA: schema,
    FSE_WORKER_CONCURRENCY: process.env.FSE_WORKER_CONCURRENCY ?? '8', FSE_QUEUE_PREFIX: schema.replace('_', '-'), QUEUE_BACKEND: backend, FSE_SEF_CACHE_DIR: path.join(PROJECT_ROOT, 'var', 'sef-cache'),
    // REST only: the SOAP doors are unused, so the test beds' open setting rather than a SAML trust file.
    FSE_SOAP_SECURITY: 'none',
  });
  // The Gateway simulator shares the bridge's validation pool, as with `start --dev`.
  const gateway = await startDevGateway(config, silentLogger());
  const app = await createApp(gateway.config, silentLogger(), { validator: gateway.validator });
  const { port } = await app.start();
  const signer = { signerCertPem: readFileSync(pki.signCert, 'utf8'), signerKeyPem: readFileSync(pki.signKey, 'utf8') };
  const base = await createSamplePdf('bench');
  const requests: { pdf: Uint8Array; body: string; headers: Record<string, string> }[] = [];
  for (let i = 0; i < N; i += 1) {
    const ext = `BENCH-${mode}-${backend}-${i}`;
    const pdf = await injectCda(base, Buffer.from(buildSampleCda({ docExtension: ext })));
    const t = await mintGatewayTokens({ ...signer, claims: sampleClaims({ attachment_hash: sha256Hex(pdf) }), pdf, audience: 'https://bench.invalid/v1', lifetimeSeconds: 3600 });
    let workflowInstanceId: string | undefined;
    if (mode === 'publish') {
      const form = new FormData();
      form.append('file', new Blob([Buffer.from(pdf)], { type: 'application/pdf' }), 'doc.pdf');
      form.append('requestBody', '{"activity":"VALIDATION","mode":"ATTACHMENT"}');
      const v = await fetch(`http://127.0.0.1:${port}/v1/documents/validation`, { method: 'POST', body: form, headers: { Authorization: `Bearer ${t.authorization}`, 'FSE-JWT-Signature': t.signature } });
      workflowInstanceId = String(((await v.json()) as { workflowInstanceId?: string }).workflowInstanceId);
    }
    const body = JSON.stringify({
      ...(workflowInstanceId ? { workflowInstanceId } : {}),
      healthDataFormat: 'CDA', mode: 'ATTACHMENT', tipologiaStruttura: 'Ospedale', identificativoDoc: `2.16.840.1.113883.2.9.2.120.4.4^${ext}`,
      identificativoRep: '2.16.840.1.113883.2.9.2.120.4.5.1', tipoDocumentoLivAlto: 'LDO', assettoOrganizzativo: 'AD_PSC001',
      tipoAttivitaClinica: 'CON', identificativoSottomissione: `2.16.840.1.113883.2.9.2.120.4.3.${i + 1}`,
    });
    requests.push({ pdf, body, headers: { Authorization: `Bearer ${t.authorization}`, 'FSE-JWT-Signature': t.signature } });
  }
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: C }, async () => {
    while (next < requests.length) {
      const r = requests[next++];
      if (!r) break;
      const form = new FormData();
      form.append('file', new Blob([Buffer.from(r.pdf)], { type: 'application/pdf' }), 'doc.pdf');
      form.append('requestBody', r.body);
      const t = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}/v1/documents${mode === 'publish' ? '' : '/validate-and-create'}`, { method: 'POST', body: form, headers: r.headers });
      await res.arrayBuffer();
      latencies.push(performance.now() - t);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
  }));
  const { pool } = app.resources().db;
  for (;;) {
    const rows = await pool.query<{ n: string }>("SELECT count(*) AS n FROM document_entry WHERE status = 'Approved'");
    if (Number(rows.rows[0]?.n) >= (statuses.get(202) ?? 0)) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - t0) / 1000;
  const acked = gateway.simulator.documents.size;
  out(`| ${mode} | ${backend} | ${N} | ${C} | ${[...statuses].map(([s, n]) => `${s}x${n}`).join(' ')} | ${acked} | ${(N / seconds).toFixed(1)} | ${pct(latencies, 50).toFixed(1)} | ${pct(latencies, 99).toFixed(1)} |`);
  await app.stop();
  await gateway.stop();
  const admin = createPool(DB);
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
}

out(`# bench:publish — validate-and-create end to end, ${os.availableParallelism()} cores, node ${process.version}, catalog ${process.env.FSE_CATALOG_DIR ?? 'project rules'}`);
out('| path | queue | documents | concurrency | answers | acked by Gateway | publications/s | sync p50 ms | sync p99 ms |');
out('|---|---|---|---|---|---|---|---|---|');
for (const mode of ['validate-and-create', 'publish'] as const) {
  await run('postgres', mode);
  await run('redis', mode);
}
