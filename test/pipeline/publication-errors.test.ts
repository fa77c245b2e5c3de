import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseUniqueId } from '../../src/domain/ids.js';
import { startBridge, type Harness } from '../support/bridge-harness.js';
import { creationBody, headersFor, send, validated } from '../support/pipeline-calls.js';

describe('bad publications: the Gateway\'s error comes back, nothing is indexed', () => {
  let h: Harness;
  before(async () => {
    h = await startBridge();
  });
  after(async () => h.stop());
  const absent = async (docId: string) => assert.equal(await h.app.resources().registry.getDocumentEntry({ uniqueId: parseUniqueId(docId) }), undefined);

  test('unknown workflowInstanceId -> 400 /msg/cda-match', async () => {
    const d = await validated(h, 'ERR-WID');
    const res = await send(h, 'POST', '/v1/documents', await headersFor(h, d.pdf), d.pdf, creationBody(d.docId, { workflowInstanceId: `${d.wid.slice(0, -50)}0000000000^^^^urn:ihe:iti:xdw:2013:workflowInstanceId` }));
    assert.equal(res.status, 400);
    assert.equal(res.body.type, '/msg/cda-match');
    await absent(d.docId);
  });

  test('a validation used twice -> the second publication is refused and only the first is indexed', async () => {
    const d = await validated(h, 'ERR-REUSE');
    const first = await send(h, 'POST', '/v1/documents', await headersFor(h, d.pdf), d.pdf, creationBody(d.docId, { workflowInstanceId: d.wid }));
    assert.equal(first.status, 202);
    const otherId = `${d.docId}-BIS`;
    const again = await send(h, 'POST', '/v1/documents', await headersFor(h, d.pdf), d.pdf, creationBody(otherId, { workflowInstanceId: d.wid }));
    assert.equal(again.status, 400);
    assert.equal(again.body.type, '/msg/cda-match');
    assert.equal((await h.app.resources().registry.getDocumentEntry({ uniqueId: parseUniqueId(d.docId) }))?.status, 'Approved');
    await absent(otherId);
  });

  test('the same publication sent twice is one operation with one answer (a duplicate submission)', async () => {
    const d = await validated(h, 'ERR-DUP');
    const requestBody = creationBody(d.docId, { workflowInstanceId: d.wid });
    const a = await send(h, 'POST', '/v1/documents', await headersFor(h, d.pdf), d.pdf, requestBody);
    const b = await send(h, 'POST', '/v1/documents', await headersFor(h, d.pdf), d.pdf, requestBody);
    assert.equal(a.status, 202);
    assert.deepEqual(b, a);
    assert.equal(h.simulator?.documents.get(d.docId)?.publications, 1);
  });

  test('a validation older than 5 days -> 400 /msg/max-day-limit-exceed', async () => {
    const d = await validated(h, 'ERR-OLD');
    const sim = h.simulator;
    assert.ok(sim);
    sim.control.setClockOffset(6 * 24 * 3600 * 1000);
    try {
      const res = await send(h, 'POST', '/v1/documents', await headersFor(h, d.pdf), d.pdf, creationBody(d.docId, { workflowInstanceId: d.wid }));
      assert.equal(res.status, 400);
      assert.equal(res.body.type, '/msg/max-day-limit-exceed');
    } finally {
      sim.control.setClockOffset(0);
    }
    await absent(d.docId);
  });

  test('attachment_hash that does not match the file -> 400 /msg/document-hash', async () => {
    const d = await validated(h, 'ERR-HASH');
    const res = await send(h, 'POST', '/v1/documents', await headersFor(h, d.pdf, { attachment_hash: 'ab'.repeat(32) }), d.pdf, creationBody(d.docId, { workflowInstanceId: d.wid }));
    assert.equal(res.status, 400);
    assert.equal(res.body.type, '/msg/document-hash');
    await absent(d.docId);
  });

  test('replace of an unknown document -> 404 /msg/record-not-found', async () => {
    const d = await validated(h, 'ERR-REPL');
    const res = await send(h, 'PUT', `/v1/documents/${encodeURIComponent('2.16.840.1.113883.2.9.2.120.4.4^NEVER-PUBLISHED')}`,
      await headersFor(h, d.pdf, { action_id: 'UPDATE' }), d.pdf, creationBody(d.docId, { workflowInstanceId: d.wid }));
    assert.equal(res.status, 404);
    assert.equal(res.body.type, '/msg/record-not-found');
    await absent(d.docId);
  });

  test('a malformed body -> 400 /msg/mandatory-element', async () => {
    const d = await validated(h, 'ERR-BODY');
    const res = await send(h, 'POST', '/v1/documents', await headersFor(h, d.pdf), d.pdf, '{"identificativoDoc":');
    assert.equal(res.status, 400);
    assert.equal(res.body.type, '/msg/mandatory-element');
    await absent(d.docId);
  });

  test('an outage during create and replace of one document: replayed in order once the Gateway is back', async () => {
    const first = await validated(h, 'ORD-1');
    const second = await validated(h, 'ORD-2');
    const sim = h.simulator;
    assert.ok(sim);
    await sim.control.setOutage('refuse');
    const created = await send(h, 'POST', '/v1/documents', await headersFor(h, first.pdf), first.pdf, creationBody(first.docId, { workflowInstanceId: first.wid }));
    const replaced = await send(h, 'PUT', `/v1/documents/${encodeURIComponent(first.docId)}`, await headersFor(h, second.pdf, { action_id: 'UPDATE' }),
      second.pdf, creationBody(second.docId, { workflowInstanceId: second.wid }));
    await sim.control.setOutage(false);
    assert.equal(created.status, 202);
    assert.equal(replaced.status, 202);
    for (let i = 0; i < 400 && sim.documents.get(second.docId)?.state !== 'published'; i += 1) await sleep(25);
    assert.equal(sim.documents.get(first.docId)?.state, 'replaced');
    assert.equal(sim.documents.get(second.docId)?.state, 'published');
    const order = sim.received.filter((r) => r.operation === 'create' || r.operation === 'replace').map((r) => r.operation);
    assert.ok(order.lastIndexOf('create') < order.lastIndexOf('replace'), `Gateway saw ${order.join(',')}`);
    const { registry } = h.app.resources();
    assert.equal((await registry.getDocumentEntry({ uniqueId: parseUniqueId(first.docId) }))?.status, 'Deprecated');
    assert.equal((await registry.getDocumentEntry({ uniqueId: parseUniqueId(second.docId) }))?.status, 'Approved');
  });
});
