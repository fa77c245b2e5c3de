import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { parseUniqueId } from '../../src/domain/ids.js';
import { buildSampleCda } from '../../src/dev/sample-cda.js';
import { LOCAL_WARNING } from '../../src/rest/publication-routes.js';
import { samplePdf, startBridge, type Harness } from '../support/bridge-harness.js';
import { creationBody, headersFor, send, validated } from '../support/pipeline-calls.js';

const BACKENDS = ['postgres', 'redis'] as const;

async function until<T>(fn: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 400; i += 1) {
    const v = await fn();
    if (v !== undefined) return v;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

for (const backend of BACKENDS) {
  describe(`publication through the pipeline (${backend} queue)`, () => {
    let h: Harness;
    before(async () => {
      h = await startBridge({ QUEUE_BACKEND: backend });
    });
    after(async () => h.stop());

    test('validate, publish: the Gateway accepts (202 relayed), the registry indexes, the status API shows it', async () => {
      const { pdf, wid, docId } = await validated(h, `PUB-${backend}-1`);
      const res = await send(h, 'POST', '/v1/documents', await headersFor(h, pdf), pdf, creationBody(docId, { workflowInstanceId: wid }));
      assert.equal(res.status, 202, res.text);
      assert.equal(res.body.workflowInstanceId, wid);
      const entry = await h.app.resources().registry.getDocumentEntry({ uniqueId: parseUniqueId(docId) });
      assert.equal(entry?.status, 'Approved');
      assert.equal(entry?.size, pdf.length);
      assert.equal(h.simulator?.documents.get(docId)?.publications, 1);
      const status = await send(h, 'GET', `/v1/status/${encodeURIComponent(wid)}`, { Authorization: (await headersFor(h, pdf)).Authorization ?? '' });
      assert.equal(status.status, 200, status.text);
      const events = status.body.transactionData as { eventType: string; eventStatus: string }[];
      assert.ok(events.some((e) => e.eventType === 'PUBLICATION' && e.eventStatus === 'SUCCESS'));
      assert.ok(events.some((e) => e.eventType === 'VALIDATION' && e.eventStatus === 'SUCCESS'));
    });

    test('metadata update (obscuring with P99) reaches the Gateway and adds a version in the registry', async () => {
      const { pdf, wid, docId } = await validated(h, `PUB-${backend}-META`);
      const created = await send(h, 'POST', '/v1/documents', await headersFor(h, pdf), pdf, creationBody(docId, { workflowInstanceId: wid }));
      assert.equal(created.status, 202, created.text);
      const metadata = JSON.stringify({
        tipologiaStruttura: 'Ospedale', attiCliniciRegoleAccesso: ['P99'], tipoDocumentoLivAlto: 'LDO', assettoOrganizzativo: 'AD_PSC001',
        tipoAttivitaClinica: 'CON', identificativoSottomissione: `2.16.840.1.113883.2.9.2.120.4.3.${Date.now()}`,
      });
      const headers = { ...(await headersFor(h, pdf, { action_id: 'UPDATE', purpose_of_use: 'UPDATE' })), 'content-type': 'application/json' };
      const res = await fetch(`${h.baseUrl}/v1/documents/${encodeURIComponent(docId)}/metadata-iti-57`, { method: 'PUT', headers, body: metadata });
      const text = await res.text();
      assert.equal(res.status, 200, text);
      const entry = await h.app.resources().registry.getDocumentEntry({ uniqueId: parseUniqueId(docId) });
      assert.equal(entry?.version, 2);
      assert.deepEqual(entry?.eventCodes.map((c) => c.code), ['P99']);
      assert.equal(h.simulator?.documents.get(docId)?.metadataUpdates, 1);
    });

    test('a duplicate submission is one publication and gets the same answer', async () => {
      const { pdf, wid, docId } = await validated(h, `PUB-${backend}-2`);
      const headers = await headersFor(h, pdf);
      const body = creationBody(docId, { workflowInstanceId: wid });
      const [a, b] = await Promise.all([send(h, 'POST', '/v1/documents', headers, pdf, body), send(h, 'POST', '/v1/documents', headers, pdf, body)]);
      assert.equal(a.status, 202, a.text);
      assert.equal(b.text, a.text);
      assert.equal(h.simulator?.documents.get(docId)?.publications, 1);
      assert.equal((await h.app.resources().registry.getDocumentEntry({ uniqueId: parseUniqueId(docId) }))?.status, 'Approved');
    });

    test('the Gateway\'s error is relayed unchanged and nothing is indexed', async () => {
      const pdf = await samplePdf(buildSampleCda({ docExtension: `PUB-${backend}-NOVAL` }));
      const docId = `2.16.840.1.113883.2.9.2.120.4.4^PUB-${backend}-NOVAL`;
      const res = await send(h, 'POST', '/v1/documents', await headersFor(h, pdf), pdf, creationBody(docId));
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.type, '/msg/cda-match');
      assert.equal(await h.app.resources().registry.getDocumentEntry({ uniqueId: parseUniqueId(docId) }), undefined);
    });

    test('Gateway down: stored and indexed locally (202 with the middleware warning), replayed once it is back', async () => {
      const { pdf, wid, docId } = await validated(h, `PUB-${backend}-OUT`);
      const sim = h.simulator;
      assert.ok(sim);
      await sim.control.setOutage('refuse');
      let res;
      try {
        res = await send(h, 'POST', '/v1/documents', await headersFor(h, pdf), pdf, creationBody(docId, { workflowInstanceId: wid }));
      } finally {
        await sim.control.setOutage(false);
      }
      assert.equal(res.status, 202, res.text);
      assert.equal(res.body.warning, LOCAL_WARNING);
      const local = await h.app.resources().registry.getDocumentEntry({ uniqueId: parseUniqueId(docId) });
      assert.equal(local?.status, 'Approved');
      const replayed = await until(async () => sim.documents.get(docId), 'the replay to reach the Gateway');
      assert.equal(replayed.publications, 1);
    });

    test('replace deprecates the old entry (RPLC) and delete removes it, both through the Gateway', async () => {
      const first = await validated(h, `PUB-${backend}-R1`);
      const created = await send(h, 'POST', '/v1/documents', await headersFor(h, first.pdf), first.pdf, creationBody(first.docId, { workflowInstanceId: first.wid }));
      assert.equal(created.status, 202, created.text);
      const second = await validated(h, `PUB-${backend}-R2`);
      const replaced = await send(h, 'PUT', `/v1/documents/${encodeURIComponent(first.docId)}`,
        await headersFor(h, second.pdf, { action_id: 'UPDATE' }), second.pdf, creationBody(second.docId, { workflowInstanceId: second.wid }));
      assert.equal(replaced.status, 202, replaced.text);
      const { registry } = h.app.resources();
      assert.equal((await registry.getDocumentEntry({ uniqueId: parseUniqueId(first.docId) }))?.status, 'Deprecated');
      assert.equal((await registry.getDocumentEntry({ uniqueId: parseUniqueId(second.docId) }))?.status, 'Approved');
      const deleted = await send(h, 'DELETE', `/v1/documents/${encodeURIComponent(second.docId)}`,
        await headersFor(h, second.pdf, { action_id: 'DELETE', purpose_of_use: 'UPDATE', resource_hl7_type: undefined }));
      assert.equal(deleted.status, 200, deleted.text);
      assert.equal(await registry.getDocumentEntry({ uniqueId: parseUniqueId(second.docId) }), undefined);
    });
  });
}
