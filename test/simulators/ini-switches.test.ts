import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { Submission } from '../../src/domain/xds.js';
import { decodeRegistryResponse } from '../../src/ebxml/registry-response.js';
import { EBXML_NS } from '../../src/ebxml/rim-read.js';
import { encodeRegistryObjectList } from '../../src/ebxml/submit-objects-request.js';
import { SoapTransportError, type SoapCaller } from '../../src/soap-wire/soap-client.js';
import { SOAP_ACTION } from '../../src/metadata/vocabulary.js';
import { buildSignedAssertion } from '../../src/saml/assertion-signer.js';
import { startIniSimulator, type IniSimulator } from '../../src/simulators/ini/ini-simulator.js';
import { startRegionStub, type RegionStub } from '../support/region-stub.js';
import {
  attackerSigner, callerAssertion, callerAssertionInput, callerSigner, callerTrust, CALLER_ISSUERS, callIni, iniSigner,
  readResponseBody, testCaller, verifyIniAssertion,
} from '../support/region-stub-fixtures.js';
import { aDocumentEntry, aSubmission, PATIENT } from '../support/xds-builders.js';

/**
 * The INI simulator's security and fault switches: every call needs a valid signed assertion (a refusal is a Sender
 * fault with the subcode of its reason, and nothing is indexed or forwarded); latency; outages (`refuse`, `503`),
 * programmatic and over `/__ini/`. See: xds-ini digest 2.1, 2.6, 7.6.
 */

const HOUR = 3600_000;

const aPublication = (): Submission => aSubmission([{ entry: aDocumentEntry({ hash: 'c'.repeat(40), size: 30 }) }]);
const body = (submission: Submission) => (p: Parameters<typeof encodeRegistryObjectList>[1]) =>
  void encodeRegistryObjectList(submission, p.ele(EBXML_NS.lcm, 'lcm:SubmitObjectsRequest'));

describe('INI simulator: assertions and switches', () => {
  let ini: IniSimulator;
  let lombardy: RegionStub;
  let caller: SoapCaller;

  before(async () => {
    lombardy = await startRegionStub({ code: '030', verify: verifyIniAssertion });
    ini = await startIniSimulator({
      signer: iniSigner, trustedSigners: callerTrust, allowedIssuers: CALLER_ISSUERS, regions: [lombardy.region], patients: { [PATIENT]: '030' },
    });
    caller = testCaller();
  });
  after(async () => {
    await caller.close();
    await ini.stop();
    await lombardy.stop();
  });
  beforeEach(async () => {
    await ini.control.reset();
    lombardy.received.length = 0;
  });

  /** Sends an ITI-42 with `assertion` and expects a Sender fault with `subcode`, nothing indexed nor forwarded. */
  const refused = async (assertion: string | undefined, subcode: string) => {
    const submission = aPublication();
    const res = await callIni(caller, ini.services.registry, SOAP_ACTION.iti42, body(submission), assertion);
    assert.equal(res.status, 400);
    assert.throws(() => readResponseBody(res, decodeRegistryResponse), (err: unknown) => {
      assert.ok(err instanceof SoapTransportError);
      assert.equal(err.reason, 'fault');
      assert.match(err.message, new RegExp(`^SOAP fault ${subcode}:`));
      return true;
    });
    assert.equal(ini.index.versionsOf(submission.documents[0]?.entry.uniqueId ?? '').length, 0);
    assert.equal(lombardy.received.length, 0);
    assert.deepEqual([ini.received.at(-1)?.status, ini.received.at(-1)?.faultSubcode], ['Fault', subcode]);
  };

  test('no assertion, a foreign signer, an expired assertion, an incoherent action-id, an issuer not allowed: faults', async () => {
    await refused(undefined, 'wsse:InvalidSecurityToken');
    await refused(callerAssertion(PATIENT, {}, attackerSigner), 'wsse:FailedAuthentication');
    const past = new Date(Date.now() - 3 * HOUR);
    await refused(buildSignedAssertion({ ...callerAssertionInput(PATIENT), now: past }, callerSigner).xml, 'wsse:InvalidSecurityToken');
    await refused(callerAssertion(PATIENT, { actionId: 'READ' }), 'wsse:FailedAuthentication');
    await refused(buildSignedAssertion(callerAssertionInput(PATIENT, { organizationId: '050', organization: 'Regione Veneto' }, { issuer: '050' }), callerSigner).xml,
      'wsse:FailedAuthentication');
    const ok = await callIni(caller, ini.services.registry, SOAP_ACTION.iti42, body(aPublication()), callerAssertion(PATIENT));
    assert.equal(readResponseBody(ok, decodeRegistryResponse).status, 'Success', 'the same call with a good assertion passes');
  });

  test('an action the service does not serve is wsa:ActionNotSupported', async () => {
    const res = await callIni(caller, ini.services.update, SOAP_ACTION.iti42, body(aPublication()), callerAssertion(PATIENT));
    assert.throws(() => readResponseBody(res, decodeRegistryResponse), /wsa:ActionNotSupported/);
  });

  test('latency: a caller whose deadline is shorter than the latency times out; without it the call passes', async () => {
    const impatient = testCaller(300);
    try {
      ini.control.setLatency(2000);
      await assert.rejects(callIni(impatient, ini.services.registry, SOAP_ACTION.iti42, body(aPublication()), callerAssertion(PATIENT)),
        (err: unknown) => err instanceof SoapTransportError && err.reason === 'timeout');
      ini.control.setLatency(0);
      const res = await callIni(impatient, ini.services.registry, SOAP_ACTION.iti42, body(aPublication()), callerAssertion(PATIENT));
      assert.equal(readResponseBody(res, decodeRegistryResponse).status, 'Success');
    } finally {
      ini.control.setLatency(0);
      await impatient.close();
    }
  });

  test('outage refuse closes the port, 503 answers as a proxy, both end; the same over /__ini/', async () => {
    const send = () => callIni(caller, ini.services.registry, SOAP_ACTION.iti42, body(aPublication()), callerAssertion(PATIENT));
    await ini.control.setOutage('refuse');
    await assert.rejects(send(), (err: unknown) => err instanceof SoapTransportError && err.reason === 'unreachable');
    await ini.control.setOutage(false);
    assert.equal(readResponseBody(await send(), decodeRegistryResponse).status, 'Success');

    const control = (path: string, method: string, json?: unknown) => fetch(`${ini.url}/__ini/${path}`, {
      method, headers: { 'content-type': 'application/json' }, body: json === undefined ? undefined : JSON.stringify(json),
    });
    assert.equal((await control('outage', 'POST', { mode: '503', durationMs: 60_000 })).status, 200);
    const unavailable = await send();
    assert.equal(unavailable.status, 503);
    assert.throws(() => readResponseBody(unavailable, decodeRegistryResponse), (err: unknown) => err instanceof SoapTransportError && err.reason === 'malformed');
    assert.equal((await control('outage', 'DELETE')).status, 200);
    assert.equal(readResponseBody(await send(), decodeRegistryResponse).status, 'Success');
    assert.equal((await control('outage', 'POST', { mode: 'refuse' })).status, 400, 'a refuse outage needs a duration');

    const received = await (await control('received', 'GET')).json() as { operation?: string; status?: string }[];
    assert.deepEqual(received.map((r) => `${r.operation}/${r.status}`), ['iti42/Success', 'iti42/Success']);
    const documents = await (await control('documents', 'GET')).json() as unknown[];
    assert.equal(documents.length, 2);
    assert.equal((await control('latency', 'PUT', { ms: 5 })).status, 200);
    assert.equal(ini.control.switches.latencyMs, 5);
    assert.equal((await control('reset', 'POST')).status, 200);
    assert.equal(ini.received.length, 0);
    assert.equal(ini.index.entryCount, 0);
    assert.equal(ini.control.switches.latencyMs, 0);
  });
});
