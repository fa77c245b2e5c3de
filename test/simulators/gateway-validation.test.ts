import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildSampleCda } from '../../src/dev/sample-cda.js';
import type { GatewaySimulator } from '../../src/simulators/gateway/gateway-simulator.js';
import { samplePdf } from '../support/bridge-harness.js';
import { cdaPdf, CLAIMS, creationBody, docId, freshPki, postMultipart, producerTokens, signerOf, tokenHeaders, type Signer, simulatorPerSuite } from './sim-fixtures.js';

/**
 * The simulator's own validation endpoint, called directly (the bridge's tests reach it only through the bridge,
 * which authenticates first): the dispatcher's order and errors. See: Gateway API digest, 2.2-2.6, 3.1, 7.7, 7.8.
 */
describe('Gateway simulator: POST /v1/documents/validation', () => {
  let sim: GatewaySimulator;
  let producer: Signer;
  simulatorPerSuite((s) => { sim = s.sim; producer = s.producer; });

  const validate = async (pdf: Uint8Array, requestBody: string, headers?: Record<string, string>) =>
    postMultipart(`${sim.url}/documents/validation`, 'POST', pdf, requestBody, headers ?? tokenHeaders(await producerTokens(producer)));

  test('the body is bound field by field as Jackson does: the first bad field names the error', async () => {
    const pdf = await samplePdf();
    const unknownFirst = await validate(pdf, '{"priorita":true,"activity":"nope"}');
    assert.equal(unknownFirst.body.detail, "Parametro non riconosciuto all'interno della request nella conversione di ValidationCDAReqDTO");
    const enumFirst = await validate(pdf, '{"activity":"nope","priorita":true}');
    assert.equal(enumFirst.body.detail, 'Errore durante la conversione da json a oggetto ValidationCDAReqDTO');
    const nullActivity = await validate(pdf, '{"activity":null,"mode":"ATTACHMENT"}');
    assert.equal(nullActivity.status, 400);
    assert.equal(nullActivity.body.type, '/msg/mandatory-element');
    assert.equal(nullActivity.body.detail, 'Il campo activity deve essere valorizzato.');
    assert.equal(nullActivity.body.workflowInstanceId, 'UNKNOWN_WORKFLOW_ID');
  });

  test('empty file 400 /msg/empty-file, not a PDF 415 /msg/document-type, no CDA id /msg/workflow-id-error-extraction', async () => {
    const body = '{"activity":"VERIFICA","mode":"ATTACHMENT"}';
    const empty = await validate(new Uint8Array(), body);
    assert.equal(empty.status, 400);
    assert.equal(empty.body.type, '/msg/empty-file');
    const xml = await validate(Buffer.from(buildSampleCda()), body);
    assert.equal(xml.status, 415);
    assert.equal(xml.body.type, '/msg/document-type');
    assert.equal(xml.body.workflowInstanceId, 'UNKNOWN_WORKFLOW_ID');
    const noId = await validate(await samplePdf(buildSampleCda({ docExtension: '' })), body);
    assert.equal(noId.status, 400);
    assert.equal(noId.body.type, '/msg/workflow-id-error-extraction');
    assert.equal(noId.body.workflowInstanceId, 'UNKNOWN_WORKFLOW_ID');
  });

  test('VERIFICA answers 200, records a VALIDATION event with its message and leaves nothing to publish', async () => {
    const pdf = await cdaPdf('SIM-VERIFICA');
    const res = await validate(pdf, '{"activity":"VERIFICA"}');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.warning, '[[WARNING_EXTRACT]Attenzione, non è stata selezionata la modalità di estrazione del CDA]');
    const event = sim.events.find((e) => e.workflowInstanceId === res.body.workflowInstanceId);
    assert.equal(event?.eventType, 'VALIDATION');
    assert.equal(event?.message, "Attenzione - è stato chiamato l'endpoint di validazione con VERIFICA");
    const published = await postMultipart(`${sim.url}/documents`, 'POST', pdf, creationBody(docId('SIM-VERIFICA')),
      tokenHeaders(await producerTokens(producer, CLAIMS.create, pdf)));
    assert.equal(published.body.type, '/msg/cda-match');
  });

  test('a token from an untrusted CA is GovWay\'s 401, without the dispatcher\'s fields', async () => {
    const rogue = signerOf(freshPki());
    const res = await validate(await samplePdf(), '{"activity":"VERIFICA"}', tokenHeaders(await producerTokens(rogue)));
    assert.equal(res.status, 401);
    assert.deepEqual(Object.keys(res.body).sort(), ['detail', 'govway_id', 'status', 'title', 'type']);
    assert.equal(res.body.title, 'TokenAuthenticationFailed');
    assert.match(res.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    assert.equal(res.headers.get('govway-transaction-id'), res.body.govway_id);
  });

  test('no FSE-JWT-Signature is 403 /msg/missing-token; a wrong Content-Type is Spring\'s 415 about:blank', async () => {
    const { authorization } = await producerTokens(producer);
    const missing = await validate(await samplePdf(), '{"activity":"VERIFICA"}', { Authorization: `Bearer ${authorization}` });
    assert.equal(missing.status, 403);
    assert.equal(missing.body.type, '/msg/missing-token');
    const res = await fetch(`${sim.url}/documents/validation`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(res.status, 415);
    const body = await res.json() as Record<string, unknown>;
    assert.equal(body.type, 'about:blank');
    assert.equal(body.instance, '/v1/documents/validation');
    assert.equal(body.traceID, undefined);
  });

  test('validate-and-create: a JWT that does not match the CDA fails before any workflow id (validation family)', async () => {
    const pdf = await cdaPdf('SIM-VC-JWT');
    const tokens = await producerTokens(producer, { resource_hl7_type: "('11502-2^^2.16.840.1.113883.6.1')" }, pdf);
    const res = await postMultipart(`${sim.url}/documents/validate-and-create`, 'POST', pdf, creationBody(docId('SIM-VC-JWT')), tokenHeaders(tokens));
    assert.equal(res.status, 403);
    assert.equal(res.body.instance, '/jwt-document-type');
    assert.equal(res.body.workflowInstanceId, 'UNKNOWN_WORKFLOW_ID');
    assert.deepEqual(sim.events.map((e) => `${e.eventType}/${e.eventStatus}`), ['VALIDATION/BLOCKING_ERROR']);
  });
});
