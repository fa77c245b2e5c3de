import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PROJECT_ROOT } from '../../src/config.js';
import { startFederationTopology, type RegionNode, type Topology } from '../../src/demo/federation-topology.js';
import { DEMO_PATIENT, regionClient, type RegionClient } from '../../src/demo/region-client.js';
import { parseUniqueId } from '../../src/domain/ids.js';
import { createLogger } from '../../src/logging/logger.js';
import { createPool } from '../../src/db/pool.js';
import { until } from '../../src/demo/until.js';
import { TEST_DATABASE_URL } from '../support/test-database.js';

/**
 * Two regions and INI, all real servers: Lazio (120) delivers the care (RDE), Tuscany (090) assists the patient (RDA).
 * A document published in 120 reaches 090's registry through the Gateway, INI and INI's metadata message, is found
 * by a doctor of 090 and retrieved from 120's repository through INI; replacement and deletion follow; queries
 * in 120 for the patient federate to INI, and degrade to PartialSuccess when INI is down or slow.
 * See: xds-ini digest 1.1-1.4, 4.2-4.8; docs/federation.md.
 */

const RDE = '120';
const RDA = '090';
const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');

describe('two regions through INI', () => {
  let dir: string;
  let topology: Topology;
  let lazio: RegionClient;
  let tuscany: RegionClient;
  const schemaPrefix = `tr_${randomBytes(4).toString('hex')}`;
  const node = (code: string): RegionNode => topology.regions[code] as RegionNode;
  const entryIn = (code: string, id: string) => node(code).app.resources().registry.getDocumentEntry({ uniqueId: parseUniqueId(id) });
  const ext = (name: string) => `${name}-${schemaPrefix}`;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'fse-two-regions-'));
    topology = await startFederationTopology({
      dir, regions: [RDE, RDA], databaseUrl: TEST_DATABASE_URL, schemaPrefix, patients: { [DEMO_PATIENT]: RDA },
      ...(process.env.TEST_LOG_LEVEL ? { logger: createLogger(process.env.TEST_LOG_LEVEL, 'two-regions') } : {}),
      env: {
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error', FSE_VALIDATION_WORKERS: '1', FSE_SEF_CACHE_DIR: path.join(PROJECT_ROOT, 'var', 'sef-cache'),
        INI_TIMEOUT_MS: '1000', INI_RETRIES: '0', INI_QUERY_BUDGET_MS: '1500', INI_RECONCILE_DELAY_MS: '100',
      },
    });
    lazio = regionClient(node(RDE));
    tuscany = regionClient(node(RDA));
  });
  after(async () => {
    await lazio?.close();
    await tuscany?.close();
    await topology?.stop();
    const pool = createPool(TEST_DATABASE_URL);
    for (const code of [RDE, RDA]) await pool.query(`DROP SCHEMA IF EXISTS ${schemaPrefix}_${code} CASCADE`);
    await pool.end();
    rmSync(dir, { recursive: true, force: true });
  });

  test('published in 120 for a patient of 090: indexed in 090 through INI, found there, retrieved from 120 through INI', async () => {
    const id = lazio.documentId(ext('E2E-1'));
    const published = await lazio.publish(ext('E2E-1'));
    assert.equal(published.status, 202, JSON.stringify(published.body));
    const inRda = await until(() => entryIn(RDA, id), 'the document in the RDA\'s registry');
    assert.equal(inRda.status, 'Approved');
    assert.equal(inRda.repositoryUniqueId, lazio.repositoryUniqueId, 'the bytes stay in the RDE');
    // INI commits a registration once the RDA took it: a moment after the RDA's registry has it.
    assert.equal((await until(async () => topology.ini.index.approvedOf(id), 'the document on INI')).uniqueId, id);
    assert.ok(await node(RDA).app.resources().federation.patients.isAssisted(DEMO_PATIENT), '090 now assists the patient');

    const found = await tuscany.findDocuments();
    assert.equal(found.status, 'Success', JSON.stringify(found.errors));
    assert.ok(found.result.kind === 'LeafClass' && found.result.documentEntries.some((e) => e.uniqueId === id));

    const retrieved = await tuscany.retrieve(id, lazio.repositoryUniqueId);
    assert.equal(retrieved.status, 'Success', JSON.stringify(retrieved.errors));
    const [doc] = retrieved.documents;
    assert.equal(doc?.mimeType, inRda.mimeType);
    assert.match(doc?.mimeType ?? '', /^application\/pdf/);
    assert.equal(sha1(doc?.bytes ?? new Uint8Array()), inRda.hash, 'the bytes the RDA\'s metadata describe');
    assert.ok(topology.ini.received.some((r) => r.operation === 'iti43' && r.samlIssuer === RDA), 'the retrieve went through INI');
    const accesses = await node(RDE).app.resources().federation.audit.listByPatient(DEMO_PATIENT);
    assert.ok(accesses.some((a) => a.transaction === 'ITI-43' && a.direction === 'inbound' && a.documentIds.includes(id)), 'the RDE logged INI\'s retrieve');
    assert.equal((await node(RDE).app.resources().federation.audit.verify()).ok, true);
  });

  test('a replacement and a deletion in 120 reach 090', async () => {
    const first = lazio.documentId(ext('E2E-R1'));
    assert.equal((await lazio.publish(ext('E2E-R1'))).status, 202);
    await until(() => entryIn(RDA, first), 'the first version in 090');
    const replaced = await lazio.replace(first, ext('E2E-R2'));
    assert.equal(replaced.status, 202, JSON.stringify(replaced.body));
    const second = lazio.documentId(ext('E2E-R2'));
    await until(async () => ((await entryIn(RDA, first))?.status === 'Deprecated' ? true : undefined), 'the RPLC in 090');
    assert.equal((await entryIn(RDA, second))?.status, 'Approved');

    const deleted = await lazio.remove(second);
    assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
    await until(async () => ((await entryIn(RDA, second)) === undefined ? true : undefined), 'the deletion in 090');
    await until(async () => (topology.ini.index.versionsOf(second).length === 0 ? true : undefined), 'the deletion on INI');
    assert.equal(await entryIn(RDE, second), undefined, 'and in 120');
    const found = await tuscany.findDocuments();
    assert.ok(found.result.kind === 'LeafClass' && !found.result.documentEntries.some((e) => e.uniqueId === second));
  });

  test('a query in 120 for 090\'s patient federates to INI, and is PartialSuccess within the budget when INI is down or slow', async () => {
    const id = lazio.documentId(ext('E2E-Q'));
    assert.equal((await lazio.publish(ext('E2E-Q'))).status, 202);
    await until(() => entryIn(RDA, id), 'the document in 090');
    const federated = await lazio.findDocuments();
    assert.equal(federated.status, 'Success', JSON.stringify(federated.errors));
    const ids = federated.result.kind === 'LeafClass' ? federated.result.documentEntries.map((e) => e.uniqueId) : [];
    assert.equal(ids.filter((u) => u === id).length, 1, 'the local and INI copies merged by uniqueId');
    assert.ok(topology.ini.received.some((r) => r.operation === 'iti18' && r.samlIssuer === RDE));

    for (const [name, breakIni, mendIni] of [
      ['down', () => topology.ini.control.setOutage('refuse'), () => topology.ini.control.setOutage(false)],
      ['slow', () => topology.ini.control.setLatency(5_000), () => topology.ini.control.setLatency(0)],
    ] as const) {
      await breakIni();
      try {
        const partial = await lazio.findDocuments();
        assert.equal(partial.status, 'PartialSuccess', `${name}: ${JSON.stringify(partial.errors)}`);
        assert.ok(partial.errors.some((e) => /INI/.test(e.codeContext)), `${name}: ${JSON.stringify(partial.errors)}`);
        assert.ok(partial.result.kind === 'LeafClass' && partial.result.documentEntries.some((e) => e.uniqueId === id), `${name}: the region's own copy`);
      } finally {
        await mendIni();
      }
    }
  });

  for (const mode of ['blocking', 'timeout-after-indexing'] as const) {
    test(`the Gateway's INI step reported failed (${mode}): reconciled, on INI exactly once, the status API says so`, async () => {
      topology.gateway.control.setIniFailure(mode);
      try {
        const since = new Date();
        const name = ext(`E2E-${mode === 'blocking' ? 'B' : 'T'}`);
        const id = lazio.documentId(name);
        const published = await lazio.publish(name);
        assert.equal(published.status, 202, JSON.stringify(published.body));
        const wid = String(published.body.workflowInstanceId);
        const reconciled = await until(async () => {
          const answer = await lazio.status(wid);
          const events = (answer.body.transactionData ?? []) as { eventType: string; eventStatus: string; message?: string }[];
          return events.find((e) => e.eventType === 'INI_RECONCILE');
        }, 'the reconciliation event in the status API');
        assert.equal(reconciled.eventStatus, 'SUCCESS', reconciled.message);
        assert.match(reconciled.message ?? '', mode === 'blocking' ? /inviato dalla regione/ : /già presente su INI/);
        assert.equal(topology.ini.index.versionsOf(id).length, 1, 'indexed once');
        const registrations = topology.ini.received.filter((r) => r.operation === 'iti42' && r.time >= since);
        assert.equal(registrations.length, 1, JSON.stringify(registrations));
        assert.equal(registrations[0]?.samlIssuer, RDE);
        await until(() => entryIn(RDA, id), 'the document in 090');
      } finally {
        topology.gateway.control.setIniFailure('none');
      }
    });
  }
});
