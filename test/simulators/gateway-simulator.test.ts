import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { GatewaySimulator } from '../../src/simulators/gateway/gateway-simulator.js';
import { call, CLAIMS, cdaPdf, creationBody, docId, freshPki, postMultipart, producerTokens, signerOf, tokenHeaders, type Signer, simulatorPerSuite } from './sim-fixtures.js';

const VALIDATION_BODY = '{"activity":"VALIDATION","mode":"ATTACHMENT"}';

describe('national Gateway simulator', () => {
  let sim: GatewaySimulator;
  let producer: Signer;
  simulatorPerSuite((s) => { sim = s.sim; producer = s.producer; });

  const validateDoc = async (pdf: Uint8Array) => {
    const res = await postMultipart(`${sim.url}/documents/validation`, 'POST', pdf, VALIDATION_BODY, tokenHeaders(await producerTokens(producer)));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return String(res.body.workflowInstanceId);
  };
  const publish = async (pdf: Uint8Array, body: string, claims: Record<string, unknown> = CLAIMS.create) =>
    postMultipart(`${sim.url}/documents`, 'POST', pdf, body, tokenHeaders(await producerTokens(producer, claims, pdf)));

  test('validation then publication consumes the record: a second publication is 400 /msg/cda-match', async () => {
    const pdf = await cdaPdf('SIM-PUB-1');
    const wid = await validateDoc(pdf);
    const first = await publish(pdf, creationBody(docId('SIM-PUB-1'), { workflowInstanceId: wid }));
    assert.equal(first.status, 202, JSON.stringify(first.body));
    assert.deepEqual(Object.keys(first.body).sort(), ['spanID', 'traceID', 'warning', 'workflowInstanceId']);
    assert.equal(first.body.workflowInstanceId, wid);
    assert.equal(first.body.warning, '');
    const second = await publish(pdf, creationBody(docId('SIM-PUB-1')));
    assert.equal(second.status, 400);
    assert.equal(second.headers.get('content-type'), 'application/problem+json');
    assert.equal(second.body.type, '/msg/cda-match');
    assert.equal(second.body.detail, 'Il CDA non risulta validato');
    assert.equal(sim.documents.get(docId('SIM-PUB-1'))?.publications, 1);
  });

  test('a workflowInstanceId mismatch is refused without consuming the record', async () => {
    const pdf = await cdaPdf('SIM-PUB-2');
    const wid = await validateDoc(pdf);
    const wrong = await publish(pdf, creationBody(docId('SIM-PUB-2'), { workflowInstanceId: `${wid}x` }));
    assert.equal(wrong.body.type, '/msg/cda-match');
    assert.equal((await publish(pdf, creationBody(docId('SIM-PUB-2'), { workflowInstanceId: wid }))).status, 202);
  });

  test('a wrong attachment_hash fails after the record is consumed (one validation = one attempt)', async () => {
    const pdf = await cdaPdf('SIM-PUB-3');
    await validateDoc(pdf);
    const other = await cdaPdf('SIM-OTHER');
    const tokens = await producerTokens(producer, CLAIMS.create, other);
    const res = await postMultipart(`${sim.url}/documents`, 'POST', pdf, creationBody(docId('SIM-PUB-3')), tokenHeaders(tokens));
    assert.equal(res.status, 400);
    assert.equal(res.body.type, '/msg/document-hash');
    assert.equal((await publish(pdf, creationBody(docId('SIM-PUB-3')))).body.type, '/msg/cda-match');
  });

  test('publication body: missing mandatory field and unknown field', async () => {
    const pdf = await cdaPdf('SIM-BODY');
    const missing = JSON.parse(creationBody(docId('SIM-BODY'))) as Record<string, unknown>;
    delete missing.identificativoRep;
    const a = await publish(pdf, JSON.stringify(missing));
    assert.equal(a.status, 400);
    assert.equal(a.body.detail, 'Il campo identificativo rep deve essere valorizzato.');
    const b = await publish(pdf, creationBody(docId('SIM-BODY'), { extra: 1 }));
    assert.equal(b.body.detail, "Parametro non riconosciuto all'interno della request nella conversione di PublicationCreationReqDTO");
  });

  test('replace of an unknown id -> 404 /msg/record-not-found; of a published one -> 202', async () => {
    const pdf = await cdaPdf('SIM-REPL-NEW');
    await validateDoc(pdf);
    const unknown = encodeURIComponent(docId('SIM-NEVER'));
    const body = creationBody(docId('SIM-REPL-NEW'));
    const headers = tokenHeaders(await producerTokens(producer, CLAIMS.replace, pdf));
    const res = await postMultipart(`${sim.url}/documents/${unknown}`, 'PUT', pdf, body, headers);
    assert.equal(res.status, 404);
    assert.equal(res.body.type, '/msg/record-not-found');

    const old = await cdaPdf('SIM-REPL-OLD');
    await validateDoc(old);
    assert.equal((await publish(old, creationBody(docId('SIM-REPL-OLD')))).status, 202);
    await validateDoc(pdf);
    const replaced = await postMultipart(`${sim.url}/documents/${encodeURIComponent(docId('SIM-REPL-OLD'))}`, 'PUT', pdf, body,
      tokenHeaders(await producerTokens(producer, CLAIMS.replace, pdf)));
    assert.equal(replaced.status, 202, JSON.stringify(replaced.body));
    assert.equal(sim.documents.get(docId('SIM-REPL-OLD'))?.state, 'replaced');
    assert.equal(sim.documents.get(docId('SIM-REPL-NEW'))?.replaces, docId('SIM-REPL-OLD'));
  });

  test('validate-and-create publishes in one call; delete then answers 200, a second delete 404', async () => {
    const pdf = await cdaPdf('SIM-VC');
    const headers = tokenHeaders(await producerTokens(producer, CLAIMS.create, pdf));
    const res = await postMultipart(`${sim.url}/documents/validate-and-create`, 'POST', pdf, creationBody(docId('SIM-VC')), headers);
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const types = sim.events.filter((e) => e.workflowInstanceId === res.body.workflowInstanceId).map((e) => e.eventType);
    assert.deepEqual(types, ['VALIDATION_FOR_PUBLICATION', 'PUBLICATION', 'SEND_TO_INI']);
    const url = `${sim.url}/documents/${encodeURIComponent(docId('SIM-VC'))}`;
    const del = tokenHeaders(await producerTokens(producer, CLAIMS.delete));
    assert.equal((await call(url, 'DELETE', del)).status, 200);
    assert.equal(sim.documents.get(docId('SIM-VC'))?.state, 'deleted');
    const again = await call(url, 'DELETE', del);
    assert.equal(again.status, 404);
    assert.equal(again.body.type, '/msg/record-not-found');
  });

  test('metadata update of a published document -> 200 (JSON body)', async () => {
    const pdf = await cdaPdf('SIM-META');
    await validateDoc(pdf);
    await publish(pdf, creationBody(docId('SIM-META')));
    const headers = { ...tokenHeaders(await producerTokens(producer, CLAIMS.update)), 'Content-Type': 'application/json' };
    const json = JSON.stringify({ tipoDocumentoLivAlto: 'LDO', tipologiaStruttura: 'Ospedale', assettoOrganizzativo: 'AD_PSC001', tipoAttivitaClinica: 'CON', identificativoSottomissione: 'x' });
    const res = await call(`${sim.url}/documents/${encodeURIComponent(docId('SIM-META'))}/metadata-iti-57`, 'PUT', headers, json);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(sim.documents.get(docId('SIM-META'))?.metadataUpdates, 1);
  });

  test('status API: events of a workflow, of a trace; unknown id, UNKNOWN_WORKFLOW_ID, other region', async () => {
    const pdf = await cdaPdf('SIM-STATUS');
    const wid = await validateDoc(pdf);
    const published = await publish(pdf, creationBody(docId('SIM-STATUS')));
    const bearer = { Authorization: `Bearer ${(await producerTokens(producer)).authorization}` };
    const res = await call(`${sim.url}/status/${encodeURIComponent(wid)}`, 'GET', bearer);
    assert.equal(res.status, 200);
    const events = res.body.transactionData as { eventType: string; eventStatus: string; issuer: string; traceId: string }[];
    assert.deepEqual(events.map((e) => `${e.eventType}/${e.eventStatus}`), ['VALIDATION/SUCCESS', 'PUBLICATION/SUCCESS', 'SEND_TO_INI/SUCCESS']);
    assert.match(events[0]?.issuer ?? '', /^integrity:S1#120/);
    const byTrace = await call(`${sim.url}/status/search/${String(published.body.traceID)}`, 'GET', bearer);
    assert.deepEqual((byTrace.body.transactionData as { eventType: string }[]).map((e) => e.eventType), ['PUBLICATION', 'SEND_TO_INI']);
    assert.equal((await call(`${sim.url}/status/nope`, 'GET', bearer)).status, 404);
    const unknown = await call(`${sim.url}/status/UNKNOWN_WORKFLOW_ID`, 'GET', bearer);
    assert.equal(unknown.body.type, '/msg/wii');
    const otherRegion = signerOf(freshPki('S1#030201234567XX'));
    const foreign = { Authorization: `Bearer ${(await producerTokens(otherRegion)).authorization}` };
    const denied = await call(`${sim.url}/status/${encodeURIComponent(wid)}`, 'GET', foreign);
    assert.equal(denied.status, 401);
    assert.equal(denied.body.type, '/msg/unauthorized');
  });

  test('HTTP control API: injected error, 429, reset outage, reset', async () => {
    const control = (p: string, body?: unknown, method = 'POST') =>
      call(`${sim.url.replace(/\/v1$/, '')}/__sim/${p}`, method, { 'Content-Type': 'application/json' }, body === undefined ? undefined : JSON.stringify(body));
    const problem = { type: '/msg/generic-error', title: 'Errore generico.', status: 500, detail: 'boom' };
    assert.equal((await control('errors', { operation: 'status', status: 500, body: problem, count: 1 })).status, 200);
    const bearer = { Authorization: `Bearer ${(await producerTokens(producer)).authorization}` };
    const injected = await call(`${sim.url}/status/search/abc`, 'GET', bearer);
    assert.equal(injected.status, 500);
    assert.deepEqual(injected.body, problem);
    await control('rate-limit', { count: 1 });
    assert.equal((await call(`${sim.url}/status/search/abc`, 'GET', bearer)).status, 429);
    assert.equal((await call(`${sim.url}/status/search/abc`, 'GET', bearer)).status, 404);
    await control('outage', { mode: 'reset', durationMs: 60_000 });
    await assert.rejects(fetch(`${sim.url}/status/search/abc`, { headers: bearer }));
    assert.equal((await control('outage', undefined, 'DELETE')).status, 200);
    assert.equal((await call(`${sim.url}/status/search/abc`, 'GET', bearer)).status, 404);
    // `after`: the first matching calls are answered normally, then the error (a refusal of the second call of a kind).
    assert.equal((await control('errors', { operation: 'status', status: 500, body: problem, count: 1, after: 1 })).status, 200);
    assert.deepEqual([(await call(`${sim.url}/status/search/abc`, 'GET', bearer)).status, (await call(`${sim.url}/status/search/abc`, 'GET', bearer)).status,
      (await call(`${sim.url}/status/search/abc`, 'GET', bearer)).status], [404, 500, 404]);
    assert.ok(sim.received.length > 0);
    await control('reset');
    assert.equal(sim.received.length, 0);
  });
});
