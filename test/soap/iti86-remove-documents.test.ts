import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildSampleCda } from '../../src/dev/sample-cda.js';
import type { RepositoryUniqueId, UniqueId } from '../../src/domain/ids.js';
import type { DocumentRequest } from '../../src/domain/retrieve.js';
import type { Submission } from '../../src/domain/xds.js';
import { encodeProvideAndRegister } from '../../src/ebxml/provide-and-register.js';
import { decodeRegistryResponse, type DecodedRegistryResponse } from '../../src/ebxml/registry-response.js';
import { encodeRemoveDocumentsRequest } from '../../src/ebxml/remove-documents-request.js';
import { encodeRemoveObjectsRequest } from '../../src/ebxml/remove-objects-request.js';
import { SOAP_ACTION } from '../../src/metadata/vocabulary.js';
import { createRepositoryStore } from '../../src/stores/repository-store.js';
import { NS, withXml } from '../../src/xml/xml-toolkit.js';
import { assertDicomAuditMessage, startUdpReceiver, type AtnaReceiver } from '../support/atna-receiver.js';
import { samplePdf, startBridge, type Harness } from '../support/bridge-harness.js';
import { doctorAttributes, samlParty, securityHeader, signedAssertion, trustFile } from '../support/saml-identities.js';
import { callSoap, faultOf, postRaw, requestEnvelope, retrieve, withBody } from '../support/soap-calls.js';
import { docUniqueId, ldoSubmission, REGION_REPOSITORY } from '../support/xds-submissions.js';

/**
 * ITI-86 Remove Documents over real SOAP against a running bridge (Gateway simulator, PostgreSQL, UDP ATNA receiver):
 * the bytes of a document go only once its metadata went (ITI-62), a later ITI-43 finds nothing, and each refusal
 * has IHE's code. See: src/operations/iti86-remove-documents.ts.
 */
const repository = REGION_REPOSITORY as RepositoryUniqueId;
const UNKNOWN_REPOSITORY = '2.16.840.1.113883.2.9.2.999.4.5.1' as RepositoryUniqueId;
const request = (documentUniqueId: UniqueId, repositoryUniqueId = repository): DocumentRequest => ({ repositoryUniqueId, documentUniqueId });
const codes = (r: DecodedRegistryResponse) => r.errors.map((e) => e.code);

async function removeDocuments(h: Harness, requests: readonly DocumentRequest[]): Promise<DecodedRegistryResponse> {
  const answer = await callSoap(h, 'repository', SOAP_ACTION.iti86, (parent) => encodeRemoveDocumentsRequest(requests, parent));
  assert.equal(answer.status, 200, answer.raw.toString('utf8').slice(0, 1000));
  assert.equal(answer.action, SOAP_ACTION.iti86Response);
  return withBody(answer, decodeRegistryResponse);
}

async function provide(h: Harness, submission: Submission): Promise<void> {
  const { xml, attachments } = encodeProvideAndRegister(submission, { mtom: true });
  const response = withBody(await callSoap(h, 'repository', SOAP_ACTION.iti41, xml, { mtom: true, attachments }), decodeRegistryResponse);
  assert.equal(response.status, 'Success', JSON.stringify(response.errors));
}

describe('ITI-86 Remove Documents on the repository', () => {
  let h: Harness;
  let receiver: AtnaReceiver;
  before(async () => {
    receiver = await startUdpReceiver();
    h = await startBridge({ ATNA_SYSLOG_URL: receiver.url });
  });
  after(async () => {
    await h?.stop();
    await receiver?.close();
  });
  const store = () => createRepositoryStore(h.app.resources().db.pool, [repository]);
  /** The `nth` ATNA message of ITI-86 (other transactions' messages arrive in between). */
  async function atna86(nth: number): Promise<string> {
    for (let count = 1; ; count++) {
      const found = (await receiver.waitFor(count)).filter((m) => m.xml.includes('csd-code="ITI-86"'));
      if (found.length >= nth) return found[nth - 1]?.xml ?? '';
    }
  }

  test('a published document: refused while registered, removed after ITI-62, then ITI-43 and a second ITI-86 find nothing', async () => {
    const submission = ldoSubmission('RMD-86-1', { bytes: await samplePdf(buildSampleCda({ docExtension: 'RMD-86-1' })) });
    await provide(h, submission);
    const uniqueId = docUniqueId('RMD-86-1');
    const still = await removeDocuments(h, [request(uniqueId)]);
    assert.deepEqual([still.status, codes(still)], ['Failure', ['XDSRemoveDocumentsError']]);
    assert.match(still.errors[0]?.codeContext ?? '', /still registered.*ITI-62/);
    assert.ok(await store().getDocument(repository, uniqueId), 'the bytes stay while the DocumentEntry is registered');

    const entryUuid = submission.documents[0]?.entry.entryUuid;
    const hasMember = submission.associations[0]?.entryUuid;
    assert.ok(entryUuid && hasMember);
    const deleted = withBody(await callSoap(h, 'registry', SOAP_ACTION.iti62, (p) => encodeRemoveObjectsRequest([entryUuid, hasMember, submission.submissionSet.entryUuid], p)), decodeRegistryResponse);
    assert.equal(deleted.status, 'Success', JSON.stringify(deleted.errors));

    const removed = await removeDocuments(h, [request(uniqueId)]);
    assert.deepEqual([removed.status, removed.errors], ['Success', []]);
    assert.equal(await store().getDocument(repository, uniqueId), undefined);
    const later = await retrieve(h, [request(uniqueId)]);
    assert.deepEqual([later.status, later.errors.map((e) => e.code), later.documents.length], ['Failure', ['XDSDocumentUniqueIdError'], 0]);
    const again = await removeDocuments(h, [request(uniqueId)]);
    assert.deepEqual([again.status, codes(again), again.errors[0]?.location], ['Failure', ['XDSDocumentUniqueIdError'], uniqueId]);

    // The access log: each ITI-86 with the documents removed (none when refused) and IHE's codes.
    const { rows } = await h.app.resources().db.pool.query<{ outcome: string; document_ids: string[]; error_codes: string[] }>(
      `SELECT outcome, document_ids, error_codes FROM audit_record WHERE transaction = 'ITI-86' ORDER BY id`);
    assert.deepEqual(rows.map((r) => [r.outcome, r.document_ids, r.error_codes]),
      [['Failure', [], ['XDSRemoveDocumentsError']], ['Success', [uniqueId], []], ['Failure', [], ['XDSDocumentUniqueIdError']]]);

    // ATNA: Patient Record (110110), Delete, the document named; the refusal first (8), then the removal (0).
    const refusedMessage = await atna86(1);
    const removedMessage = await atna86(2);
    for (const xml of [refusedMessage, removedMessage]) assertDicomAuditMessage(xml);
    const read = (xml: string) => withXml(xml, (doc) => [
      doc.find('/AuditMessage/EventIdentification/EventID/@csd-code')[0]?.content,
      doc.find('/AuditMessage/EventIdentification/@EventActionCode')[0]?.content,
      doc.find('/AuditMessage/EventIdentification/@EventOutcomeIndicator')[0]?.content,
      doc.find('/AuditMessage/ParticipantObjectIdentification[@ParticipantObjectTypeCodeRole="3"]/@ParticipantObjectID').map((n) => n.content),
    ]);
    assert.deepEqual(read(refusedMessage), ['110110', 'D', '8', [uniqueId]]);
    assert.deepEqual(read(removedMessage), ['110110', 'D', '0', [uniqueId]]);
  });

  test('bytes with no metadata and an unknown one in one request: PartialSuccess, each refusal with its code and location', async () => {
    const orphan = docUniqueId('RMD-86-ORPHAN');
    await store().putDocument({ repositoryUniqueId: repository, uniqueId: orphan, mimeType: 'application/pdf', bytes: Buffer.from('%PDF-1.7 orphan') });
    const unknown = docUniqueId('RMD-86-NEVER');
    const response = await removeDocuments(h, [request(orphan), request(unknown), request(orphan, UNKNOWN_REPOSITORY)]);
    assert.equal(response.status, 'PartialSuccess');
    assert.deepEqual(response.errors.map((e) => [e.code, e.location]), [['XDSDocumentUniqueIdError', unknown], ['XDSUnknownRepositoryId', UNKNOWN_REPOSITORY]]);
    assert.equal(await store().getDocument(repository, orphan), undefined);
  });

  test('only unknown documents or repositories: Failure', async () => {
    const response = await removeDocuments(h, [request(docUniqueId('RMD-86-NONE')), request(docUniqueId('RMD-86-NONE'), UNKNOWN_REPOSITORY)]);
    assert.deepEqual([response.status, codes(response)], ['Failure', ['XDSDocumentUniqueIdError', 'XDSUnknownRepositoryId']]);
  });

  test('an empty request or a malformed id is a Failure RegistryResponse; malformed XML and a wrong body are SOAP Faults', async () => {
    const empty = withBody(await callSoap(h, 'repository', SOAP_ACTION.iti86, (p) => { p.ele(NS.rmd, 'rmd:RemoveDocumentsRequest'); }), decodeRegistryResponse);
    assert.deepEqual([empty.status, codes(empty)], ['Failure', ['XDSRepositoryError']]);
    const malformed = withBody(await callSoap(h, 'repository', SOAP_ACTION.iti86, (p) => {
      const dr = p.ele(NS.rmd, 'rmd:RemoveDocumentsRequest').ele(NS.xdsb, 'xds:DocumentRequest');
      dr.ele(NS.xdsb, 'xds:RepositoryUniqueId').txt('not an oid');
      dr.ele(NS.xdsb, 'xds:DocumentUniqueId').txt('1.2.3');
    }), decodeRegistryResponse);
    assert.deepEqual([malformed.status, codes(malformed)], ['Failure', ['XDSDocumentUniqueIdError']]);

    const url = `${h.baseUrl}/xds/repository`;
    const { xml } = requestEnvelope(SOAP_ACTION.iti86, url, (p) => encodeRemoveDocumentsRequest([request(docUniqueId('RMD-86-X'))], p));
    const broken = await postRaw(url, `application/soap+xml; charset=UTF-8; action="${SOAP_ACTION.iti86}"`, xml.slice(0, xml.length - 20));
    assert.equal(broken.status, 400);
    assert.equal(faultOf(broken)?.subcode, 'fse:MalformedMessage');
    const wrongBody = await callSoap(h, 'repository', SOAP_ACTION.iti86, (p) => encodeRemoveObjectsRequest([], p));
    assert.match(faultOf(wrongBody)?.reason ?? '', /carries RemoveDocumentsRequest, not RemoveObjectsRequest/);
    const onRegistry = await callSoap(h, 'registry', SOAP_ACTION.iti86, (p) => encodeRemoveDocumentsRequest([request(docUniqueId('RMD-86-X'))], p));
    assert.equal(faultOf(onRegistry)?.subcode, 'wsa:ActionNotSupported');
  });
});

describe('ITI-86 and SAML: the action-id of a delete', () => {
  const hospital = samlParty('hospital-rmd');
  let h: Harness;
  before(async () => {
    h = await startBridge({ FSE_SAML_TRUST: trustFile([{ party: hospital, issuers: ['120'] }]) });
  });
  after(async () => h?.stop());

  test('DELETE is answered (a RegistryResponse); READ is a WS-Security fault', async () => {
    const call = (actionId: string) => callSoap(h, 'repository', SOAP_ACTION.iti86, (p) => encodeRemoveDocumentsRequest([request(docUniqueId('RMD-86-SAML'))], p),
      { header: securityHeader(signedAssertion(hospital, doctorAttributes({ actionId }))) });
    const allowed = withBody(await call('DELETE'), decodeRegistryResponse);
    assert.deepEqual([allowed.status, codes(allowed)], ['Failure', ['XDSDocumentUniqueIdError']]);
    const refused = await call('READ');
    assert.equal(refused.status, 400);
    assert.equal(faultOf(refused)?.subcode, 'wsse:FailedAuthentication');
  });
});
