import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isFseError } from '../../src/errors/fse-error.ts';
import { checkCorrelation, loincFromResourceHl7Type } from '../../src/simulators/gateway/class-type-correlation.ts';
import type { GatewaySimulator } from '../../src/simulators/gateway/gateway-simulator.ts';
import { call, cdaPdf, CLAIMS, creationBody, docId, postMultipart, producerTokens, tokenHeaders, type Signer, simulatorPerSuite } from './sim-fixtures.ts';

const NULL = 'Uno tra tipo documento o tipo documento livello alto risulta essere null';
const NONE = "Non c'è correlazione tra tipo documento e tipo documento livello alto";

function fails(loinc: string | undefined, classCode: string | undefined, detail: string): void {
  assert.throws(() => checkCorrelation(loinc, classCode), (err: unknown) =>
    isFseError(err) && err.code === 'validator' && err.detail === detail && err.instance === '/msg/validator');
}

describe('classCode <-> typeCode correlation (Gateway API digest, 10.12)', () => {
  test('reads the LOINC code of resource_hl7_type', () => {
    assert.equal(loincFromResourceHl7Type("('34105-7^^2.16.840.1.113883.6.1')"), '34105-7');
    assert.equal(loincFromResourceHl7Type("('11502-2^^2.16.840.1.113883.6.1'),('x^^y')"), '11502-2');
    assert.equal(loincFromResourceHl7Type(undefined), undefined);
    assert.equal(loincFromResourceHl7Type("('')"), undefined);
  });

  test('accepts each LOINC with its classCode', () => {
    for (const [loinc, cls] of [['34105-7', 'LDO'], ['18842-5', 'LDO'], ['11502-2', 'REF'], ['60591-5', 'SUM'],
      ['104531-9', 'CRT'], ['103147-5', 'PRE'], ['53576-5', 'TAC'], ['108276-7', 'LET'], ['101134-5', 'PRO'], ['100971-1', 'COL']]) {
      assert.doesNotThrow(() => checkCorrelation(loinc, cls), `${loinc} ${cls}`);
    }
  });

  test('a known pair that does not correlate', () => {
    fails('34105-7', 'REF', NONE);
    fails('11502-2', 'LDO', NONE);
  });

  test('unknown LOINC (placeholders, 102033-8, main-only 28653-4) or missing classCode count as null', () => {
    fails('102033-8', 'REF', NULL);
    fails('28653-4', 'CRT', NULL);
    fails('LOINC_CODE_1', 'LET', NULL);
    fails(undefined, 'LDO', NULL);
    fails('34105-7', undefined, NULL);
    fails('34105-7', 'XXX', NULL);
  });
});

describe('the Gateway simulator applies the correlation at the dispatcher\'s step (digest 3.3 step 9, 3.6, 3.7)', () => {
  let sim: GatewaySimulator;
  let producer: Signer;
  simulatorPerSuite((s) => { sim = s.sim; producer = s.producer; });

  const validated = async (ext: string) => {
    const pdf = await cdaPdf(ext);
    const res = await postMultipart(`${sim.url}/documents/validation`, 'POST', pdf, '{"activity":"VALIDATION","mode":"ATTACHMENT"}',
      tokenHeaders(await producerTokens(producer)));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return pdf;
  };

  test('creation with an LDO document declared REF: 400 /msg/validator, before the record is looked up', async () => {
    const pdf = await validated('SIM-CORR-1');
    const headers = tokenHeaders(await producerTokens(producer, CLAIMS.create, pdf));
    const refused = await postMultipart(`${sim.url}/documents`, 'POST', pdf, creationBody(docId('SIM-CORR-1'), { tipoDocumentoLivAlto: 'REF' }), headers);
    assert.equal(refused.status, 400);
    assert.equal(refused.body.type, '/msg/validator');
    assert.equal(refused.body.instance, '/msg/validator');
    assert.equal(refused.body.detail, NONE);
    const accepted = await postMultipart(`${sim.url}/documents`, 'POST', pdf, creationBody(docId('SIM-CORR-1')), headers);
    assert.equal(accepted.status, 202, 'the record was not consumed by the refused call');
  });

  test('validate-and-create: a validation-family error, before any workflow id', async () => {
    const pdf = await cdaPdf('SIM-CORR-2');
    const res = await postMultipart(`${sim.url}/documents/validate-and-create`, 'POST', pdf, creationBody(docId('SIM-CORR-2'), { tipoDocumentoLivAlto: 'XXX' }),
      tokenHeaders(await producerTokens(producer, CLAIMS.create, pdf)));
    assert.equal(res.status, 400);
    assert.equal(res.body.detail, NULL);
    assert.equal(res.body.workflowInstanceId, 'UNKNOWN_WORKFLOW_ID');
  });

  test('metadata update whose classCode does not correlate with resource_hl7_type: 400 /msg/validator', async () => {
    const pdf = await validated('SIM-CORR-3');
    await postMultipart(`${sim.url}/documents`, 'POST', pdf, creationBody(docId('SIM-CORR-3')), tokenHeaders(await producerTokens(producer, CLAIMS.create, pdf)));
    const headers = { ...tokenHeaders(await producerTokens(producer, CLAIMS.update)), 'Content-Type': 'application/json' };
    const json = JSON.stringify({ tipoDocumentoLivAlto: 'REF', tipologiaStruttura: 'Ospedale', assettoOrganizzativo: 'AD_PSC001', tipoAttivitaClinica: 'CON', identificativoSottomissione: 'x' });
    const res = await call(`${sim.url}/documents/${encodeURIComponent(docId('SIM-CORR-3'))}/metadata-iti-57`, 'PUT', headers, json);
    assert.equal(res.status, 400);
    assert.equal(res.body.detail, NONE);
    assert.equal(sim.documents.get(docId('SIM-CORR-3'))?.metadataUpdates, 0);
  });
});
