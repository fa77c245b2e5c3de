/**
 * `npm run bench:atna`: what ATNA costs a transaction, side by side in one run. Two bridges on the machine's
 * PostgreSQL, identical but for `ATNA_SYSLOG_URL` (one sends every audit message over UDP to a local receiver, one
 * sends none), each with the same ITI-42 registered, answer alternating ITI-18 FindDocuments (LeafClass) and ITI-42
 * calls from one client. Reports p50/p99 per bridge, the ratio of the p50s, the CPU of the process per call, and the
 * messages the receiver got. Options: --rounds N (400).
 */
import { createSocket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { PatientId } from '../src/domain/ids.js';
import { encodeAdhocQueryRequest } from '../src/ebxml/adhoc-query-request.js';
import { encodeRegistryObjectList } from '../src/ebxml/submit-objects-request.js';
import { SOAP_ACTION } from '../src/metadata/vocabulary.js';
import { EBXML_NS } from '../src/ebxml/rim-read.js';
import { startBridge, type Harness } from '../test/support/bridge-harness.js';
import { callSoap } from '../test/support/soap-calls.js';
import { aDocumentEntry, aSubmission } from '../test/support/xds-builders.js';
import { ms, pct } from './stats.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '400' } } });
const rounds = Number(values.rounds);
const out = (line = '') => process.stdout.write(`${line}\n`);
const PATIENT = 'RSSMRA80A01H501U^^^&2.16.840.1.113883.2.9.4.3.2&ISO' as PatientId;

const receiver = createSocket('udp4');
let received = 0;
receiver.on('message', () => { received += 1; });
await new Promise<void>((resolve) => receiver.bind(0, '127.0.0.1', resolve));
const port = receiver.address().port;

const common = { FSE_XDS_METADATA_PROFILE: 'ihe' };
const bridges: Record<string, Harness> = {
  'ATNA off': await startBridge(common),
  'ATNA on (UDP)': await startBridge({ ...common, ATNA_SYSLOG_URL: `udp://127.0.0.1:${port}` }),
};

async function register(h: Harness): Promise<void> {
  const submission = aSubmission([{ entry: aDocumentEntry({ patientId: PATIENT, hash: 'ab'.repeat(20), size: 10 }) }]);
  const answer = await callSoap(h, 'registry', SOAP_ACTION.iti42, (parent) => {
    encodeRegistryObjectList(submission, parent.ele(EBXML_NS.lcm, 'lcm:SubmitObjectsRequest'));
  });
  answer.doc.dispose();
  if (answer.status !== 200 || !answer.raw.includes('ResponseStatusType:Success')) throw new Error(answer.raw.toString('utf8').slice(0, 800));
}

async function query(h: Harness): Promise<void> {
  const request = { returnType: 'LeafClass', query: { type: 'FindDocuments', patientId: PATIENT, statuses: ['Approved'] } } as const;
  const answer = await callSoap(h, 'registry', SOAP_ACTION.iti18, (parent) => { encodeAdhocQueryRequest(request, parent); });
  answer.doc.dispose();
  if (answer.status !== 200) throw new Error(answer.raw.toString('utf8').slice(0, 800));
}

for (const h of Object.values(bridges)) for (let i = 0; i < 5; i += 1) await register(h);
// Warm-up: JIT and pools of both bridges.
for (let i = 0; i < 50; i += 1) for (const h of Object.values(bridges)) await query(h);

const latencies: Record<string, { iti18: number[]; iti42: number[] }> = {};
const cpu: Record<string, number> = {};
for (const name of Object.keys(bridges)) { latencies[name] = { iti18: [], iti42: [] }; cpu[name] = 0; }
// Let the warm-up's last audit messages arrive before counting.
await new Promise((r) => setTimeout(r, 500));
const before = received;
for (let i = 0; i < rounds; i += 1) {
  for (const [name, h] of Object.entries(bridges)) {
    const lane = latencies[name];
    if (!lane) continue;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    if (i % 4 === 3) await register(h); else await query(h);
    (i % 4 === 3 ? lane.iti42 : lane.iti18).push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu[name] = (cpu[name] ?? 0) + (c.user + c.system) / 1000;
  }
}
await new Promise((r) => setTimeout(r, 500));

out(`bench:atna: ${rounds} rounds per bridge, one client, alternating (3 ITI-18 : 1 ITI-42); CPU is this process (client + both bridges)`);
out('| bridge | ITI-18 p50 | ITI-18 p99 | ITI-42 p50 | ITI-42 p99 |');
out('|---|---|---|---|---|');
for (const [name, l] of Object.entries(latencies)) {
  out(`| ${name} | ${ms(pct(l.iti18, 50))} ms | ${ms(pct(l.iti18, 99))} ms | ${ms(pct(l.iti42, 50))} ms | ${ms(pct(l.iti42, 99))} ms |`);
}
const off = latencies['ATNA off'];
const on = latencies['ATNA on (UDP)'];
if (off && on) {
  out(`p50 ratio on/off: ITI-18 ${(pct(on.iti18, 50) / pct(off.iti18, 50)).toFixed(2)}, ITI-42 ${(pct(on.iti42, 50) / pct(off.iti42, 50)).toFixed(2)}`);
}
out(`CPU per call (client + bridge, ms): off ${ms((cpu['ATNA off'] ?? 0) / rounds)}, on ${ms((cpu['ATNA on (UDP)'] ?? 0) / rounds)}`);
out(`audit messages received during the timed rounds: ${received - before} (of ${rounds} calls to the ATNA bridge)`);
for (const h of Object.values(bridges)) await h.stop();
receiver.close();
