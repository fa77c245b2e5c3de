import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { PatientId, UniqueId } from '../../src/domain/ids.js';
import { decodeAdhocQueryResponse } from '../../src/ebxml/adhoc-query-response.js';
import { encodeAdhocQueryRequest } from '../../src/ebxml/adhoc-query-request.js';
import { encodeProvideAndRegister } from '../../src/ebxml/provide-and-register.js';
import { decodeRegistryResponse } from '../../src/ebxml/registry-response.js';
import { decodeRetrieveResponse, encodeRetrieveRequest } from '../../src/ebxml/retrieve-document-set.js';
import { SOAP_ACTION } from '../../src/metadata/vocabulary.js';
import { buildMtom } from '../../src/soap-wire/mtom-builder.js';
import { startTestBed, type TestBed } from '../support/nist/test-bed.js';
import { postRaw, requestEnvelope, withBody } from '../support/soap-calls.js';
import { aDocumentEntry, aSubmission } from '../support/xds-builders.js';

/**
 * `npm start` as a test bed (FSE_XDS_METADATA_PROFILE=ihe, FSE_ACCESS_POLICY=mappings/access-policy-open.json,
 * INI_URL=none): no INI simulator and no federation, said once in the log; a text/plain ITI-41 with two documents
 * is stored regionally, found by the (federated) ITI-18 on the regional registry alone and retrieved by ITI-43.
 * See: issue 13; README "Configuration".
 */
const logLines = (text: string) => text.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { message?: string; level?: string });

describe('fse-bridge start --dev with INI_URL=none and the ihe profile', () => {
  let bridge: TestBed;
  before(async () => { bridge = await startTestBed(); });
  after(async () => {
    if (bridge) assert.equal(await bridge.stop(), 0, bridge.logs());
  });

  test('logs the federation off once, the regional ITI-41 of the ihe profile, and starts no INI simulator', () => {
    const messages = logLines(bridge.logs()).map((l) => l.message ?? '');
    assert.equal(messages.filter((m) => m === 'INI federation off (INI_URL=none): the regional registry answers alone').length, 1, bridge.logs());
    assert.ok(messages.some((m) => m.startsWith('metadata profile ihe:')), bridge.logs());
    assert.ok(!messages.some((m) => m.startsWith('INI simulator started') || m === 'INI federation on'), bridge.logs());
  });

  test('ITI-41 (two text/plain documents, MTOM) -> ITI-18 FindDocuments -> ITI-43, with no error from the absent INI', async () => {
    const patient = `${randomBytes(6).toString('hex')}^^^&1.3.6.1.4.1.21367.13.20.1000&ISO` as PatientId;
    const docs = ['first note', 'second note'].map((text, i) => ({
      entry: aDocumentEntry({ patientId: patient, sourcePatientId: patient, mimeType: 'text/plain', uniqueId: `1.3.6.1.4.1.21367.2026.7.${Date.now()}.${i}` as UniqueId }),
      bytes: new TextEncoder().encode(text),
    }));
    const submission = aSubmission(docs);
    const repository = `${bridge.baseUrl}/xds/repository`;
    const { xml: body, attachments } = encodeProvideAndRegister(submission, { mtom: true });
    const provide = requestEnvelope(SOAP_ACTION.iti41, repository, body);
    const pkg = buildMtom({ rootXml: provide.xml, action: SOAP_ACTION.iti41, attachments });
    const stored = await postRaw(repository, pkg.contentType, pkg.body, provide.messageId);
    assert.deepEqual(withBody(stored, (el) => decodeRegistryResponse(el)).status, 'Success', stored.raw.toString('utf8'));

    const registry = `${bridge.baseUrl}/xds/registry`;
    const request = { returnType: 'LeafClass', query: { type: 'FindDocuments', patientId: patient, statuses: ['Approved'] } } as const;
    const query = requestEnvelope(SOAP_ACTION.iti18, registry, (parent) => { encodeAdhocQueryRequest(request, parent); });
    const found = await postRaw(registry, `application/soap+xml; charset=UTF-8; action="${SOAP_ACTION.iti18}"`, query.xml, query.messageId);
    const response = withBody(found, (el) => decodeAdhocQueryResponse(el, 'LeafClass'));
    assert.deepEqual([response.status, response.errors], ['Success', []]);
    assert.ok(response.result.kind === 'LeafClass');
    assert.deepEqual(response.result.documentEntries.map((e) => e.uniqueId).sort(), docs.map((d) => d.entry.uniqueId).sort());

    const [entry] = response.result.documentEntries;
    const repositoryUniqueId = entry?.repositoryUniqueId;
    assert.ok(repositoryUniqueId);
    const wanted = docs.map((d) => ({ repositoryUniqueId, documentUniqueId: d.entry.uniqueId }));
    const retrieve = requestEnvelope(SOAP_ACTION.iti43, repository, (parent) => encodeRetrieveRequest(wanted, parent));
    const answer = await postRaw(repository, `application/soap+xml; charset=UTF-8; action="${SOAP_ACTION.iti43}"`, retrieve.xml, retrieve.messageId);
    const retrieved = withBody(answer, (el) => decodeRetrieveResponse(el, answer.parts));
    assert.equal(retrieved.status, 'Success');
    assert.deepEqual(retrieved.documents.map((d) => [d.mimeType, new TextDecoder().decode(d.bytes)]), [['text/plain', 'first note'], ['text/plain', 'second note']]);
  });
});
