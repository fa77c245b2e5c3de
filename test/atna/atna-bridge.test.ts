import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { createDevPki, type DevPki } from '../../src/certs/dev-ca.js';
import { buildSampleCda } from '../../src/dev/sample-cda.js';
import { sampleClaims } from '../../src/dev/sample-claims.js';
import type { EntryUuid, RepositoryUniqueId } from '../../src/domain/ids.js';
import { parseRepositoryUniqueId, parseUniqueId } from '../../src/domain/ids.js';
import type { DocumentEntry, Submission } from '../../src/domain/xds.js';
import { encodeProvideAndRegister } from '../../src/ebxml/provide-and-register.js';
import { decodeRegistryResponse, type DecodedRegistryResponse } from '../../src/ebxml/registry-response.js';
import { encodeRemoveObjectsRequest } from '../../src/ebxml/remove-objects-request.js';
import { EBXML_NS } from '../../src/ebxml/rim-read.js';
import { encodeRegistryObjectList } from '../../src/ebxml/submit-objects-request.js';
import { SOAP_ACTION, STORED_QUERY } from '../../src/metadata/vocabulary.js';
import { withXml } from '../../src/xml/xml-toolkit.js';
import { assertDicomAuditMessage, startTlsReceiver, type AtnaReceiver, type ReceivedSyslog } from '../support/atna-receiver.js';
import { OPEN_ACCESS_POLICY, samplePdf, startBridge, type Harness } from '../support/bridge-harness.js';
import { creationBody, headersFor, send, validated } from '../support/pipeline-calls.js';
import { callSoap, retrieve, storedQuery, withBody } from '../support/soap-calls.js';
import { docUniqueId, ldoSubmission, metadataUpdateOf, REGION_REPOSITORY, SAMPLE_PATIENT } from '../support/xds-submissions.js';

/**
 * ATNA end to end: a real bridge sends its audit messages over mutual TLS to a local syslog receiver after each SOAP
 * transaction; each message is checked against the DICOM schema and IHE's codes. See: docs/atna.md.
 */
const OTHER_REPOSITORY = '2.16.840.1.113883.2.9.2.120.4.5.7' as RepositoryUniqueId;

function registered(ext: string, overrides: Partial<DocumentEntry> = {}): Submission {
  const submission = ldoSubmission(ext);
  const [doc] = submission.documents;
  if (!doc) throw new Error('no document');
  return { ...submission, documents: [{ entry: { ...doc.entry, hash: 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3', size: 1234, repositoryUniqueId: OTHER_REPOSITORY, ...overrides } }] };
}

async function submitObjects(h: Harness, action: string, submission: Submission): Promise<DecodedRegistryResponse> {
  return withBody(await callSoap(h, 'registry', action, (parent) => {
    encodeRegistryObjectList(submission, parent.ele(EBXML_NS.lcm, 'lcm:SubmitObjectsRequest'));
  }), decodeRegistryResponse);
}

/** The values a test checks, read by XPath from a received message (after the schema check). */
function audit(message: ReceivedSyslog) {
  assertDicomAuditMessage(message.xml);
  return withXml(message.xml, (doc) => {
    const all = (xpath: string) => doc.find(xpath).map((n) => n.content);
    return {
      eventId: all('/AuditMessage/EventIdentification/EventID/@csd-code')[0],
      action: all('/AuditMessage/EventIdentification/@EventActionCode')[0],
      outcome: all('/AuditMessage/EventIdentification/@EventOutcomeIndicator')[0],
      type: all('/AuditMessage/EventIdentification/EventTypeCode/@csd-code')[0],
      requestorRole: all('/AuditMessage/ActiveParticipant[@UserIsRequestor="true"]/RoleIDCode/@csd-code'),
      requestorAddress: all('/AuditMessage/ActiveParticipant[@UserIsRequestor="true"]/@NetworkAccessPointID'),
      bridgeUserId: all('/AuditMessage/ActiveParticipant[@UserIsRequestor="false"]/@UserID')[0],
      objects: Object.fromEntries(['1', '3', '20', '24'].map((role) => [role, all(`/AuditMessage/ParticipantObjectIdentification[@ParticipantObjectTypeCodeRole="${role}"]/@ParticipantObjectID`)])),
      query: all('/AuditMessage/ParticipantObjectIdentification/ParticipantObjectQuery').map((b) => Buffer.from(b, 'base64').toString('utf8')),
    };
  });
}

describe('ATNA from a running bridge (mutual TLS, RFC 5425)', () => {
  let pki: DevPki;
  let receiver: AtnaReceiver;
  let h: Harness;
  let seen = 0;
  /** The next message the receiver gets (each transaction sends exactly one here). */
  const next = async (): Promise<ReturnType<typeof audit> & { syslog: ReceivedSyslog }> => {
    const messages = await receiver.waitFor(++seen);
    const m = messages[seen - 1];
    assert.ok(m);
    return { ...audit(m), syslog: m };
  };

  before(async () => {
    pki = createDevPki(path.join(mkdtempSync(path.join(os.tmpdir(), 'atna-bridge-')), 'pki'));
    receiver = await startTlsReceiver(pki);
    h = await startBridge({
      ATNA_SYSLOG_URL: receiver.url, ATNA_TLS_CERT: pki.authCert, ATNA_TLS_KEY: pki.authKey, ATNA_TLS_CA: pki.caCert, ATNA_QUEUE_MAX: '3', FSE_ACCESS_POLICY: OPEN_ACCESS_POLICY,
    });
  });
  after(async () => {
    await h?.stop();
    await receiver?.close();
  });

  const submission42 = registered('ATNA-42');

  test('ITI-41: Import (110107, C) by the Repository, with the patient and the SubmissionSet', async () => {
    const pdf = await samplePdf(buildSampleCda({ docExtension: 'ATNA-41' }));
    const submission = ldoSubmission('ATNA-41', { bytes: pdf });
    const { xml, attachments } = encodeProvideAndRegister(submission, { mtom: true });
    const answer = await callSoap(h, 'repository', SOAP_ACTION.iti41, xml, { mtom: true, attachments });
    assert.equal(withBody(answer, decodeRegistryResponse).status, 'Success');
    const m = await next();
    assert.deepEqual([m.type, m.eventId, m.action, m.outcome, m.requestorRole], ['ITI-41', '110107', 'C', '0', ['110153']]);
    assert.deepEqual(m.objects['1'], [SAMPLE_PATIENT]);
    assert.deepEqual(m.objects['20'], [submission.submissionSet.uniqueId]);
    assert.match(m.bridgeUserId ?? '', /\/xds\/repository$/);
    assert.deepEqual(m.requestorAddress, ['127.0.0.1']);
    assert.deepEqual([m.syslog.pri, m.syslog.msgId, m.syslog.appName, m.syslog.bom], ['85', 'IHE+RFC-3881', 'fse-bridge', true]);
    assert.ok(m.syslog.peerCn, 'the bridge authenticated with its client certificate');
  });

  test('ITI-42: Import (110107, C) by the Registry, the SubmissionSet uniqueId named', async () => {
    assert.equal((await submitObjects(h, SOAP_ACTION.iti42, submission42)).status, 'Success');
    const m = await next();
    assert.deepEqual([m.type, m.eventId, m.action, m.outcome], ['ITI-42', '110107', 'C', '0']);
    assert.deepEqual([m.objects['1'], m.objects['20']], [[SAMPLE_PATIENT], [submission42.submissionSet.uniqueId]]);
  });

  test('ITI-18: Query (110112, E), the stored query id and the AdhocQueryRequest as sent', async () => {
    const found = await storedQuery(h, { returnType: 'ObjectRef', query: { type: 'FindDocuments', patientId: SAMPLE_PATIENT, statuses: ['Approved'] } });
    assert.equal(found.status, 'Success');
    const m = await next();
    assert.deepEqual([m.type, m.eventId, m.action, m.outcome], ['ITI-18', '110112', 'E', '0']);
    assert.deepEqual(m.objects['24'], [STORED_QUERY.FindDocuments]);
    assert.match(m.query[0] ?? '', /AdhocQueryRequest[\s\S]*\$XDSDocumentEntryPatientId/);
    assert.deepEqual(m.objects['1'], [SAMPLE_PATIENT]);
  });

  test('ITI-43: Export (110106, R) by the Repository, the document retrieved; the requester is the Destination', async () => {
    const retrieved = await retrieve(h, [{ repositoryUniqueId: parseRepositoryUniqueId(REGION_REPOSITORY), documentUniqueId: parseUniqueId(docUniqueId('ATNA-41')) }]);
    assert.equal(retrieved.status, 'Success');
    const m = await next();
    assert.deepEqual([m.type, m.eventId, m.action, m.outcome, m.requestorRole], ['ITI-43', '110106', 'R', '0', ['110152']]);
    assert.deepEqual(m.objects['3'], [docUniqueId('ATNA-41')]);
  });

  test('ITI-57: Import (110107, U) by the Registry', async () => {
    const current = await h.app.resources().registry.getDocumentEntry({ uniqueId: docUniqueId('ATNA-42') });
    assert.ok(current);
    const update = metadataUpdateOf(current, { title: 'Nuovo titolo' });
    assert.equal((await submitObjects(h, SOAP_ACTION.iti57, update)).status, 'Success');
    const m = await next();
    assert.deepEqual([m.type, m.eventId, m.action, m.outcome], ['ITI-57', '110107', 'U', '0']);
    assert.deepEqual(m.objects['20'], [update.submissionSet.uniqueId]);
  });

  test('ITI-62: Patient Record (110110, D), the entryUUIDs removed; a refused delete is a serious failure (8)', async () => {
    const unknown = `urn:uuid:${crypto.randomUUID()}` as EntryUuid;
    const refused = withBody(await callSoap(h, 'registry', SOAP_ACTION.iti62, (parent) => encodeRemoveObjectsRequest([unknown], parent)), decodeRegistryResponse);
    assert.equal(refused.status, 'Failure');
    const m = await next();
    assert.deepEqual([m.type, m.eventId, m.action, m.outcome], ['ITI-62', '110110', 'D', '8']);
    assert.deepEqual(m.objects['3'], [unknown]);
  });

  test('REST publication (FSE 2.0 create): Import (110107, C) with the operation as event type, the token\'s patient and the document', async () => {
    const { pdf, wid, docId } = await validated(h, 'ATNA-REST');
    const res = await send(h, 'POST', '/v1/documents', await headersFor(h, pdf), pdf, creationBody(docId, { workflowInstanceId: wid }));
    // 201 when the Gateway answers within the wait, 202 ("taken in charge") otherwise: both are accepted calls.
    assert.ok(res.status === 201 || res.status === 202, res.text);
    const m = await next();
    assert.deepEqual([m.type, m.eventId, m.action, m.outcome, m.requestorRole], ['create', '110107', 'C', '0', ['110153']]);
    assert.deepEqual([m.objects['1'], m.objects['3']], [[sampleClaims().person_id], [docId]]);
    assert.match(m.bridgeUserId ?? '', /\/v1\/documents$/);
  });

  test('a receiver that is down fails and delays no transaction: answers are Success, messages dropped and counted', async () => {
    await receiver.close();
    const query = { returnType: 'ObjectRef', query: { type: 'FindDocuments', patientId: SAMPLE_PATIENT, statuses: ['Approved'] } } as const;
    for (let i = 0; i < 8; i++) assert.equal((await storedQuery(h, query)).status, 'Success');
    const dropped = async () => {
      const text = await (await fetch(`${h.baseUrl}/metrics`)).text();
      return Number(/^fse_bridge_atna_dropped_total (\d+)/m.exec(text)?.[1] ?? 'NaN');
    };
    while ((await dropped()) < 1) await sleep(20);
    assert.ok((await dropped()) >= 1);
  });
});
