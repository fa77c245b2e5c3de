import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import { Agent, request } from 'undici';
import { buildSampleCda } from '../../src/dev/sample-cda.js';
import { parsePatientId, parseUniqueId } from '../../src/domain/ids.js';
import { encodeProvideAndRegister } from '../../src/ebxml/provide-and-register.js';
import { SOAP_ACTION } from '../../src/metadata/vocabulary.js';
import { buildMtom } from '../../src/soap-wire/mtom-builder.js';
import { createDevPki } from '../../src/certs/dev-ca.js';
import { samplePdf, startBridge, type Harness } from '../support/bridge-harness.js';
import { encodeAdhocQueryRequest } from '../../src/ebxml/adhoc-query-request.js';
import { samlParty, trustFile } from '../support/saml-identities.js';
import { requestEnvelope } from '../support/soap-calls.js';
import { ldoSubmission, SAMPLE_PATIENT } from '../support/xds-submissions.js';

/*
 * A legacy producer that authenticates with a TLS client certificate and sends no SAML assertion: the certificate,
 * mapped in FSE_SOAP_CLIENTS, names the operator and the application of the Gateway's tokens; with
 * FSE_SOAP_SECURITY=saml-or-certificate an unknown or missing certificate is a wsse:InvalidSecurity fault.
 * See: xds-ini digest 2.7, 8.3.
 */
describe('TLS client certificates as SOAP caller identity', () => {
  let h: Harness;
  let url: string;
  let ca: string;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fse-clients-'));
  const producer = createDevPki(path.join(dir, 'producer'));
  const stranger = createDevPki(path.join(dir, 'stranger'));
  before(async () => {
    const fingerprint = new X509Certificate(readFileSync(producer.authCert)).fingerprint256;
    const clients = path.join(dir, 'clients.json');
    writeFileSync(clients, JSON.stringify({
      clients: [{ fingerprint256: fingerprint, name: 'HIS of Ospedale di prova', identity: {
        subjectId: 'BNCMRA70A01H501Y^^^&2.16.840.1.113883.2.9.4.3.2&ISO', role: 'APR', applicationId: 'LEGACYHIS', applicationVendor: 'OLD VENDOR', applicationVersion: '3.2',
      } }],
    }));
    // The bridge's server certificate comes from the producer's development CA, which also signs client certificates.
    h = await startBridge({
      FSE_TLS_CERT: producer.serverCert, FSE_TLS_KEY: producer.serverKey, FSE_TLS_CLIENT_CA: producer.caCert,
      FSE_SOAP_CLIENTS: clients, FSE_SOAP_SECURITY: 'saml-or-certificate',
      // A mode that accepts SAML needs its trust file, even when these callers send none.
      FSE_SAML_TRUST: trustFile([{ party: samlParty('clients-hospital'), issuers: ['120'] }]),
    });
    url = `${h.baseUrl.replace('http://127.0.0.1', 'https://localhost')}/xds/repository`;
    ca = readFileSync(producer.caCert, 'utf8');
  });
  after(async () => h.stop());

  async function provide(ext: string, client?: { cert: string; key: string }): Promise<{ status: number; text: string }> {
    const pdf = await samplePdf(buildSampleCda({ docExtension: ext }));
    const { xml, attachments } = encodeProvideAndRegister(ldoSubmission(ext, { bytes: pdf }), { mtom: true });
    const pkg = buildMtom({ rootXml: requestEnvelope(SOAP_ACTION.iti41, url, xml).xml, action: SOAP_ACTION.iti41, attachments });
    const agent = new Agent({ connect: { ca, ...(client ? { cert: readFileSync(client.cert, 'utf8'), key: readFileSync(client.key, 'utf8') } : {}) } });
    try {
      const res = await request(url, { method: 'POST', headers: { 'content-type': pkg.contentType }, body: pkg.body, dispatcher: agent });
      return { status: res.statusCode, text: await res.body.text() };
    } finally {
      await agent.close();
    }
  }

  test('a mapped certificate names the operator, role and application of the tokens', async () => {
    const answer = await provide('CERT-1', { cert: producer.authCert, key: producer.authKey });
    assert.equal(answer.status, 200, answer.text.slice(0, 1000));
    assert.match(answer.text, /ResponseStatusType:Success/);
    const calls = h.simulator?.received.filter((r) => r.operation === 'validate-and-create') ?? [];
    const claims = decodeJwt(calls[calls.length - 1]?.headers['fse-jwt-signature'] ?? '');
    assert.deepEqual([claims.sub, claims.subject_role, claims.subject_application_id, claims.subject_application_version],
      ['BNCMRA70A01H501Y^^^&2.16.840.1.113883.2.9.4.3.2&ISO', 'APR', 'LEGACYHIS', '3.2']);
  });

  test('a certificate caller goes through the access decision too: it states no purpose of use, so it reads nothing', async () => {
    assert.equal((await provide('CERT-3', { cert: producer.authCert, key: producer.authKey })).status, 200);
    const registryUrl = url.replace('/xds/repository', '/xds/registry');
    const query = requestEnvelope(SOAP_ACTION.iti18, registryUrl, (p) => encodeAdhocQueryRequest({
      returnType: 'ObjectRef', query: { type: 'FindDocuments', patientId: parsePatientId(SAMPLE_PATIENT), statuses: ['Approved'] },
    }, p)).xml;
    const agent = new Agent({ connect: { ca, cert: readFileSync(producer.authCert, 'utf8'), key: readFileSync(producer.authKey, 'utf8') } });
    try {
      const res = await request(registryUrl, { method: 'POST', headers: { 'content-type': 'application/soap+xml; charset=UTF-8' }, body: query, dispatcher: agent });
      const text = await res.body.text();
      assert.equal(res.statusCode, 200);
      assert.match(text, /ResponseStatusType:Failure/);
      assert.match(text, /access denied: the client certificate states no purpose of use/);
      assert.doesNotMatch(text, /ObjectRef id=/);
    } finally {
      await agent.close();
    }
  });

  test('no certificate, or one from another CA, is refused with wsse:InvalidSecurity', async () => {
    for (const client of [undefined, { cert: stranger.authCert, key: stranger.authKey }]) {
      const answer = await provide('CERT-2', client);
      assert.equal(answer.status, 400);
      assert.match(answer.text, /wsse:InvalidSecurity/);
    }
    assert.equal(await h.app.resources().registry.getDocumentEntry({ uniqueId: parseUniqueId('2.16.840.1.113883.2.9.2.120.4.4^CERT-2') }), undefined);
  });
});
