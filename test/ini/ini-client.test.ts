import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createDevPki } from '../../src/certs/dev-ca.js';
import { parsePatientId, parseRepositoryUniqueId, parseUniqueId, type EntryUuid } from '../../src/domain/ids.js';
import type { DocumentRequest } from '../../src/domain/retrieve.js';
import type { StoredQueryRequest } from '../../src/domain/stored-query.js';
import { encodeAdhocQueryResponse } from '../../src/ebxml/adhoc-query-response.js';
import { encodeRegistryResponse } from '../../src/ebxml/registry-response.js';
import { isXdsError, registryError } from '../../src/errors/xds-codes.js';
import type { IniClient } from '../../src/ini/ini-client.js';
import { IniBrokenAnswerError, IniError, IniUnavailableError } from '../../src/ini/ini-errors.js';
import type { IniRequester } from '../../src/ini/ini-assertion.js';
import { SoapTransportError } from '../../src/soap-wire/soap-client.js';
import { SOAP_ACTION } from '../../src/metadata/vocabulary.js';
import { NS } from '../../src/xml/xml-toolkit.js';
import { envelope, fault, iniClientOf as clientOf, notXml, proxyPage, region, regionPki as pki, ScriptedIni, soap, type ScriptedAnswer as Answer } from '../support/scripted-ini.js';
import { ldoSubmission, SAMPLE_PATIENT } from '../support/xds-submissions.js';

/**
 * The INI client against a real local server that answers from a script: which failures it retries (unreachable,
 * timeouts, SOAP faults, a proxy's 503) and which it never does (business failures, a broken 200 answer), that every
 * attempt carries a fresh message id and a signed assertion, that the operation's budget bounds each attempt, that
 * the region's TLS client certificate is what INI sees, and that nothing but an IniError leaves it for INI's part.
 * See: src/ini/ini-call.ts; xds-ini digest 2.7, 2.8, 9.
 */

const read = (file: string) => readFileSync(file, 'utf8');
const requester: IniRequester = {
  identity: { source: 'saml', verified: true, subjectId: 'VRDGPP70A01H501S^^^&2.16.840.1.113883.2.9.4.3.2&ISO', role: 'AAS', purposeOfUse: 'TREATMENT' },
  patientId: SAMPLE_PATIENT, purposeOfUse: 'TREATMENT', actionId: 'READ',
};
const findDocuments: StoredQueryRequest = {
  returnType: 'LeafClass', query: { type: 'FindDocuments', patientId: parsePatientId(SAMPLE_PATIENT) ?? SAMPLE_PATIENT, statuses: ['Approved'] },
};
const entry = ldoSubmission('INI-CLIENT-1').documents[0]?.entry;

const found = (): Answer => envelope(SOAP_ACTION.iti18Response, (p) => {
  encodeAdhocQueryResponse({ status: 'Success', errors: [], result: { kind: 'LeafClass', documentEntries: entry ? [entry] : [], submissionSets: [], folders: [], associations: [] } }, p);
});
const businessFailure = (): Answer => envelope(SOAP_ACTION.iti18Response, (p) => {
  encodeAdhocQueryResponse({ status: 'Failure', errors: [registryError('XDSUnknownPatientId', 'patient unknown to INI')], result: { kind: 'ObjectRef', refs: [] } }, p);
});

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
    ini.play(notXml, found());
    await assert.rejects(client.query(findDocuments, requester), (err: unknown) => err instanceof IniBrokenAnswerError
      && err.cause instanceof SoapTransportError && err.cause.reason === 'malformed');
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

describe('INI client: every transaction throws IniErrors only, and returns business answers', () => {
  const ini = new ScriptedIni(createHttpServer());
  let client: IniClient;
  before(async () => { client = clientOf(await ini.listen(), { retries: 1, budgetMs: 20_000 }); });
  after(async () => { await client.close(); await ini.close(); });

  const submission = ldoSubmission('INI-CLIENT-2');
  const uniqueId = parseUniqueId(entry?.uniqueId ?? '');
  const request: DocumentRequest[] = [{ repositoryUniqueId: parseRepositoryUniqueId(region.repositoryUniqueId), documentUniqueId: uniqueId }];
  const transactions: readonly (readonly [string, string, () => Promise<unknown>])[] = [
    ['ITI-18', 'registry', () => client.query(findDocuments, requester)],
    ['ITI-18 recupero riferimento', 'references', () => client.references(uniqueId, requester)],
    ['ITI-43', 'retrieve', () => client.retrieve(request, requester)],
    ['ITI-42', 'registry', () => client.register(submission, requester)],
    ['ITI-57', 'update', () => client.update(submission, requester)],
    ['INI delete', 'delete', () => client.remove([entry?.entryUuid as EntryUuid], requester)],
  ];

  for (const [transaction, service, send] of transactions) {
    test(`${transaction}: faults and error pages until the retries run out are IniUnavailableError of the ${service} service`, async () => {
      ini.play(fault('Receiver'), proxyPage, found());
      await assert.rejects(send(), (err: unknown) => err instanceof IniUnavailableError && err.service === service
        && err.cause instanceof SoapTransportError);
      assert.equal(ini.received.length, 2);
    });

    test(`${transaction}: XML that is no SOAP envelope, answered 200, is IniBrokenAnswerError, not retried`, async () => {
      ini.play(soap('<answer>not an envelope</answer>'), found());
      await assert.rejects(send(), (err: unknown) => err instanceof IniBrokenAnswerError && err.service === service
        && err.cause instanceof SoapTransportError && err.cause.reason === 'malformed' && /no SOAP 1.2 Body/.test(err.message));
      assert.equal(ini.received.length, 1);
    });
  }

  test('an AdhocQueryResponse whose objects do not decode is IniBrokenAnswerError carrying the codec\'s error, not retried', async () => {
    const symbolic = entry && { ...entry, entryUuid: 'Document1' as EntryUuid };
    ini.play(envelope(SOAP_ACTION.iti18Response, (p) => {
      encodeAdhocQueryResponse({ status: 'Success', errors: [], result: { kind: 'LeafClass', documentEntries: symbolic ? [symbolic] : [], submissionSets: [], folders: [], associations: [] } }, p);
    }), found());
    await assert.rejects(client.query(findDocuments, requester), (err: unknown) => err instanceof IniBrokenAnswerError
      && isXdsError(err.cause) && /AdhocQueryResponse does not decode/.test(err.message));
    assert.equal(ini.received.length, 1);
  });

  test('an ObjectRef that is no entryUUID, on the references service, is IniBrokenAnswerError', async () => {
    ini.play(envelope(SOAP_ACTION.iti18Response, (p) => {
      encodeAdhocQueryResponse({ status: 'Success', errors: [], result: { kind: 'ObjectRef', refs: ['Document1' as EntryUuid] } }, p);
    }));
    await assert.rejects(client.references(uniqueId, requester), (err: unknown) => err instanceof IniBrokenAnswerError
      && err.service === 'references' && isXdsError(err.cause));
  });

  test('a RetrieveDocumentSetResponse without its RegistryResponse is IniBrokenAnswerError', async () => {
    ini.play(envelope(SOAP_ACTION.iti43Response, (p) => { p.ele(NS.xdsb, 'xds:RetrieveDocumentSetResponse'); }));
    await assert.rejects(client.retrieve(request, requester), (err: unknown) => err instanceof IniBrokenAnswerError
      && err.service === 'retrieve' && isXdsError(err.cause) && /has no RegistryResponse/.test(err.message));
  });

  test('a RegistryResponse Failure to ITI-42 is INI\'s answer, returned with its errors', async () => {
    ini.play(envelope(SOAP_ACTION.iti42Response, (p) => {
      encodeRegistryResponse({ status: 'Failure', errors: [registryError('XDSDuplicateUniqueIdInRegistry', 'already indexed')] }, p);
    }));
    const answer = await client.register(submission, requester);
    assert.equal(answer.status, 'Failure');
    assert.deepEqual(answer.errors.map((e) => e.code), ['XDSDuplicateUniqueIdInRegistry']);
    assert.equal(ini.received.length, 1);
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
      await assert.rejects(client.query(findDocuments, requester), (err: unknown) => err instanceof IniError);
      assert.equal(ini.received.length, 0);
    } finally {
      await client.close();
    }
  });
});
