/**
 * `npm run bench:federation`: a federated ITI-18 FindDocuments (LeafClass) on this machine, all real servers in one
 * process (the federation topology: Gateway and INI simulators, bridges 120 and 090 on the machine's PostgreSQL and
 * Redis). 120 publishes --documents N LDOs for a patient 090 assists and the bench waits until 090's registry holds
 * them all; then INI is made to answer --ini-latency-ms late and, at 1 client and at --concurrency C clients:
 *  - bridge: a doctor of 120 queries 120's bridge (SAML signed by its hospital, as `regionClient` does). The patient
 *    is not assisted by 120, so the bridge asks INI within INI_QUERY_BUDGET_MS, INI relays to 090, and the bridge
 *    merges INI's answer with its own registry's by uniqueId. Every answer must be Success with >= N entries.
 *  - INI direct: the same query sent straight to INI's registry service with the assertion 120's bridge would sign
 *    for that doctor (`createIniClient` on the bridge's `assertionDefaults`, without the access log the bridge keeps).
 *    Both include their client's signing, encoding and decoding, and INI's relay to 090 and 090's answer.
 * The bridge's overhead is printed as bridge minus INI direct, percentile by percentile (a difference of percentiles,
 * not a percentile of differences), and so is the process's CPU time per query: everything runs on one event loop, so
 * at C clients the latencies are queueing for it and the CPU difference is what the bridge costs per query. Each
 * series starts after a warm-up of min(Q, 30) queries that is not counted; more than Q/2 failures stop the bench.
 * Options: --documents N (20), --queries Q (300), --concurrency C (8), --ini-latency-ms L (50).
 * See: xds-ini digest 1.4 E, 4.8; docs/federation.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/config.js';
import { createPool } from '../src/db/pool.js';
import { startFederationTopology, type RegionNode } from '../src/demo/federation-topology.js';
import { DEMO_PATIENT, regionClient } from '../src/demo/region-client.js';
import { until } from '../src/demo/until.js';
import type { CallerIdentity } from '../src/domain/caller.js';
import { parseUniqueId } from '../src/domain/ids.js';
import type { StoredQueryRequest } from '../src/domain/stored-query.js';
import type { DecodedAdhocQueryResponse } from '../src/ebxml/adhoc-query-response.js';
import type { IniRequester } from '../src/ini/ini-assertion.js';
import { createIniClient } from '../src/ini/ini-client.js';
import { createSoapCaller } from '../src/soap-wire/soap-client.js';
import { ms, pct } from './stats.js';

const { values } = parseArgs({
  options: {
    documents: { type: 'string', default: '20' }, queries: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '8' }, 'ini-latency-ms': { type: 'string', default: '50' },
  },
});
const N = Number(values.documents);
const Q = Number(values.queries);
const C = Number(values.concurrency);
const LATENCY = Number(values['ini-latency-ms']);
const WARMUP = Math.min(Q, 30);
const DB = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const RDE = '120';
const RDA = '090';
const out = (line = '') => process.stdout.write(`${line}\n`);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

interface Run {
  readonly latencies: number[];
  readonly seconds: number;
  /** CPU time of this process (user + system) per query: the clients, INI and both bridges together. */
  readonly cpuMs: number;
  readonly failures: string[];
}

/** `count` calls of `query` through `concurrency` workers; an answer that is not Success with >= N entries is a failure. */
async function drive(count: number, concurrency: number, query: () => Promise<DecodedAdhocQueryResponse>): Promise<Run> {
  const latencies: number[] = [];
  const failures: string[] = [];
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      next += 1;
      const t = performance.now();
      try {
        const answer = await query();
        const entries = answer.result.kind === 'LeafClass' ? answer.result.documentEntries.length : 0;
        if (answer.status !== 'Success' || entries < N) failures.push(`${answer.status}, ${entries} entries ${JSON.stringify(answer.errors)}`);
      } catch (err) {
        failures.push(err instanceof Error ? err.message : String(err));
      }
      latencies.push(performance.now() - t);
    }
  }));
  const cpu = process.cpuUsage(cpu0);
  return { latencies, seconds: (performance.now() - t0) / 1000, cpuMs: (cpu.user + cpu.system) / 1000 / count, failures };
}

/** A warm-up, then the measured run; stops the bench when most answers are failures. */
async function measure(name: string, concurrency: number, query: () => Promise<DecodedAdhocQueryResponse>): Promise<Run> {
  await drive(WARMUP, concurrency, query);
  const run = await drive(Q, concurrency, query);
  if (run.failures.length > Q / 2) throw new Error(`${name}, ${concurrency} client(s): ${run.failures.length}/${Q} failed, e.g. ${run.failures[0]}`);
  return run;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-federation-'));
const schemaPrefix = `bf_${randomBytes(4).toString('hex')}`;
const topology = await startFederationTopology({
  dir, regions: [RDE, RDA], databaseUrl: DB, schemaPrefix, patients: { [DEMO_PATIENT]: RDA },
  env: { LOG_LEVEL: 'error', FSE_VALIDATION_WORKERS: '1', FSE_SEF_CACHE_DIR: path.join(PROJECT_ROOT, 'var', 'sef-cache'), INI_QUERY_BUDGET_MS: '3000' },
});
const rde = topology.regions[RDE] as RegionNode;
const rda = topology.regions[RDA] as RegionNode;
const rdeClient = regionClient(rde);
const iniCaller = createSoapCaller({ timeoutMs: 30_000 });
try {
  out(`# bench:federation — ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), node ${process.version}, ${os.platform()} ${os.release()}`);
  out(`# command: node --import tsx bench/federation.ts ${process.argv.slice(2).join(' ')}`.trimEnd());
  out(`# options: --documents ${N} --queries ${Q} --concurrency ${C} --ini-latency-ms ${LATENCY}; warm-up ${WARMUP} queries per series`);
  out('# clients, INI simulator and both bridges share this process and its event loop: under concurrency, latency is mostly queueing for it');

  // 1. N documents of 120 for 090's patient, in 090's registry through the Gateway, INI and INI's metadata message.
  const t0 = performance.now();
  const ids: string[] = [];
  for (let i = 0; i < N; i += 1) {
    const ext = `BENCH-FED-${schemaPrefix}-${i}`;
    const published = await rdeClient.publish(ext);
    if (published.status !== 202) throw new Error(`publication ${ext}: ${published.status} ${JSON.stringify(published.body)}`);
    ids.push(rdeClient.documentId(ext));
  }
  for (const id of ids) {
    await until(() => rda.app.resources().registry.getDocumentEntry({ uniqueId: parseUniqueId(id) }), `${id} in ${RDA}`, 120_000);
  }
  out(`# ${N} documents published in ${RDE} and indexed in ${RDA} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // 2. From here on INI answers --ini-latency-ms late.
  topology.ini.control.setLatency(LATENCY);

  // 3. INI direct: the assertion 120's bridge signs for the doctor the hospital's assertion names (region-client.ts).
  const defaults = rde.app.resources().federation.assertionDefaults;
  if (!defaults) throw new Error(`bridge ${RDE} has no SAML signer`);
  const ini = createIniClient({ urls: topology.ini.services, caller: iniCaller, region: defaults, retries: 0, budgetMs: 30_000 });
  const identity: CallerIdentity = {
    source: 'saml', verified: true, issuer: RDE, subjectId: 'VRDGPP70A01H501S^^^&2.16.840.1.113883.2.9.4.3.2&ISO', role: 'AAS',
    organizationId: RDE, organization: defaults.name, locality: `OSPEDALE DI PROVA^^^^^&2.16.840.1.113883.2.9.4.1.2&ISO^^^^${RDE}901`,
    purposeOfUse: 'TREATMENT', actionId: 'READ', resourceId: DEMO_PATIENT, patientConsent: true,
    applicationId: 'HIS', applicationVendor: 'HIS VENDOR', applicationVersion: '1.0',
  };
  const requester: IniRequester = { identity, patientId: DEMO_PATIENT, purposeOfUse: 'TREATMENT', actionId: 'READ' };
  const request: StoredQueryRequest = { returnType: 'LeafClass', query: { type: 'FindDocuments', patientId: DEMO_PATIENT, statuses: ['Approved'] } };

  // 4. Both series at 1 client, then at C clients, so they run under the same conditions.
  const rows: { clients: number; bridge: Run; direct: Run }[] = [];
  for (const clients of [...new Set([1, C])]) {
    const direct = await measure('INI direct', clients, () => ini.query(request, requester));
    const bridge = await measure('bridge', clients, () => rdeClient.findDocuments());
    rows.push({ clients, bridge, direct });
  }

  // 5. The tables.
  out('');
  out(`| FindDocuments LeafClass, ${N} entries, INI latency ${LATENCY} ms | clients | queries | failures | queries/s | p50 ms | p99 ms | mean ms | CPU ms/query |`);
  out('|---|---|---|---|---|---|---|---|---|');
  for (const { clients, bridge, direct } of rows) {
    for (const [name, run] of [[`bridge ${RDE} (federated through INI)`, bridge], [`INI direct (relayed to ${RDA})`, direct]] as const) {
      out(`| ${name} | ${clients} | ${Q} | ${run.failures.length} | ${(Q / run.seconds).toFixed(1)} | ${ms(pct(run.latencies, 50))} | ${ms(pct(run.latencies, 99))} | ${ms(mean(run.latencies))} | ${ms(run.cpuMs)} |`);
    }
  }
  out('');
  out('| bridge overhead on INI\'s time (difference of percentiles) | clients | p50 ms | p99 ms | mean ms | CPU ms/query |');
  out('|---|---|---|---|---|---|');
  for (const { clients, bridge, direct } of rows) {
    const diff = (p: number) => ms(pct(bridge.latencies, p) - pct(direct.latencies, p));
    out(`| bridge p - INI direct p | ${clients} | ${diff(50)} | ${diff(99)} | ${ms(mean(bridge.latencies) - mean(direct.latencies))} | ${ms(bridge.cpuMs - direct.cpuMs)} |`);
  }
  for (const { clients, bridge, direct } of rows) {
    for (const [name, run] of [['bridge', bridge], ['INI direct', direct]] as const) {
      if (run.failures.length > 0) out(`# ${name}, ${clients} client(s): ${run.failures.length} failures, first: ${run.failures[0]}`);
    }
  }
} finally {
  await rdeClient.close();
  await iniCaller.close();
  await topology.stop();
  const admin = createPool(DB);
  for (const code of [RDE, RDA]) await admin.query(`DROP SCHEMA IF EXISTS ${schemaPrefix}_${code} CASCADE`);
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
}
