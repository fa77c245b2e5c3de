import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../../src/app.js';
import { createDevPki } from '../../src/certs/dev-ca.js';
import { loadConfig } from '../../src/config.js';
import type { EntryUuid } from '../../src/domain/ids.js';
import { encodeAdhocQueryRequest } from '../../src/ebxml/adhoc-query-request.js';
import { decodeAdhocQueryResponse } from '../../src/ebxml/adhoc-query-response.js';
import { decodeRegistryResponse } from '../../src/ebxml/registry-response.js';
import { encodeRemoveObjectsRequest } from '../../src/ebxml/remove-objects-request.js';
import { silentLogger } from '../../src/logging/logger.js';
import { SOAP_ACTION } from '../../src/metadata/vocabulary.js';
import type { AssertionAttributeValues } from '../../src/saml/assertion-builder.js';
import { samlTrustFileJson } from '../../src/saml/saml-trust-file.js';
import { samlTrustStoreFromPem } from '../../src/saml/saml-trust-store.js';
import { startIniSimulator, type IniSimulator } from '../../src/simulators/ini/ini-simulator.js';
import { startBridge, type Harness } from '../support/bridge-harness.js';
import { doctorAttributes, samlParty, securityHeader, signedAssertion, trustFile } from '../support/saml-identities.js';
import { callSoap, faultOf, withBody, type SoapAnswer, type SoapCallOptions } from '../support/soap-calls.js';
import { docUniqueId, ldoSubmission, SAMPLE_PATIENT } from '../support/xds-submissions.js';

/*
 * Every trusted SAML signer is bound to the Issuers it may sign for (FSE_SAML_TRUST, the binding file). The hostile
 * finding: a hospital's pinned key signing an assertion with Issuer 000 was taken for INI, so its ITI-62 was applied
 * as INI's delete message (no Gateway, no INI) and its ITI-18 read as INI. Now such an assertion is not verified: the
 * same WS-Security fault as an untrusted signer, nothing removed, nothing read, no call made. INI's own key still
 * speaks for 000, and a production-default bridge refuses a caller with no identity. Real bridge, real signatures,
 * real Gateway and INI simulators whose recorded requests are checked. See: xds-ini digest 4.6, 4.8, 7.6.
 */
const hospital = samlParty('binding-hospital');
const ini = samlParty('binding-ini');
const attacker = samlParty('binding-attacker');

/** What INI's own messages say (digest 7.3: role INI, a maintenance purpose), with Issuer 000 below. */
const asIni = (overrides: Partial<AssertionAttributeValues>): AssertionAttributeValues =>
  doctorAttributes({ role: 'INI', purposeOfUse: 'UPDATE', organizationId: '000', organization: 'INI', ...overrides });
const as = (assertion: string): SoapCallOptions => ({ header: securityHeader(assertion) });
const findDocuments = { returnType: 'LeafClass' as const, query: { type: 'FindDocuments' as const, patientId: SAMPLE_PATIENT, statuses: ['Approved' as const] } };

describe('SAML signers bound to their Issuers', () => {
  let h: Harness;
  let iniSim: IniSimulator;
  const seeded = ldoSubmission('BIND-1');
  const entry = seeded.documents[0]!.entry;

  before(async () => {
    // A real INI the bridge federates with: any call the bridge made to it would be in `received`.
    iniSim = await startIniSimulator({
      signer: ini.signer, trustedSigners: samlTrustStoreFromPem(readFileSync(hospital.pki.signCert, 'utf8'), ['120']), allowedIssuers: ['120'],
    });
    h = await startBridge({
      FSE_SAML_TRUST: trustFile([{ party: hospital, issuers: ['120'] }, { party: ini, issuers: ['000'] }]), INI_URL: iniSim.url,
    }, { productionDefaults: true });
    await h.app.resources().registry.registerSubmission({
      ...seeded, documents: [{ entry: { ...entry, hash: 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3', size: 4 } }],
    });
  });
  after(async () => {
    await h?.stop();
    await iniSim?.stop();
  });

  /** The calls the Gateway and INI simulators received while `fn` ran. */
  async function callsDuring<T>(fn: () => Promise<T>): Promise<{ result: T; gateway: unknown[]; ini: unknown[] }> {
    const gatewayBefore = h.simulator?.received.length ?? 0;
    const iniBefore = iniSim.received.length;
    const result = await fn();
    return { result, gateway: h.simulator?.received.slice(gatewayBefore) ?? [], ini: iniSim.received.slice(iniBefore) };
  }
  const remove = (action: string, assertion: string) =>
    callSoap(h, 'registry', action, (p) => encodeRemoveObjectsRequest([entry.entryUuid as EntryUuid], p), as(assertion));
  const query = (assertion: string) => callSoap(h, 'registry', SOAP_ACTION.iti18, (p) => { encodeAdhocQueryRequest(findDocuments, p); }, as(assertion));
  const form = (answer: SoapAnswer) => ({ status: answer.status, ...faultOf(answer) });

  test('ITI-62 signed by a hospital\'s pinned key with Issuer 000: the untrusted signer\'s fault, the entry intact, no call', async () => {
    const untrusted = form(await remove(SOAP_ACTION.iniDelete, signedAssertion(attacker, asIni({ actionId: 'DELETE' }), { issuer: '000' })));
    assert.deepEqual([untrusted.status, untrusted.code, untrusted.subcode], [400, 'env:Sender', 'wsse:FailedAuthentication']);
    for (const action of [SOAP_ACTION.iniDelete, SOAP_ACTION.iti62]) {
      const hostile = signedAssertion(hospital, asIni({ actionId: 'DELETE' }), { issuer: '000' });
      const { result, gateway, ini: iniCalls } = await callsDuring(async () => form(await remove(action, hostile)));
      assert.deepEqual([result.status, result.code, result.subcode], [untrusted.status, untrusted.code, untrusted.subcode], `${action}: the same form as an untrusted signer`);
      assert.match(result.reason ?? '', /issuer 000 is not allowed for the certificate that signed the assertion/);
      assert.deepEqual([gateway, iniCalls], [[], []], `${action}: neither the Gateway nor INI was called`);
      const kept = await h.app.resources().registry.getDocumentEntry({ uniqueId: entry.uniqueId });
      assert.equal(kept?.status, 'Approved', `${action}: the registry entry is intact`);
    }
  });

  test('ITI-18 as "INI" under a hospital\'s key: refused, no reference to the entry leaks, no call', async () => {
    const hostile = signedAssertion(hospital, asIni({ actionId: 'READ' }), { issuer: '000' });
    const { result: answer, gateway, ini: iniCalls } = await callsDuring(() => query(hostile));
    const text = answer.raw.toString('utf8');
    assert.deepEqual([answer.status, faultOf(answer)?.subcode], [400, 'wsse:FailedAuthentication'], text.slice(0, 800));
    assert.ok(!text.includes(entry.entryUuid) && !text.includes(entry.uniqueId), 'no id of the entry in the answer');
    assert.deepEqual([gateway, iniCalls], [[], []]);
  });

  test('INI\'s own key with Issuer 000 is INI: it reads as INI and its delete message removes the entry, with no call', async () => {
    const read = await query(signedAssertion(ini, asIni({ actionId: 'READ' }), { issuer: '000' }));
    const found = withBody(read, (body) => decodeAdhocQueryResponse(body, 'LeafClass'));
    assert.equal(found.status, 'Success', JSON.stringify(found.errors));
    assert.deepEqual(found.result.kind === 'LeafClass' ? found.result.documentEntries.map((e) => e.uniqueId) : [], [docUniqueId('BIND-1')]);
    const { result: removed, gateway, ini: iniCalls } = await callsDuring(async () =>
      withBody(await remove(SOAP_ACTION.iniDelete, signedAssertion(ini, asIni({ actionId: 'DELETE' }), { issuer: '000' })), decodeRegistryResponse));
    assert.equal(removed.status, 'Success', JSON.stringify(removed.errors));
    assert.equal(await h.app.resources().registry.getDocumentEntry({ uniqueId: entry.uniqueId }), undefined, 'INI\'s delete message applied');
    assert.deepEqual([gateway, iniCalls], [[], []], 'INI\'s delete is applied locally');
  });

  test('the hospital still speaks for its own region; INI\'s key cannot speak for the hospital\'s', async () => {
    const own = await query(signedAssertion(hospital, doctorAttributes()));
    assert.equal(own.status, 200, own.raw.toString('utf8').slice(0, 800));
    const iniAsHospital = form(await query(signedAssertion(ini, doctorAttributes())));
    assert.deepEqual([iniAsHospital.status, iniAsHospital.subcode], [400, 'wsse:FailedAuthentication']);
  });

  test('production default: a SOAP call with no identity is refused', async () => {
    const answer = await callSoap(h, 'registry', SOAP_ACTION.iti18, (p) => { encodeAdhocQueryRequest(findDocuments, p); });
    assert.deepEqual([answer.status, faultOf(answer)?.subcode], [400, 'wsse:InvalidSecurity']);
  });
});

describe('FSE_SAML_TRUST must bind', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fse-saml-binding-'));
  const pki = createDevPki(path.join(dir, 'pki'));
  const compose = (trust: string) => createApp(loadConfig({ FSE_TRUSTED_CA: pki.caCert, GATEWAY_URL: 'http://127.0.0.1:9/v1', FSE_SAML_TRUST: trust }), silentLogger());
  const oneLine = (pattern: RegExp) => (err: Error) => {
    assert.match(err.message, pattern);
    assert.doesNotMatch(err.message, /\n/);
    return true;
  };

  test('a PEM bundle (the old format) stops the boot with one line saying what the file must now be', async () => {
    const bundle = path.join(dir, 'saml-trust.pem');
    writeFileSync(bundle, `${readFileSync(hospital.pki.signCert, 'utf8')}\n${readFileSync(ini.pki.signCert, 'utf8')}`);
    await assert.rejects(compose(bundle), oneLine(/^FSE_SAML_TRUST .*saml-trust\.pem is a PEM bundle, which binds no signer to an Issuer: it must now be a JSON file/));
  });

  test('a signer listed with no issuers stops the boot', async () => {
    const unbound = path.join(dir, 'unbound.json');
    writeFileSync(unbound, samlTrustFileJson([{ certificate: path.relative(dir, ini.pki.signCert), issuers: [] }]));
    await assert.rejects(compose(unbound), oneLine(/unbound\.json is invalid: signers\.0\.issuers: every signer lists at least one issuer/));
  });
});
