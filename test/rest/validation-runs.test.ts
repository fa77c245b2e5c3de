import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildSampleCda } from '../../src/dev/sample-cda.js';
import type { ValidationRun } from '../../src/stores/validation-run-store.js';
import { randomBytes } from 'node:crypto';
import { authHeaders, postValidation, samplePdf, startBridge, type Harness } from '../support/bridge-harness.js';
import { lineOf } from '../support/explain-catalog.js';

/** The run the bridge kept for a trace, read back through the store the console reads. */
async function runOfTrace(h: Harness, traceId: string): Promise<ValidationRun | undefined> {
  const store = h.app.resources().validationRuns;
  const summary = (await store.list({ limit: 100 })).find((r) => r.traceId === traceId);
  return summary && store.get(summary.id);
}

describe('REST validations the bridge refuses are kept for the console, each finding on its line', () => {
  let h: Harness;
  before(async () => {
    h = await startBridge();
  });
  after(async () => h.stop());

  // The producer's W3C trace continues through the bridge to the Gateway, so the answer's traceID is the bridge's
  // correlation id too (the one the console's transactions carry). See: Gateway API digest 2.3.
  test('a semantic error: a rest run with the answer\'s trace id, the CDA and the finding on its line', async () => {
    const cda = buildSampleCda({ docExtension: 'RUN-422' }).replace('<realmCode code="IT"/>', '<realmCode code="FR"/>');
    const sent = randomBytes(16).toString('hex');
    const headers = { ...(await authHeaders(h)), traceparent: `00-${sent}-${randomBytes(8).toString('hex')}-01` };
    const res = await postValidation(h, { pdf: await samplePdf(cda), requestBody: '{"activity":"VERIFICA","mode":"ATTACHMENT"}', headers });
    assert.equal(res.status, 422);
    const traceId = String(res.body.traceID);
    assert.equal(traceId, sent, 'the Gateway answered in the producer\'s trace');
    const run = await runOfTrace(h, traceId);
    assert.ok(run, 'a run with the trace id of the answer');
    assert.equal(run.origin, 'rest');
    assert.equal(run.valid, false);
    assert.equal(run.source, cda);
    const hdr = run.findings.find((f) => f.id === 'HDR-001');
    assert.ok(hdr, JSON.stringify(run.findings));
    assert.equal(hdr.severity, 'error');
    // The rule's context is the ClinicalDocument (schematron/cda2-header.sch, pattern header): its line, not realmCode's.
    assert.equal(hdr.line, lineOf(cda, '<ClinicalDocument'));
    assert.ok(run.errors >= 1);
  });

  test('a vocabulary error deep in the document: the finding on the line of the offending code', async () => {
    const cda = buildSampleCda({ docExtension: 'RUN-400' }).replace('<administrativeGenderCode code="M"', '<administrativeGenderCode code="Q"');
    const res = await postValidation(h, { pdf: await samplePdf(cda), requestBody: '{"activity":"VERIFICA","mode":"ATTACHMENT"}', headers: await authHeaders(h) });
    assert.equal(res.status, 400);
    const summaries = await h.app.resources().validationRuns.list({ limit: 100 });
    const newest = summaries[0] && await h.app.resources().validationRuns.get(summaries[0].id);
    assert.ok(newest, 'the newest run');
    assert.equal(newest.source, cda);
    const vocab = newest.findings.find((f) => f.id === 'VOCAB');
    assert.ok(vocab, JSON.stringify(newest.findings));
    assert.equal(vocab.line, lineOf(cda, '<administrativeGenderCode code="Q"'));
    assert.ok(vocab.line > 10, 'deep in the document');
  });

  test('a valid document leaves no run', async () => {
    const res = await postValidation(h, { pdf: await samplePdf(buildSampleCda({ docExtension: 'RUN-200' })), requestBody: '{"activity":"VERIFICA","mode":"ATTACHMENT"}', headers: await authHeaders(h) });
    assert.equal(res.status, 200);
    assert.equal(await runOfTrace(h, String(res.body.traceID)), undefined);
  });
});
