import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { buildSampleCda } from '../../src/dev/sample-cda.js';
import { sampleClaims } from '../../src/dev/sample-claims.js';
import { cdaValidationKey } from '../../src/pdf/hashes.js';
import { authHeaders, postValidation, samplePdf, startBridge, type Harness } from '../support/bridge-harness.js';

const WID = /^2\.16\.840\.1\.113883\.2\.9\.2\.120\.4\.4\.([0-9a-f]{64})\.[0-9a-f]{10}\^\^\^\^urn:ihe:iti:xdw:2013:workflowInstanceId$/;

describe('POST /v1/documents/validation (project rules)', () => {
  let h: Harness;
  before(async () => {
    h = await startBridge();
  });
  after(async () => h.stop());

  test('VALIDATION answers 201 with a Gateway-shaped workflowInstanceId and stores a single-use record', async () => {
    const cda = buildSampleCda({ docExtension: 'REST-201' });
    const res = await postValidation(h, { pdf: await samplePdf(cda), requestBody: '{"activity":"VALIDATION","mode":"ATTACHMENT"}', headers: await authHeaders(h) });
    assert.equal(res.status, 201);
    assert.deepEqual(Object.keys(res.body).sort(), ['spanID', 'traceID', 'workflowInstanceId']);
    const wid = String(res.body.workflowInstanceId);
    assert.equal(WID.exec(wid)?.[1], createHash('sha256').update('REST-201').digest('hex'));
    assert.match(String(res.body.traceID), /^[0-9a-f]{32}$/);
    assert.match(String(res.body.spanID), /^[0-9a-f]{16}$/);
    const first = await h.app.resources().validationRecords.take(cdaValidationKey(cda));
    assert.equal(first.kind, 'found');
    assert.equal(first.kind === 'found' && first.record.workflowInstanceId, wid);
    assert.equal((await h.app.resources().validationRecords.take(cdaValidationKey(cda))).kind, 'missing');
  });

  test('VERIFICA answers 200 and stores nothing; without mode the extraction warning is added', async () => {
    const cda = buildSampleCda({ docExtension: 'REST-200' });
    const res = await postValidation(h, { pdf: await samplePdf(cda), requestBody: '{"activity":"VERIFICA"}', headers: await authHeaders(h) });
    assert.equal(res.status, 200);
    assert.equal(res.body.warning, '[[WARNING_EXTRACT]Attenzione, non è stata selezionata la modalità di estrazione del CDA]');
    assert.equal((await h.app.resources().validationRecords.take(cdaValidationKey(cda))).kind, 'missing');
  });

  test('every validation returns a new workflowInstanceId for the same CDA', async () => {
    const pdf = await samplePdf();
    const body = '{"activity":"VERIFICA","mode":"ATTACHMENT"}';
    const a = await postValidation(h, { pdf, requestBody: body, headers: await authHeaders(h) });
    const b = await postValidation(h, { pdf, requestBody: body, headers: await authHeaders(h) });
    assert.equal(a.status, 200);
    assert.notEqual(a.body.workflowInstanceId, b.body.workflowInstanceId);
  });

  const bodyCases: [string, string, string][] = [
    ['unknown field', '{"activity":"VERIFICA","priorita":true}', "Parametro non riconosciuto all'interno della request nella conversione di ValidationCDAReqDTO"],
    ['missing activity', '{"mode":"ATTACHMENT"}', 'Il campo activity deve essere valorizzato.'],
    ['malformed JSON', '{"activity":"VERIFICA",}', 'Errore durante la conversione da json a oggetto ValidationCDAReqDTO'],
    ['enum value not in the list', '{"activity":"validation"}', 'Errore durante la conversione da json a oggetto ValidationCDAReqDTO'],
  ];
  for (const [name, requestBody, detail] of bodyCases) {
    test(`request body: ${name} -> 400 /msg/mandatory-element`, async () => {
      const res = await postValidation(h, { pdf: await samplePdf(), requestBody, headers: await authHeaders(h) });
      assert.equal(res.status, 400);
      assert.equal(res.headers.get('content-type'), 'application/problem+json');
      assert.equal(res.body.type, '/msg/mandatory-element');
      assert.equal(res.body.detail, detail);
      assert.equal(res.body.workflowInstanceId, 'UNKNOWN_WORKFLOW_ID');
    });
  }

  test('missing file part -> 400 /msg/generic-error', async () => {
    const res = await postValidation(h, { omitFile: true, requestBody: '{"activity":"VERIFICA"}', headers: await authHeaders(h) });
    assert.equal(res.status, 400);
    assert.equal(res.body.type, '/msg/generic-error');
    assert.match(String(res.body.detail), /Required part 'file'/);
  });

  test('empty file -> 400 /msg/empty-file; not a PDF -> 415 /msg/document-type', async () => {
    const empty = await postValidation(h, { pdf: new Uint8Array(), requestBody: '{"activity":"VERIFICA"}', headers: await authHeaders(h) });
    assert.equal(empty.status, 400);
    assert.equal(empty.body.type, '/msg/empty-file');
    const xml = await postValidation(h, { pdf: Buffer.from(buildSampleCda()), requestBody: '{"activity":"VERIFICA"}', headers: await authHeaders(h) });
    assert.equal(xml.status, 415);
    assert.equal(xml.body.type, '/msg/document-type');
  });

  test('RESOURCE declared but the CDA is an attachment -> 400 /msg/cda-element', async () => {
    const res = await postValidation(h, { pdf: await samplePdf(), requestBody: '{"activity":"VERIFICA","mode":"RESOURCE"}', headers: await authHeaders(h) });
    assert.equal(res.status, 400);
    assert.equal(res.body.type, '/msg/cda-element');
    assert.equal(res.body.instance, '/cda-extraction');
  });

  test('a semantic error answers 422 /msg/semantic with the rule id and the workflowInstanceId', async () => {
    const cda = buildSampleCda().replace('<realmCode code="IT"/>', '<realmCode code="FR"/>');
    const res = await postValidation(h, { pdf: await samplePdf(cda), requestBody: '{"activity":"VALIDATION","mode":"ATTACHMENT"}', headers: await authHeaders(h) });
    assert.equal(res.status, 422);
    assert.equal(res.body.type, '/msg/semantic');
    assert.match(String(res.body.detail), /^HDR-001 \|/);
    assert.match(String(res.body.workflowInstanceId), WID);
  });

  test('an unknown document type answers 422 with the Gateway message', async () => {
    const cda = buildSampleCda({ templateRoot: '2.16.840.1.113883.2.9.10.1.99', loinc: '11111-1' });
    const res = await postValidation(h, { pdf: await samplePdf(cda), requestBody: '{"activity":"VERIFICA","mode":"ATTACHMENT"}', headers: await authHeaders(h, sampleClaims({ resource_hl7_type: "('11111-1^^2.16.840.1.113883.6.1')" })) });
    assert.equal(res.status, 422);
    assert.equal(res.body.detail, 'Schematron with template id root 2.16.840.1.113883.2.9.10.1.99 not found on database.');
  });

  test('a code outside a value set answers 400 /msg/vocabulary', async () => {
    const cda = buildSampleCda().replace('<administrativeGenderCode code="M"', '<administrativeGenderCode code="Q"');
    const res = await postValidation(h, { pdf: await samplePdf(cda), requestBody: '{"activity":"VERIFICA","mode":"ATTACHMENT"}', headers: await authHeaders(h) });
    assert.equal(res.status, 400);
    assert.equal(res.body.type, '/msg/vocabulary');
    assert.match(String(res.body.detail), /Almeno uno dei seguenti vocaboli non è censito/);
  });

  test('regional findings never block and travel after --middlewarewarning--', async () => {
    const cda = buildSampleCda().replace('<telecom value="tel:+39061234567"/>', '');
    const res = await postValidation(h, { pdf: await samplePdf(cda), requestBody: '{"activity":"VERIFICA","mode":"ATTACHMENT"}', headers: await authHeaders(h) });
    assert.equal(res.status, 200);
    const warning = String(res.body.warning);
    assert.equal(warning.split('--middlewarewarning--').length, 2);
    assert.match(warning, /^--middlewarewarning--W-REG-002 \|/);
  });

  test('GET /metrics counts validations by document type and outcome', async () => {
    const res = await fetch(`${h.baseUrl}/metrics`);
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.match(text, /fse_bridge_validations_total\{doc_type="LDO",outcome="valid"\} [1-9]/);
    assert.match(text, /fse_bridge_validations_total\{doc_type="LDO",outcome="semantic"\} [1-9]/);
  });

  test('unknown routes answer problem+json 404', async () => {
    const res = await fetch(`${h.baseUrl}/v1/nothing`);
    assert.equal(res.status, 404);
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
  });
});
