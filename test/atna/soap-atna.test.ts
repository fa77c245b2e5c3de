import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createAtnaRecorder } from '../../src/atna/atna-recorder.js';
import { createSyslogSender, type SyslogSender } from '../../src/atna/syslog-sender.js';
import { createDevPki, type DevPki } from '../../src/certs/dev-ca.js';
import { newTraceContext } from '../../src/logging/context.js';
import { silentLogger } from '../../src/logging/logger.js';
import { SOAP_ACTION } from '../../src/metadata/vocabulary.js';
import { SamlError } from '../../src/saml/saml-error.js';
import { NO_CLIENT_CERTIFICATES } from '../../src/soap/client-certificates.js';
import { handleSoap, type SoapHandler, type SoapRouterDeps } from '../../src/soap/soap-router.js';
import { NS, withXml } from '../../src/xml/xml-toolkit.js';
import { assertDicomAuditMessage, startTlsReceiver, type AtnaReceiver } from '../support/atna-receiver.js';
import { requestEnvelope } from '../support/soap-calls.js';

/**
 * The refusal path of the SOAP door: a SAML assertion that does not verify, or no assertion where one is required,
 * answers a WS-Security fault and sends IHE's Security Alert (node authentication failure) over real TLS.
 */
const QUERY = 'urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0';

describe('ATNA for refused credentials at the SOAP door', () => {
  let pki: DevPki;
  let receiver: AtnaReceiver;
  let sender: SyslogSender;
  let deps: SoapRouterDeps;
  let seen = 0;
  const handled: string[] = [];

  before(async () => {
    pki = createDevPki(path.join(mkdtempSync(path.join(os.tmpdir(), 'atna-soap-')), 'pki'));
    receiver = await startTlsReceiver(pki);
    sender = createSyslogSender({
      target: { transport: 'tls', host: '127.0.0.1', port: receiver.port }, maxQueue: 100, logger: silentLogger(),
      tls: { cert: readFileSync(pki.authCert, 'utf8'), key: readFileSync(pki.authKey, 'utf8'), ca: readFileSync(pki.caCert, 'utf8') },
    });
    const handler: SoapHandler = async (call) => {
      handled.push(call.action);
      return { body: (parent) => parent.ele(NS.xdsb, 'xds:Ok') };
    };
    deps = {
      handlers: { iti18: handler, iti41: handler, iti42: handler, iti43: handler, iti57: handler, iti62: handler, iti86: handler },
      limits: { maxBytes: 64 * 1024, maxParts: 8, maxPartBytes: 32 * 1024 },
      security: {
        mode: 'saml', certificates: NO_CLIENT_CERTIFICATES,
        verify: () => { throw new SamlError('bad-signature', 'digest mismatch'); },
      },
      logger: silentLogger(),
      atna: createAtnaRecorder({ sender, auditSourceId: 'FSE-BRIDGE-120', appName: 'fse-bridge', logger: silentLogger() }),
    };
  });
  after(async () => {
    await sender.close(100);
    await receiver.close();
  });

  async function call(withAssertion: boolean) {
    const { xml } = requestEnvelope(SOAP_ACTION.iti18, 'http://bridge/xds/registry', (parent) => { parent.ele(QUERY, 'query:AdhocQueryRequest'); }, {
      header: withAssertion ? (h) => { h.ele(NS.wsse, 'wsse:Security').ele(NS.saml2, 'saml2:Assertion', { ID: '_a1', Version: '2.0' }).ele(NS.saml2, 'saml2:Issuer').txt('120'); } : undefined,
    });
    return handleSoap({
      endpoint: 'registry', contentType: 'application/soap+xml; charset=UTF-8', body: (async function* () { yield Buffer.from(xml); })(),
      url: 'https://bridge.example/xds/registry', remoteAddress: '10.1.2.3',
    }, newTraceContext(), deps);
  }

  async function nextAlert() {
    const m = (await receiver.waitFor(++seen))[seen - 1];
    assert.ok(m);
    assertDicomAuditMessage(m.xml);
    return withXml(m.xml, (doc) => {
      const one = (xpath: string) => doc.find(xpath).map((n) => n.content);
      return {
        eventId: one('/AuditMessage/EventIdentification/EventID/@csd-code'),
        type: one('/AuditMessage/EventIdentification/EventTypeCode/@csd-code'),
        outcome: one('/AuditMessage/EventIdentification/@EventOutcomeIndicator'),
        description: one('/AuditMessage/EventIdentification/EventOutcomeDescription'),
        peer: one('/AuditMessage/ActiveParticipant[@UserIsRequestor="true"]/@NetworkAccessPointID'),
        subject: one('/AuditMessage/ParticipantObjectIdentification[@ParticipantObjectTypeCodeRole="13"]/@ParticipantObjectID'),
      };
    });
  }

  test('an assertion that does not verify: wsse:FailedAuthentication, and a Security Alert 110113/110126 with the reason', async () => {
    const res = await call(true);
    assert.equal(res.status, 400);
    assert.match(res.body.toString('utf8'), /wsse:FailedAuthentication/);
    const alert = await nextAlert();
    assert.deepEqual([alert.eventId, alert.type, alert.outcome, alert.peer, alert.subject], [['110113'], ['110126'], ['4'], ['10.1.2.3'], ['https://bridge.example/xds/registry']]);
    assert.match(alert.description[0] ?? '', /^wsse:FailedAuthentication: SAML assertion refused \(bad-signature\)/);
    assert.deepEqual(handled, [], 'the handler never ran');
  });

  test('no assertion where one is required: wsse:InvalidSecurity, and its Security Alert', async () => {
    const res = await call(false);
    assert.match(res.body.toString('utf8'), /wsse:InvalidSecurity/);
    const alert = await nextAlert();
    assert.deepEqual([alert.eventId, alert.type], [['110113'], ['110126']]);
    assert.match(alert.description[0] ?? '', /^wsse:InvalidSecurity/);
  });

  test('an audit that fails to build or send never fails the transaction: the answer is the handler\'s', async () => {
    const broken: SoapRouterDeps = {
      ...deps, security: { mode: 'none', certificates: NO_CLIENT_CERTIFICATES },
      atna: { transaction: () => { throw new Error('recorder broken'); }, securityAlert: () => { throw new Error('recorder broken'); } },
    };
    const { xml } = requestEnvelope(SOAP_ACTION.iti18, 'http://bridge/xds/registry', (parent) => { parent.ele(QUERY, 'query:AdhocQueryRequest'); });
    const res = await handleSoap({ endpoint: 'registry', contentType: 'application/soap+xml; charset=UTF-8', body: (async function* () { yield Buffer.from(xml); })() }, newTraceContext(), broken);
    assert.equal(res.status, 200);
    assert.match(res.body.toString('utf8'), /xds:Ok/);
    const refused = await handleSoap({ endpoint: 'registry', contentType: 'application/soap+xml; charset=UTF-8', body: (async function* () { yield Buffer.from(xml); })() },
      newTraceContext(), { ...broken, security: { mode: 'saml', certificates: NO_CLIENT_CERTIFICATES } });
    assert.match(refused.body.toString('utf8'), /wsse:InvalidSecurity/, 'a refusal is still the fault it was');
  });
});
