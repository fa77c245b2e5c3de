import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseRepositoryUniqueId, parseUniqueId, type EntryUuid } from '../../src/domain/ids.js';
import { buildSampleCda } from '../../src/dev/sample-cda.js';
import { encodeProvideAndRegister } from '../../src/ebxml/provide-and-register.js';
import { decodeRegistryResponse } from '../../src/ebxml/registry-response.js';
import { encodeRemoveObjectsRequest } from '../../src/ebxml/remove-objects-request.js';
import { encodeRegistryObjectList } from '../../src/ebxml/submit-objects-request.js';
import { EBXML_NS } from '../../src/ebxml/rim-read.js';
import { SOAP_ACTION } from '../../src/metadata/vocabulary.js';
import type { XmlBuilder } from '../../src/xml/xml-writer.js';
import { OPEN_ACCESS_POLICY, samplePdf, startBridge, type Harness } from '../support/bridge-harness.js';
import { creationBody, headersFor, send, validated } from '../support/pipeline-calls.js';
import { callSoap, retrieve, storedQuery, withBody } from '../support/soap-calls.js';
import { docUniqueId, ldoSubmission, metadataUpdateOf, REGION_REPOSITORY, SAMPLE_PATIENT } from '../support/xds-submissions.js';

const BACKENDS = ['postgres', 'redis'] as const;

for (const backend of BACKENDS) {
  describe(`what goes in by one door comes out of the other (${backend} queue)`, () => {
    let h: Harness;
    before(async () => {
      h = await startBridge({ QUEUE_BACKEND: backend, FSE_ACCESS_POLICY: OPEN_ACCESS_POLICY });
    });
    after(async () => h.stop());

    test('published over REST: found by ITI-18 FindDocuments and retrieved byte for byte by ITI-43', async () => {
      const { pdf, wid, docId } = await validated(h, `EQ-${backend}-REST`);
      const published = await send(h, 'POST', '/v1/documents', await headersFor(h, pdf), pdf, creationBody(docId, { workflowInstanceId: wid }));
      assert.equal(published.status, 202, published.text);
      const found = await storedQuery(h, { returnType: 'LeafClass', query: { type: 'FindDocuments', patientId: SAMPLE_PATIENT, statuses: ['Approved'] } });
      assert.equal(found.status, 'Success');
      assert.equal(found.result.kind, 'LeafClass');
      const entry = found.result.kind === 'LeafClass' ? found.result.documentEntries.find((e) => e.uniqueId === docId) : undefined;
      assert.ok(entry, 'the REST publication is in the registry ITI-18 reads');
      assert.equal(entry.repositoryUniqueId, REGION_REPOSITORY);
      const retrieved = await retrieve(h, [{ repositoryUniqueId: parseRepositoryUniqueId(REGION_REPOSITORY), documentUniqueId: parseUniqueId(docId) }]);
      assert.equal(retrieved.status, 'Success');
      assert.deepEqual(Buffer.from(retrieved.documents[0]?.bytes ?? []), Buffer.from(pdf));
      assert.equal(retrieved.documents[0]?.mimeType, 'application/pdf+text/x-cda-r2+xml');
    });

    test('submitted by ITI-41: shows in the REST status API under the workflowInstanceId the RegistryResponse names', async () => {
      const pdf = await samplePdf(buildSampleCda({ docExtension: `EQ-${backend}-SOAP` }));
      const { xml, attachments } = encodeProvideAndRegister(ldoSubmission(`EQ-${backend}-SOAP`, { bytes: pdf }), { mtom: true });
      const response = withBody(await callSoap(h, 'repository', SOAP_ACTION.iti41, xml, { mtom: true, attachments }), decodeRegistryResponse);
      assert.equal(response.status, 'Success', JSON.stringify(response.errors));
      const wid = response.slots.workflowInstanceId?.[0] ?? '';
      const status = await send(h, 'GET', `/v1/status/${encodeURIComponent(wid)}`, { Authorization: (await headersFor(h, pdf)).Authorization ?? '' });
      assert.equal(status.status, 200, status.text);
      const events = status.body.transactionData as { eventType: string; eventStatus: string; identificativoDocumento?: string }[];
      assert.ok(events.some((e) => e.eventType === 'PUBLICATION' && e.eventStatus === 'SUCCESS' && e.identificativoDocumento === docUniqueId(`EQ-${backend}-SOAP`)), JSON.stringify(events));
      const byTrace = await send(h, 'GET', `/v1/status/search/${response.slots.traceId?.[0] ?? ''}`, { Authorization: (await headersFor(h, pdf)).Authorization ?? '' });
      assert.equal(byTrace.status, 200, byTrace.text);
    });

    test('ITI-57 updates through the Gateway (metadata-iti-57) and adds version 2; ITI-62 deletes through it', async () => {
      const ext = `EQ-${backend}-UPD`;
      const submission = ldoSubmission(ext, { bytes: await samplePdf(buildSampleCda({ docExtension: ext })) });
      const { xml, attachments } = encodeProvideAndRegister(submission, { mtom: true });
      assert.equal(withBody(await callSoap(h, 'repository', SOAP_ACTION.iti41, xml, { mtom: true, attachments }), decodeRegistryResponse).status, 'Success');
      const { registry } = h.app.resources();
      const current = await registry.getDocumentEntry({ uniqueId: docUniqueId(ext) });
      assert.ok(current);
      // Obscuring both ways the Affinity Domain has: the P99 event code (which the Gateway's metadata update carries)
      // and confidentiality V (which it does not: the regional registry keeps it). See: xds-ini digest 6.9, 6.10.
      const update = metadataUpdateOf(current, {
        eventCodes: [{ code: 'P99', scheme: '2.16.840.1.113883.2.9.3.3.6.1.3' }],
        confidentialityCodes: [{ code: 'V', scheme: '2.16.840.1.113883.5.25', display: 'Very Restricted' }],
      });
      const sor = (parent: XmlBuilder) => { encodeRegistryObjectList(update, parent.ele(EBXML_NS.lcm, 'lcm:SubmitObjectsRequest')); };
      const updated = withBody(await callSoap(h, 'registry', SOAP_ACTION.iti57, sor), decodeRegistryResponse);
      assert.equal(updated.status, 'Success', JSON.stringify(updated.errors));
      const v2 = await registry.getDocumentEntry({ uniqueId: docUniqueId(ext) });
      assert.deepEqual([v2?.version, v2?.eventCodes.map((c) => c.code), v2?.confidentialityCodes.map((c) => c.code), v2?.logicalId], [2, ['P99'], ['V'], current.logicalId]);
      const sent = h.simulator?.received.filter((r) => r.operation === 'metadata').at(-1);
      assert.deepEqual((JSON.parse(sent?.json ?? '{}') as { attiCliniciRegoleAccesso?: string[] }).attiCliniciRegoleAccesso, ['P99']);
      assert.equal((await registry.getDocumentEntry({ entryUuid: current.entryUuid }))?.status, 'Deprecated');
      assert.equal(h.simulator?.documents.get(docUniqueId(ext))?.metadataUpdates, 1);

      const versions = [current.entryUuid, v2?.entryUuid].filter((u): u is EntryUuid => u !== undefined);
      const removed = withBody(await callSoap(h, 'registry', SOAP_ACTION.iniDelete, (parent) => encodeRemoveObjectsRequest(versions, parent)), decodeRegistryResponse);
      assert.equal(removed.status, 'Success', JSON.stringify(removed.errors));
      assert.equal(await registry.getDocumentEntry({ uniqueId: docUniqueId(ext) }), undefined);
      assert.equal(h.simulator?.documents.get(docUniqueId(ext))?.state, 'deleted');
    });

    test('ITI-43 for one present and one missing document: PartialSuccess with XDSDocumentUniqueIdError; another repository: XDSUnknownRepositoryId', async () => {
      const { pdf, wid, docId } = await validated(h, `EQ-${backend}-PART`);
      assert.equal((await send(h, 'POST', '/v1/documents', await headersFor(h, pdf), pdf, creationBody(docId, { workflowInstanceId: wid }))).status, 202);
      const repository = parseRepositoryUniqueId(REGION_REPOSITORY);
      const partial = await retrieve(h, [
        { repositoryUniqueId: repository, documentUniqueId: parseUniqueId(docId) },
        { repositoryUniqueId: repository, documentUniqueId: parseUniqueId('2.16.840.1.113883.2.9.2.120.4.4^NOPE') },
        { repositoryUniqueId: parseRepositoryUniqueId('2.16.840.1.113883.2.9.2.90.4.5.1'), documentUniqueId: parseUniqueId('2.16.840.1.113883.2.9.2.90.4.4^X') },
      ]);
      assert.equal(partial.status, 'PartialSuccess');
      assert.deepEqual(partial.documents.map((d) => d.documentUniqueId), [docId]);
      assert.deepEqual(partial.errors.map((e) => [e.code, e.location]), [
        ['XDSDocumentUniqueIdError', '2.16.840.1.113883.2.9.2.120.4.4^NOPE'], ['XDSUnknownRepositoryId', '2.16.840.1.113883.2.9.2.90.4.5.1']]);
      const none = await retrieve(h, [{ repositoryUniqueId: repository, documentUniqueId: parseUniqueId('2.16.840.1.113883.2.9.2.120.4.4^NOPE') }]);
      assert.equal(none.status, 'Failure');
    });
  });
}
