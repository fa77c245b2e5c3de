import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildSampleCda } from '../../src/dev/sample-cda.js';
import { sampleClaims } from '../../src/dev/sample-claims.js';
import { sha256Hex } from '../../src/pdf/hashes.js';
import { authHeaders, postValidation, samplePdf, startBridge, type Harness } from '../support/bridge-harness.js';
import { creationBody } from '../simulators/sim-fixtures.js';

describe('forwarding to the national Gateway', () => {
  let h: Harness;
  before(async () => {
    h = await startBridge();
  });
  after(async () => h.stop());
  const sim = () => {
    const s = h.simulator;
    assert.ok(s);
    return s;
  };

  test('validation with the Gateway unreachable answers mw/io_error 504', async () => {
    await sim().control.setOutage('refuse');
    try {
      const res = await postValidation(h, { pdf: await samplePdf(), requestBody: '{"activity":"VERIFICA","mode":"ATTACHMENT"}', headers: await authHeaders(h) });
      assert.equal(res.status, 504);
      assert.equal(res.body.type, 'mw/io_error');
      assert.equal(res.body.title, 'Errore comunicazione con GTW nazionale');
    } finally {
      await sim().control.setOutage(false);
    }
  });

  test('the Gateway\'s verdict is the answer; a disagreement is a middleware warning and a metric', async () => {
    // The Gateway accepts a document the regional rules refuse (a schematron change not yet deployed regionally).
    const forced = { traceID: 't', spanID: 's', workflowInstanceId: 'X.1^^^^urn:ihe:iti:xdw:2013:workflowInstanceId' };
    sim().control.injectError({ operation: 'validation', status: 200, body: forced, contentType: 'application/json' });
    const cda = buildSampleCda().replace('<realmCode code="IT"/>', '<realmCode code="FR"/>');
    const res = await postValidation(h, { pdf: await samplePdf(cda), requestBody: '{"activity":"VERIFICA","mode":"ATTACHMENT"}', headers: await authHeaders(h) });
    assert.equal(res.status, 200);
    assert.equal(res.body.workflowInstanceId, forced.workflowInstanceId);
    assert.match(String(res.body.warning), /^--middlewarewarning--.*la validazione regionale non concorda con il GTW \(semantic: HDR-001/);
    const metrics = await (await fetch(`${h.baseUrl}/metrics`)).text();
    assert.match(metrics, /fse_bridge_validation_parity_total\{agreement="disagree"\} [1-9]/);
  });

  // Order is kept per document (a replacement never overtakes its creation: see publication-errors.test.ts); distinct
  // documents replay independently, each at its own backoff.
  test('an outage during a batch: every publication is answered 202, indexed locally, then replayed exactly once', async () => {
    const docs: { pdf: Uint8Array; headers: Record<string, string>; docId: string; body: string }[] = [];
    for (let i = 0; i < 12; i += 1) {
      const pdf = await samplePdf(buildSampleCda({ docExtension: `BATCH-${i}` }));
      const t = await h.tokens(sampleClaims({ attachment_hash: sha256Hex(pdf) }), pdf);
      const headers = { Authorization: `Bearer ${t.authorization}`, 'FSE-JWT-Signature': t.signature };
      const v = await postValidation(h, { pdf, requestBody: '{"activity":"VALIDATION","mode":"ATTACHMENT"}', headers });
      assert.equal(v.status, 201);
      const docId = `2.16.840.1.113883.2.9.2.120.4.4^BATCH-${i}`;
      docs.push({ pdf, headers, docId, body: creationBody(docId, { workflowInstanceId: v.body.workflowInstanceId, identificativoSottomissione: `2.16.840.1.113883.2.9.2.120.4.3.77${i}` }) });
    }
    await sim().control.setOutage('refuse');
    try {
      for (const d of docs) {
        const form = new FormData();
        form.append('file', new Blob([Buffer.from(d.pdf)], { type: 'application/pdf' }), 'doc.pdf');
        form.append('requestBody', d.body);
        const res = await fetch(`${h.baseUrl}/v1/documents`, { method: 'POST', body: form, headers: d.headers });
        assert.equal(res.status, 202);
      }
    } finally {
      await sim().control.setOutage(false);
    }
    const { pool } = h.app.resources().db;
    // local_indexed stays set once a replay succeeds: a replay may already run between the end of the outage and here.
    const local = await pool.query<{ n: string }>("SELECT count(*) AS n FROM gateway_operation WHERE state IN ('local', 'forwarded') AND local_indexed AND document_id LIKE '%BATCH-%'");
    assert.equal(Number(local.rows[0]?.n), docs.length, 'all indexed locally while the Gateway was down');
    const first = await pool.query<{ id: string }>("SELECT id FROM gateway_operation WHERE document_id = $1", [docs[0]?.docId]);
    const replay = await h.app.resources().queue.getJob(`forward-operation/${encodeURIComponent(`${first.rows[0]?.id}#replay-1`)}`);
    assert.deepEqual(replay?.payload, { operationId: first.rows[0]?.id, replay: 1 }, 'the replay is a job of its own (bulk lane)');
    for (let i = 0; i < 2400 && docs.some((d) => !sim().documents.has(d.docId)); i += 1) await sleep(25);
    for (const d of docs) assert.equal(sim().documents.get(d.docId)?.publications, 1, d.docId);
    for (let i = 0; i < 400; i += 1) {
      const r = await pool.query<{ n: string }>("SELECT count(*) AS n FROM gateway_operation WHERE state = 'forwarded' AND document_id LIKE '%BATCH-%'");
      if (Number(r.rows[0]?.n) === docs.length) break;
      await sleep(25);
    }
    const forwarded = await pool.query<{ n: string }>("SELECT count(*) AS n FROM gateway_operation WHERE state = 'forwarded' AND document_id LIKE '%BATCH-%'");
    assert.equal(Number(forwarded.rows[0]?.n), docs.length);
  });
});
