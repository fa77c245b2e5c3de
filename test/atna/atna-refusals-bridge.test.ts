import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Agent, request } from 'undici';
import { createDevPki } from '../../src/certs/dev-ca.js';
import { encodeAdhocQueryRequest } from '../../src/ebxml/adhoc-query-request.js';
import { SOAP_ACTION } from '../../src/metadata/vocabulary.js';
import { withXml } from '../../src/xml/xml-toolkit.js';
import { assertDicomAuditMessage, startUdpReceiver, type AtnaReceiver } from '../support/atna-receiver.js';
import { startBridge, type Harness } from '../support/bridge-harness.js';
import { doctorAttributes, samlParty, securityHeader, signedAssertion, trustFile } from '../support/saml-identities.js';
import { requestEnvelope } from '../support/soap-calls.js';
import { SAMPLE_PATIENT } from '../support/xds-submissions.js';

/**
 * Node authentication failures of a real bridge on HTTPS, audited over UDP (RFC 5426): a SAML assertion signed by a
 * party the region does not trust, a client certificate nobody registered, and a TLS handshake that fails. Each is a
 * Security Alert (110113, Node Authentication 110126) valid against the DICOM schema. See: docs/atna.md.
 */
describe('ATNA Security Alerts from a running bridge (HTTPS, UDP syslog)', () => {
  let h: Harness;
  let receiver: AtnaReceiver;
  let registryUrl: string;
  let port: number;
  let seen = 0;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'atna-refusals-'));
  const server = createDevPki(path.join(dir, 'server'));
  const stranger = createDevPki(path.join(dir, 'stranger'));
  const trusted = samlParty('atna-trusted');
  const untrusted = samlParty('atna-untrusted');
  const ca = readFileSync(server.caCert, 'utf8');

  before(async () => {
    receiver = await startUdpReceiver();
    h = await startBridge({
      FSE_TLS_CERT: server.serverCert, FSE_TLS_KEY: server.serverKey, FSE_TLS_CLIENT_CA: server.caCert,
      FSE_SOAP_SECURITY: 'saml-or-certificate', FSE_SAML_TRUST: trustFile([{ party: trusted, issuers: ['120'] }]),
      ATNA_SYSLOG_URL: receiver.url,
    });
    port = Number(new URL(h.baseUrl).port);
    registryUrl = `https://localhost:${port}/xds/registry`;
  });
  after(async () => {
    await h?.stop();
    await receiver?.close();
  });

  async function query(options: { assertion?: string; client?: { cert: string; key: string } }): Promise<string> {
    const { xml } = requestEnvelope(SOAP_ACTION.iti18, registryUrl, (p) => encodeAdhocQueryRequest({
      returnType: 'ObjectRef', query: { type: 'FindDocuments', patientId: SAMPLE_PATIENT, statuses: ['Approved'] },
    }, p), options.assertion ? { header: securityHeader(options.assertion) } : {});
    const client = options.client;
    const agent = new Agent({ connect: { ca, ...(client ? { cert: readFileSync(client.cert, 'utf8'), key: readFileSync(client.key, 'utf8') } : {}) } });
    try {
      const res = await request(registryUrl, { method: 'POST', headers: { 'content-type': 'application/soap+xml; charset=UTF-8' }, body: xml, dispatcher: agent });
      return await res.body.text();
    } finally {
      await agent.close();
    }
  }

  async function nextAlert() {
    const m = (await receiver.waitFor(++seen))[seen - 1];
    assert.ok(m);
    assertDicomAuditMessage(m.xml);
    return withXml(m.xml, (doc) => {
      const all = (xpath: string) => doc.find(xpath).map((n) => n.content);
      return {
        codes: [...all('/AuditMessage/EventIdentification/EventID/@csd-code'), ...all('/AuditMessage/EventIdentification/EventTypeCode/@csd-code')],
        outcome: all('/AuditMessage/EventIdentification/@EventOutcomeIndicator')[0],
        description: all('/AuditMessage/EventIdentification/EventOutcomeDescription')[0] ?? '',
        peer: all('/AuditMessage/ActiveParticipant[@UserIsRequestor="true"]/@NetworkAccessPointID')[0],
      };
    });
  }

  test('an assertion signed by a party the region does not trust: wsse:FailedAuthentication and a Security Alert', async () => {
    const text = await query({ assertion: signedAssertion(untrusted, doctorAttributes()) });
    assert.match(text, /wsse:FailedAuthentication/);
    const alert = await nextAlert();
    assert.deepEqual([alert.codes, alert.outcome], [['110113', '110126'], '4']);
    assert.match(alert.description, /^wsse:FailedAuthentication: SAML assertion refused/);
    assert.match(alert.peer ?? '', /127\.0\.0\.1/);
  });

  test('a client certificate of another CA and no assertion: wsse:InvalidSecurity and a Security Alert', async () => {
    const text = await query({ client: { cert: stranger.authCert, key: stranger.authKey } });
    assert.match(text, /wsse:InvalidSecurity/);
    const alert = await nextAlert();
    assert.deepEqual(alert.codes, ['110113', '110126']);
    assert.match(alert.description, /^wsse:InvalidSecurity: a SAML 2.0 assertion or a registered client certificate is required/);
  });

  test('a TLS handshake that fails (plain HTTP on the HTTPS port) is a node authentication failure too', async () => {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.end('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');
    socket.on('error', () => undefined);
    const alert = await nextAlert();
    assert.deepEqual(alert.codes, ['110113', '110126']);
    assert.match(alert.description, /^TLS: /);
  });
});
