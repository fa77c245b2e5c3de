/**
 * `npm run bench:soap`: the XDS.b front door on this machine, through real HTTP against a running bridge.
 *  1. ITI-41 Provide and Register (MTOM, a ~200 KB PDF each) end to end: SOAP decode, checks, the queue, the Gateway
 *     simulator validating and acknowledging, the registry and repository writes. Submissions/s, p50/p99.
 *  2. ITI-18 FindDocuments (LeafClass and ObjectRef) on a registry seeded with --entries document entries (default
 *     1,000,000; 10 per patient), one client after another, then 8 at a time. p50/p99 and queries/s.
 *  3. ITI-43 Retrieve of the ITI-41 documents, 8 at a time: retrieves/s and MB/s.
 *  4. The access decision per ITI-18 of 100 entries, against the open policy in the same run (bench/access-decision.ts).
 * Needs the machine's PostgreSQL and Redis. Options: --documents N (100), --concurrency C (16), --entries E,
 * --queries Q (2000), --queue postgres|redis, --access-rounds R (2000).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { PDFDocument } from '@cantoo/pdf-lib';
import { Agent, request } from 'undici';
import { createApp } from '../src/app.js';
import { createDevPki } from '../src/certs/dev-ca.js';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { createPool } from '../src/db/pool.js';
import { startDevGateway } from '../src/demo/dev-gateway.js';
import { buildSampleCda } from '../src/dev/sample-cda.js';
import { parsePatientId, parseRepositoryUniqueId, parseUniqueId } from '../src/domain/ids.js';
import { encodeAdhocQueryRequest } from '../src/ebxml/adhoc-query-request.js';
import { encodeProvideAndRegister } from '../src/ebxml/provide-and-register.js';
import { encodeRetrieveRequest } from '../src/ebxml/retrieve-document-set.js';
import { silentLogger } from '../src/logging/logger.js';
import { SOAP_ACTION } from '../src/metadata/vocabulary.js';
import { buildMtom } from '../src/soap-wire/mtom-builder.js';
import { createSamplePdf, injectCda } from '../src/pdf/pdf-inject.js';
import { ldoSubmission, REGION_REPOSITORY } from '../test/support/xds-submissions.js';
import { requestEnvelope } from '../test/support/soap-calls.js';
import { benchAccessDecision } from './access-decision.js';
import { benchPatient, seedRegistry } from './seed-registry.js';
import { ms, pct } from './stats.js';

const { values } = parseArgs({
  options: {
    documents: { type: 'string', default: '100' }, concurrency: { type: 'string', default: '16' }, entries: { type: 'string', default: '1000000' },
    queries: { type: 'string', default: '2000' }, queue: { type: 'string', default: 'postgres' }, 'access-rounds': { type: 'string', default: '2000' },
  },
});
const DB = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const out = (line = '') => process.stdout.write(`${line}\n`);

/** Runs `jobs` through `concurrency` workers; returns per-job latencies (ms) and the elapsed seconds. */
async function drive<T>(jobs: readonly T[], concurrency: number, fn: (job: T) => Promise<void>): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < jobs.length) {
      const job = jobs[next++] as T;
      const t = performance.now();
      await fn(job);
      latencies.push(performance.now() - t);
    }
  }));
  return { latencies, seconds: (performance.now() - t0) / 1000 };
}

/** The client: undici's request on a keep-alive pool (fetch's WHATWG streams would cost this machine's shared cores ~1 ms a call). */
const client = new Agent({ connections: 16, keepAliveTimeout: 30_000 });

async function post(url: string, contentType: string, body: Buffer | string, expect: RegExp): Promise<number> {
  const res = await request(url, { method: 'POST', headers: { 'content-type': contentType }, body, dispatcher: client });
  const text = Buffer.from(await res.body.arrayBuffer());
  if (res.statusCode !== 200 || !expect.test(text.subarray(0, 4096).toString('latin1'))) throw new Error(`unexpected answer ${res.statusCode}: ${text.subarray(0, 600).toString('utf8')}`);
  return text.length;
}

/** A ~200 KB PDF: the sample CDA plus an incompressible attachment, as scanned annexes make real ones. */
async function pdf200k(ext: string, padding: Uint8Array): Promise<Uint8Array> {
  const doc = await PDFDocument.load(await createSamplePdf('bench:soap'));
  await doc.attach(padding, 'allegato.bin', { mimeType: 'application/octet-stream' });
  return injectCda(await doc.save(), Buffer.from(buildSampleCda({ docExtension: ext })));
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-soap-'));
const pki = createDevPki(path.join(dir, 'pki'));
const schema = `bench_${randomBytes(4).toString('hex')}`;
const config = loadConfig({
  PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'error', FSE_TRUSTED_CA: pki.caCert, DATABASE_URL: DB, FSE_DB_SCHEMA: schema,
  FSE_QUEUE_PREFIX: schema.replace('_', '-'), QUEUE_BACKEND: values.queue, FSE_SEF_CACHE_DIR: path.join(PROJECT_ROOT, 'var', 'sef-cache'),
  FSE_REGION_SIGN_CERT: pki.signCert, FSE_REGION_SIGN_KEY: pki.signKey, FSE_WORKER_CONCURRENCY: process.env.FSE_WORKER_CONCURRENCY ?? '8',
  // Rows 1-3 measure the transport and the engines with anonymous calls, so the test beds' open SOAP doors and open
  // policy; row 4 measures the access decision itself.
  FSE_SOAP_SECURITY: 'none',
  FSE_ACCESS_POLICY: path.join(PROJECT_ROOT, 'mappings', 'access-policy-open.json'),
});
// The Gateway simulator shares the bridge's validation pool, as with `start --dev`.
const gateway = await startDevGateway(config, silentLogger());
const app = await createApp(gateway.config, silentLogger(), { validator: gateway.validator });
const { port } = await app.start();
const base = `http://127.0.0.1:${port}/xds`;
out(`# bench:soap — ${os.availableParallelism()} cores, node ${process.version}, queue ${values.queue}, project rules`);

// 1. ITI-41
const N = Number(values.documents);
const padding = randomBytes(Math.max(0, Number(process.env.BENCH_PDF_KB ?? 200) * 1024 - 6000));
const packages = [];
for (let i = 0; i < N; i += 1) {
  const ext = `BENCH-41-${i}`;
  const { xml, attachments } = encodeProvideAndRegister(ldoSubmission(ext, { bytes: await pdf200k(ext, padding) }), { mtom: true });
  packages.push({ ext, pkg: buildMtom({ rootXml: requestEnvelope(SOAP_ACTION.iti41, `${base}/repository`, xml).xml, action: SOAP_ACTION.iti41, attachments }) });
}
const size = packages[0]?.pkg.body.length ?? 0;
const iti41 = await drive(packages, Number(values.concurrency), async ({ pkg }) => {
  await post(`${base}/repository`, pkg.contentType, pkg.body, /ResponseStatusType:Success/);
});
out('');
out(`| ITI-41 (MTOM, ${(size / 1024).toFixed(0)} KB package) | submissions | concurrency | submissions/s | p50 ms | p99 ms |`);
out('|---|---|---|---|---|---|');
out(`| validate-and-create through the queue to the Gateway simulator | ${N} | ${values.concurrency} | ${(N / iti41.seconds).toFixed(1)} | ${ms(pct(iti41.latencies, 50))} | ${ms(pct(iti41.latencies, 99))} |`);

// 3. ITI-43 (before seeding, so the seed's ANALYZE does not interfere)
const retrieves = packages.flatMap(({ ext }) => [ext, ext, ext]).map((ext) => {
  const xml = requestEnvelope(SOAP_ACTION.iti43, `${base}/repository`, (p) => encodeRetrieveRequest([{
    repositoryUniqueId: parseRepositoryUniqueId(REGION_REPOSITORY), documentUniqueId: parseUniqueId(`2.16.840.1.113883.2.9.2.120.4.4^${ext}`),
  }], p)).xml;
  return xml;
});
let bytes = 0;
const iti43 = await drive(retrieves, 8, async (xml) => {
  const received = await post(`${base}/repository`, 'application/soap+xml; charset=UTF-8', xml, /ResponseStatusType:Success/);
  bytes += received;
});
out('');
out('| ITI-43 (one 200 KB document per request, MTOM answer) | retrieves | concurrency | retrieves/s | MB/s | p50 ms | p99 ms |');
out('|---|---|---|---|---|---|---|');
out(`| from the regional repository (PostgreSQL bytea) | ${retrieves.length} | 8 | ${(retrieves.length / iti43.seconds).toFixed(0)} | ${(bytes / 1e6 / iti43.seconds).toFixed(1)} | ${ms(pct(iti43.latencies, 50))} | ${ms(pct(iti43.latencies, 99))} |`);

// 2. ITI-18 on a seeded registry
const entries = Number(values.entries);
const perPatient = 10;
const patients = Math.floor(entries / perPatient);
const t0 = performance.now();
await seedRegistry(app.resources().db.pool, { patients, perPatient });
const seedSeconds = (performance.now() - t0) / 1000;
const Q = Number(values.queries);
const queries = (returnType: 'LeafClass' | 'ObjectRef') => Array.from({ length: Q }, () => requestEnvelope(SOAP_ACTION.iti18, `${base}/registry`, (p) => {
  encodeAdhocQueryRequest({ returnType, query: { type: 'FindDocuments', patientId: parsePatientId(benchPatient(Math.floor(Math.random() * patients))), statuses: ['Approved'] } }, p);
}).xml);
out('');
out(`| ITI-18 FindDocuments, registry of ${entries.toLocaleString('en')} entries (seeded in ${seedSeconds.toFixed(0)} s), ~9.5 Approved per patient | queries | clients | queries/s | p50 ms | p99 ms |`);
out('|---|---|---|---|---|---|');
for (const returnType of ['LeafClass', 'ObjectRef'] as const) {
  for (const clients of [1, 8]) {
    const run = await drive(queries(returnType), clients, async (xml) => {
      await post(`${base}/registry`, 'application/soap+xml; charset=UTF-8', xml, /ResponseStatusType:Success/);
    });
    out(`| ${returnType} | ${Q} | ${clients} | ${(Q / run.seconds).toFixed(0)} | ${ms(pct(run.latencies, 50))} | ${ms(pct(run.latencies, 99))} |`);
  }
}

// 4. The access decision per ITI-18 of 100 entries
await benchAccessDecision(DB, `${schema}_access`, Number(values['access-rounds']), out);

await client.close();
await app.stop();
await gateway.stop();
const admin = createPool(DB);
await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
await admin.end();
