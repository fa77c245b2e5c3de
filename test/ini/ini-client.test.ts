import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { createDevPki } from '../../src/certs/dev-ca.js';
import { parsePatientId } from '../../src/domain/ids.js';
import type { StoredQueryRequest } from '../../src/domain/stored-query.js';
import { encodeAdhocQueryResponse } from '../../src/ebxml/adhoc-query-response.js';
import { registryError } from '../../src/errors/xds-codes.js';
import { createIniClient, type IniClient } from '../../src/ini/ini-client.js';
import { IniUnavailableError } from '../../src/ini/ini-errors.js';
import type { IniRequester, RegionAssertionDefaults } from '../../src/ini/ini-assertion.js';
import { iniServiceUrls } from '../../src/ini/ini-services.js';
import { createSoapCaller, SoapTransportError, type SoapCallOptions } from '../../src/soap-wire/soap-client.js';
import { SOAP_ACTION } from '../../src/metadata/vocabulary.js';
import { loadSamlSigner } from '../../src/saml/saml-signer.js';
import { SoapFault } from '../../src/soap-wire/soap-fault.js';
import { encodeEnvelope, encodeFault } from '../../src/soap-wire/soap-writer.js';
import { withXml, NS } from '../../src/xml/xml-toolkit.js';
import { ldoSubmission, SAMPLE_PATIENT } from '../support/xds-submissions.js';

/**
 * The INI client against a real local server that answers from a script: which failures it retries (unreachable,
 * timeouts, SOAP faults, a proxy's 503) and which it never does (business failures, a broken 200 answer), that every
 * attempt carries a fresh message id and a signed assertion, that the operation's budget bounds each attempt, and
 * that the region's TLS client certificate is what INI sees. See: src/ini/ini-client.ts; xds-ini digest 2.7, 2.8.
 */

const pki = createDevPki(mkdtempSync(path.join(os.tmpdir(), 'ini-client-')));
const read = (file: string) => readFileSync(file, 'utf8');
const region: RegionAssertionDefaults = {
  code: '120', name: 'Regione Lazio', repositoryUniqueId: '2.16.840.1.113883.2.9.2.120.4.5.1', defaultApplication: 'FSEBRIDGE^FSE BRIDGE^1.0',
  locality: 'REGIONE LAZIO^^^^^&2.16.840.1.113883.2.9.4.1.2&ISO^^^^120', systemSubject: 'FSEBRIDGE120^^^&2.16.840.1.113883.2.9.4.3.2&ISO',
  signer: loadSamlSigner({ certificatePem: read(pki.signCert), privateKeyPem: read(pki.signKey) }),
};
const requester: IniRequester = {
  identity: { source: 'saml', verified: true, subjectId: 'VRDGPP70A01H501S^^^&2.16.840.1.113883.2.9.4.3.2&ISO', role: 'AAS', purposeOfUse: 'TREATMENT' },
  patientId: SAMPLE_PATIENT, purposeOfUse: 'TREATMENT', actionId: 'READ',
};
const findDocuments: StoredQueryRequest = {
  returnType: 'LeafClass', query: { type: 'FindDocuments', patientId: parsePatientId(SAMPLE_PATIENT) ?? SAMPLE_PATIENT, statuses: ['Approved'] },
};
const entry = ldoSubmission('INI-CLIENT-1').documents[0]?.entry;

type Answer = { status: number; contentType: string; body: string } | 'hang';
const soap = (body: string, status = 200): Answer => ({ status, contentType: 'application/soap+xml; charset=UTF-8', body });
const found = (): Answer => soap(encodeEnvelope({
  action: SOAP_ACTION.iti18Response,
  body: (p) => { encodeAdhocQueryResponse({ status: 'Success', errors: [], result: { kind: 'LeafClass', documentEntries: entry ? [entry] : [], submissionSets: [], folders: [], associations: [] } }, p); },
}));
const businessFailure = (): Answer => soap(encodeEnvelope({
  action: SOAP_ACTION.iti18Response,
  body: (p) => { encodeAdhocQueryResponse({ status: 'Failure', errors: [registryError('XDSUnknownPatientId', 'patient unknown to INI')], result: { kind: 'ObjectRef', refs: [] } }, p); },
}));
const fault = (code: 'Sender' | 'Receiver'): Answer => soap(encodeFault(new SoapFault(code, `${code} says no`, code === 'Sender' ? 'wsse:FailedAuthentication' : 'fse:InternalError')), code === 'Sender' ? 400 : 500);
const proxyPage: Answer = { status: 503, contentType: 'text/html', body: '<html><body>Service Unavailable</body></html>' };

interface Received { readonly messageId: string; readonly assertionId: string; readonly clientCn?: string }

/** A real HTTP(S) server playing INI: it answers each request with the next scripted answer and records what came. */
class ScriptedIni {
  readonly received: Received[] = [];
  private script: Answer[] = [];
  private readonly hanging: ServerResponse[] = [];
  constructor(private readonly server: ReturnType<typeof createHttpServer>) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void this.answer(req, res));
  }

  play(...answers: Answer[]): void {
    this.script = answers;
    this.received.length = 0;
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const scheme = 'setSecureContext' in this.server ? 'https' : 'http';
    return `${scheme}://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const peer = (req.socket as Partial<TLSSocket>).getPeerCertificate?.();
    this.received.push({ ...heldIn(Buffer.concat(chunks)), ...(peer?.subject ? { clientCn: String(peer.subject.CN) } : {}) });
    const next = this.script.shift() ?? proxyPage;
    if (next === 'hang') {
      this.hanging.push(res);
      return;
    }
    res.writeHead(next.status, { 'content-type': next.contentType }).end(next.body);
  }
}

/** The request's wsa:MessageID and the ID of the signed assertion in its wsse:Security header. */
function heldIn(envelope: Buffer): { messageId: string; assertionId: string } {
  return withXml(envelope, (doc) => {
    const ns = { env: NS.soap12, wsa: NS.wsa, wsse: NS.wsse, saml2: NS.saml2, ds: NS.ds };
    const messageId = doc.find('/env:Envelope/env:Header/wsa:MessageID', ns)[0]?.content ?? '';
    const assertionId = doc.find('/env:Envelope/env:Header/wsse:Security/saml2:Assertion[ds:Signature]/@ID', ns)[0]?.content ?? '';
    return { messageId, assertionId };
  });
}

function clientOf(url: string, options: { retries: number; budgetMs: number; caller?: Partial<SoapCallOptions> }): IniClient {
  return createIniClient({
    urls: iniServiceUrls(url), caller: createSoapCaller({ timeoutMs: 30_000, ...options.caller }), region, retries: options.retries, budgetMs: options.budgetMs,
  });
}

describe('INI client: retries, deadlines and packaging', () => {
  const ini = new ScriptedIni(createHttpServer());
  let client: IniClient;
  before(async () => { client = clientOf(await ini.listen(), { retries: 2, budgetMs: 20_000 }); });
  after(async () => { await client.close(); await ini.close(); });

  test('a proxy\'s 503 page and a Receiver fault are retried; the third attempt answers; each attempt is a new signed message', async () => {
    ini.play(proxyPage, fault('Receiver'), found());
    const answer = await client.query(findDocuments, requester);
    assert.equal(answer.status, 'Success');
    assert.equal(answer.result.kind === 'LeafClass' ? answer.result.documentEntries[0]?.uniqueId : undefined, entry?.uniqueId);
    assert.equal(ini.received.length, 3);
    assert.equal(new Set(ini.received.map((r) => r.messageId)).size, 3, 'a fresh wsa:MessageID per attempt');
    assert.ok(ini.received.every((r) => r.assertionId.length > 0), 'every attempt carries a signed assertion');
    assert.equal(new Set(ini.received.map((r) => r.assertionId)).size, 3, 'a fresh assertion per attempt');
  });

  test('retries run out: IniUnavailableError after 1 + retries attempts', async () => {
    ini.play(fault('Receiver'), proxyPage, fault('Receiver'), found());
    await assert.rejects(client.query(findDocuments, requester), (err: unknown) => err instanceof IniUnavailableError && /Receiver says no/.test(err.message));
    assert.equal(ini.received.length, 3);
  });

  test('a Sender fault is a technical failure too (digest 9): retried, then IniUnavailableError naming it', async () => {
    ini.play(fault('Sender'), fault('Sender'), fault('Sender'), found());
    await assert.rejects(client.query(findDocuments, requester), (err: unknown) => err instanceof IniUnavailableError
      && err.cause instanceof SoapTransportError && err.cause.faultCode === 'Sender' && /FailedAuthentication/.test(err.message));
    assert.equal(ini.received.length, 3);
  });

  test('an answer of 200 that is no SOAP envelope is not retried: it is a broken answer, not an outage', async () => {
    ini.play({ status: 200, contentType: 'text/plain', body: 'not xml' }, found());
    await assert.rejects(client.query(findDocuments, requester), (err: unknown) => err instanceof SoapTransportError && err.reason === 'malformed');
    assert.equal(ini.received.length, 1);
  });

  test('a business Failure is INI\'s answer, returned as it is and not retried', async () => {
    ini.play(businessFailure(), found());
    const answer = await client.query(findDocuments, requester);
    assert.equal(answer.status, 'Failure');
    assert.deepEqual(answer.errors.map((e) => e.code), ['XDSUnknownPatientId']);
    assert.equal(ini.received.length, 1);
  });

  test('INI silent: the attempt ends with the operation\'s budget, not the 30 s call timeout, and is IniUnavailableError', { timeout: 15_000 }, async () => {
    ini.play('hang', 'hang', 'hang');
    await assert.rejects(client.query(findDocuments, requester, 400), (err: unknown) => err instanceof IniUnavailableError
      && err.cause instanceof SoapTransportError && err.cause.reason === 'timeout');
    assert.ok(ini.received.length >= 1);
  });

  test('INI unreachable (nothing listening): IniUnavailableError', async () => {
    const closed = new ScriptedIni(createHttpServer());
    const url = await closed.listen();
    await closed.close();
    const lost = clientOf(url, { retries: 1, budgetMs: 5_000 });
    try {
      await assert.rejects(lost.query(findDocuments, requester), (err: unknown) => err instanceof IniUnavailableError
        && err.cause instanceof SoapTransportError && err.cause.reason === 'unreachable');
    } finally {
      await lost.close();
    }
  });
});

describe('INI client over mutual TLS', () => {
  const ini = new ScriptedIni(createHttpsServer({
    cert: read(pki.serverCert), key: read(pki.serverKey), ca: read(pki.caCert), requestCert: true, rejectUnauthorized: true,
  }) as unknown as ReturnType<typeof createHttpServer>);
  let url: string;
  before(async () => { url = (await ini.listen()).replace('127.0.0.1', 'localhost'); });
  after(async () => { await ini.close(); });

  test('the region\'s TLS authentication certificate is the client certificate INI sees', async () => {
    const client = clientOf(url, { retries: 0, budgetMs: 10_000, caller: { tls: { cert: read(pki.authCert), key: read(pki.authKey), ca: read(pki.caCert) } } });
    try {
      ini.play(found());
      assert.equal((await client.query(findDocuments, requester)).status, 'Success');
      const expected = new X509Certificate(read(pki.authCert)).subject.split('\n').find((l) => l.startsWith('CN='));
      assert.ok(expected);
      assert.equal(`CN=${ini.received[0]?.clientCn ?? ''}`, expected);
    } finally {
      await client.close();
    }
  });

  test('a client certificate of another CA is refused in the handshake, and nothing reaches INI', async () => {
    const other = createDevPki(mkdtempSync(path.join(os.tmpdir(), 'ini-client-other-')));
    const client = clientOf(url, { retries: 0, budgetMs: 10_000, caller: { tls: { cert: read(other.authCert), key: read(other.authKey), ca: read(pki.caCert) } } });
    try {
      ini.play(found());
      await assert.rejects(client.query(findDocuments, requester), (err: unknown) => err instanceof IniUnavailableError || err instanceof SoapTransportError);
      assert.equal(ini.received.length, 0);
    } finally {
      await client.close();
    }
  });
});
