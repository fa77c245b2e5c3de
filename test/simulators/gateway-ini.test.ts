import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { DevPki } from '../../src/certs/dev-ca.js';
import { SOAP_ACTION } from '../../src/metadata/vocabulary.js';
import { sha1Hex } from '../../src/pdf/hashes.js';
import type { GatewaySimulator, StatusEvent } from '../../src/simulators/gateway/gateway-simulator.js';
import { INI_BLOCKING_MESSAGE, INI_TIMEOUT_MESSAGE } from '../../src/simulators/gateway/ini-leg.js';
import { startIniSimulator, type IniSimulator } from '../../src/simulators/ini/ini-simulator.js';
import { startRegionStub, type RegionStub } from '../support/region-stub.js';
import { callerSigner, callerTrust, iniSigner, verifyIniAssertion } from '../support/region-stub-fixtures.js';
import { SAMPLE_PATIENT } from '../support/xds-submissions.js';
import {
  call, CLAIMS, cdaPdf, creationBody, docId, freshPki, postMultipart, producerTokens, signerOf, startSimulator, tokenHeaders,
  type Signer,
} from './sim-fixtures.js';

/**
 * The Gateway simulator's INI leg against the INI simulator and a region standing for the patient's RDA: what a
 * producer does through the Gateway (validate-and-create, replace, metadata update, delete) reaches INI's index and
 * the RDA, with the Gateway's SAML of digest 7.3, and the `iniFailure` switch fakes the reconciliation cases.
 * See: xds-ini digest 1.2, 4.2, 4.4-4.7, 7.3; Gateway API digest 8.3.
 */

const VALIDATION_BODY = '{"activity":"VALIDATION","mode":"ATTACHMENT"}';

describe('Gateway simulator with INI behind it', () => {
  let pki: DevPki;
  let producer: Signer;
  let rda: RegionStub;
  let ini: IniSimulator;
  let gateway: GatewaySimulator;

  before(async () => {
    pki = freshPki();
    producer = signerOf(pki);
    rda = await startRegionStub({ code: '120', verify: verifyIniAssertion });
    ini = await startIniSimulator({
      signer: iniSigner, trustedSigners: callerTrust, allowedIssuers: ['120'], regions: [rda.region], patients: { [SAMPLE_PATIENT]: '120' },
    });
    gateway = await startSimulator([pki.caCert], { ini: { url: ini.url, signer: callerSigner } });
  });
  after(async () => {
    await gateway.stop();
    await ini.stop();
    await rda.stop();
  });
  beforeEach(async () => {
    await gateway.control.reset();
    await ini.control.reset();
    rda.received.length = 0;
  });

  const validateAndCreate = async (pdf: Uint8Array, id: string) => {
    const headers = tokenHeaders(await producerTokens(producer, CLAIMS.create, pdf));
    const res = await postMultipart(`${gateway.url}/documents/validate-and-create`, 'POST', pdf, creationBody(id), headers);
    assert.equal(res.status, 202, JSON.stringify(res.body));
    await gateway.control.iniSettled();
    return String(res.body.workflowInstanceId);
  };
  const eventsOf = (id: string, types: readonly string[]): string[] => gateway.events
    .filter((e: StatusEvent) => e.identificativoDocumento === id && types.includes(e.eventType))
    .map((e) => `${e.eventType}/${e.eventStatus}${e.eventStatus === 'SUCCESS' ? '' : `:${e.message ?? ''}`}`);
  const INI_EVENTS = ['SEND_TO_INI', 'RIFERIMENTI_INI', 'INI_UPDATE', 'INI_DELETE'];

  test('validate-and-create reaches INI (ITI-42 as buildSubmission makes it) and the RDA; SEND_TO_INI comes after the 202', async () => {
    const pdf = await cdaPdf('GWINI-CREATE');
    const id = docId('GWINI-CREATE');
    const wid = await validateAndCreate(pdf, id);
    assert.deepEqual(gateway.events.filter((e) => e.workflowInstanceId === wid).map((e) => `${e.eventType}/${e.eventStatus}`),
      ['VALIDATION_FOR_PUBLICATION/SUCCESS', 'PUBLICATION/SUCCESS', 'SEND_TO_INI/SUCCESS']);

    const entry = ini.index.approvedOf(id);
    assert.ok(entry, 'INI indexed the document');
    assert.equal(entry.hash, sha1Hex(pdf));
    assert.equal(entry.size, pdf.length);
    assert.equal(entry.patientId, SAMPLE_PATIENT);
    assert.equal(entry.repositoryUniqueId, '2.16.840.1.113883.2.9.2.120.4.5.1');
    assert.equal(entry.classCode.code, 'LDO');
    const register = ini.received.find((r) => r.operation === 'iti42');
    assert.deepEqual([register?.samlIssuer, register?.samlRole, register?.samlActionId, register?.samlPurpose, register?.patientId],
      ['120', 'AAS', 'CREATE', 'TREATMENT', SAMPLE_PATIENT]);
    assert.deepEqual(rda.received.map((r) => [r.action, r.submission?.documents[0]?.entry.uniqueId, r.saml?.issuer]), [[SOAP_ACTION.iti42, id, '000']]);
  });

  test('replace, metadata update and delete follow on INI: RPLC, a new version, removal; each with its events', async () => {
    const oldId = docId('GWINI-OLD');
    await validateAndCreate(await cdaPdf('GWINI-OLD'), oldId);
    const oldEntry = ini.index.approvedOf(oldId);
    assert.ok(oldEntry);

    const newPdf = await cdaPdf('GWINI-NEW');
    const newId = docId('GWINI-NEW');
    const validation = await postMultipart(`${gateway.url}/documents/validation`, 'POST', newPdf, VALIDATION_BODY, tokenHeaders(await producerTokens(producer)));
    assert.equal(validation.status, 201, JSON.stringify(validation.body));
    const replaced = await postMultipart(`${gateway.url}/documents/${encodeURIComponent(oldId)}`, 'PUT', newPdf, creationBody(newId),
      tokenHeaders(await producerTokens(producer, CLAIMS.replace, newPdf)));
    assert.equal(replaced.status, 202, JSON.stringify(replaced.body));
    await gateway.control.iniSettled();
    assert.deepEqual(eventsOf(newId, INI_EVENTS), ['SEND_TO_INI/SUCCESS']);
    assert.equal(ini.index.entry(oldEntry.entryUuid)?.status, 'Deprecated');
    assert.ok(ini.index.approvedOf(newId));
    const lookup = ini.received.find((r) => r.service === 'references');
    assert.deepEqual([lookup?.samlRole, lookup?.samlActionId, lookup?.samlPurpose], ['GTW', 'READ', 'UPDATE'], 'the Gateway reads as GTW');
    const rplc = rda.received.at(-1)?.submission?.associations.find((a) => a.type === 'RPLC');
    assert.equal(rplc?.targetUuid, oldEntry.entryUuid);
    assert.equal(ini.received.filter((r) => r.operation === 'iti42').at(-1)?.samlActionId, 'UPDATE');

    const metadata = JSON.stringify({
      tipoDocumentoLivAlto: 'LDO', tipologiaStruttura: 'Ospedale', assettoOrganizzativo: 'AD_PSC001', tipoAttivitaClinica: 'CON',
      identificativoSottomissione: '2.16.840.1.113883.2.9.2.120.4.3.77', dataInizioPrestazione: '20260101080000',
    });
    const headers = { ...tokenHeaders(await producerTokens(producer, CLAIMS.update)), 'Content-Type': 'application/json' };
    const updated = await call(`${gateway.url}/documents/${encodeURIComponent(newId)}/metadata-iti-57`, 'PUT', headers, metadata);
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    await gateway.control.iniSettled();
    assert.deepEqual(eventsOf(newId, INI_EVENTS), ['SEND_TO_INI/SUCCESS', 'RIFERIMENTI_INI/SUCCESS', 'INI_UPDATE/SUCCESS']);
    const versions = ini.index.versionsOf(newId);
    assert.deepEqual(versions.map((v) => [v.version, v.status]), [[2, 'Approved'], [1, 'Deprecated']]);
    assert.equal(versions[0]?.serviceStartTime, '20260101080000');
    assert.equal(rda.received.at(-1)?.action, SOAP_ACTION.iti57);

    const deleted = await call(`${gateway.url}/documents/${encodeURIComponent(newId)}`, 'DELETE', tokenHeaders(await producerTokens(producer, CLAIMS.delete)));
    assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
    await gateway.control.iniSettled();
    assert.deepEqual(eventsOf(newId, INI_EVENTS).slice(-2), ['RIFERIMENTI_INI/SUCCESS', 'INI_DELETE/SUCCESS']);
    const found = gateway.events.filter((e) => e.identificativoDocumento === newId && e.eventType === 'RIFERIMENTI_INI').at(-1)?.message ?? '';
    for (const v of versions) assert.ok(found.includes(v.entryUuid), `${found} names ${v.entryUuid}`);
    assert.equal(ini.index.versionsOf(newId).length, 0);
    assert.deepEqual(rda.received.at(-1)?.removed, versions.map((v) => v.entryUuid));
    assert.equal(ini.received.filter((r) => r.operation === 'delete').at(-1)?.samlActionId, 'DELETE');
  });

  test('a second, different document under the same uniqueId: accepted by the Gateway, refused by INI (BLOCKING_ERROR)', async () => {
    const id = docId('GWINI-DUP');
    await validateAndCreate(await cdaPdf('GWINI-DUP'), id);
    await validateAndCreate(await cdaPdf('GWINI-DUP-OTHER'), id);
    const events = eventsOf(id, ['SEND_TO_INI']);
    assert.equal(events.length, 2);
    assert.equal(events[0], 'SEND_TO_INI/SUCCESS');
    assert.match(events[1] ?? '', /^SEND_TO_INI\/BLOCKING_ERROR:SEVERITY:ErrorERROR_CODE:XDSDuplicateUniqueIdInRegistryCODE CONTEXT:/);
    assert.equal(ini.index.versionsOf(id).length, 1);
  });

  test('iniFailure blocking: nothing sent, SEND_TO_INI BLOCKING_ERROR; timeout-after-indexing: indexed on INI, recorded as a timeout', async () => {
    gateway.control.setIniFailure('blocking');
    const blocked = docId('GWINI-BLOCKED');
    await validateAndCreate(await cdaPdf('GWINI-BLOCKED'), blocked);
    assert.deepEqual(eventsOf(blocked, INI_EVENTS), [`SEND_TO_INI/BLOCKING_ERROR:${INI_BLOCKING_MESSAGE}`]);
    assert.equal(ini.index.versionsOf(blocked).length, 0);
    assert.equal(ini.received.length, 0);
    assert.equal(rda.received.length, 0);

    const control = await fetch(`${gateway.url.replace(/\/v1$/, '')}/__sim/ini-failure`, {
      method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'timeout-after-indexing' }),
    });
    assert.equal(control.status, 200);
    assert.equal(gateway.control.switches.iniFailure, 'timeout-after-indexing');
    const lost = docId('GWINI-LOST');
    await validateAndCreate(await cdaPdf('GWINI-LOST'), lost);
    assert.deepEqual(eventsOf(lost, INI_EVENTS), [`SEND_TO_INI/BLOCKING_ERROR:${INI_TIMEOUT_MESSAGE}`]);
    assert.ok(ini.index.approvedOf(lost), 'INI indexed it although the Gateway thinks it failed');
    assert.equal(rda.received.length, 1);

    gateway.control.setIniFailure('blocking');
    const del = await call(`${gateway.url}/documents/${encodeURIComponent(lost)}`, 'DELETE', tokenHeaders(await producerTokens(producer, CLAIMS.delete)));
    assert.equal(del.status, 200);
    await gateway.control.iniSettled();
    assert.deepEqual(eventsOf(lost, ['INI_DELETE']), [`INI_DELETE/BLOCKING_ERROR:${INI_BLOCKING_MESSAGE}`]);
    assert.ok(ini.index.approvedOf(lost), 'the blocked delete never reached INI');
  });
});
