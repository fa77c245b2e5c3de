import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RepositoryUniqueId } from '../../src/domain/ids.js';
import type { Submission } from '../../src/domain/xds.js';
import { encodeProvideAndRegister } from '../../src/ebxml/provide-and-register.js';
import { decodeRegistryResponse, type DecodedRegistryResponse } from '../../src/ebxml/registry-response.js';
import { SOAP_ACTION } from '../../src/metadata/vocabulary.js';
import { sha1Hex } from '../../src/pdf/hashes.js';
import { startBridge, type Harness } from '../support/bridge-harness.js';
import { callSoap, retrieve, withBody } from '../support/soap-calls.js';
import { aDocumentEntry, aFolder, anAssociation, aSubmission } from '../support/xds-builders.js';
import { REGION_REPOSITORY } from '../support/xds-submissions.js';

/**
 * ITI-41 under the `ihe` metadata profile (a test bed, an IHE-only affinity domain): the bridge is its own Document
 * Repository and Registry. Any MIME type, several documents, a Folder, all stored in one transaction or none; the
 * national Gateway is never called. The NIST replay (test/conformance/nist-repository-soap.test.ts) runs the
 * toolkit's data when ../shared is there; this test needs only its own. See: IHE ITI TF-2b 3.41.4.1.3.
 */
const PATIENT = 'a1b2c3^^^&1.3.6.1.4.1.21367.13.20.1000&ISO';
const text = (s: string) => new TextEncoder().encode(s);

function twoDocuments(second: Uint8Array = text('second, an image in real life')): Submission {
  const base = aSubmission([
    { entry: aDocumentEntry({ patientId: PATIENT as never, mimeType: 'text/plain' }), bytes: text('first document') },
    { entry: aDocumentEntry({ patientId: PATIENT as never, mimeType: 'image/goofy' }), bytes: second },
  ]);
  const folder = aFolder({ patientId: PATIENT as never });
  const inFolder = base.documents.map((d) => anAssociation('HasMember', folder.entryUuid, d.entry.entryUuid));
  return {
    ...base, submissionSet: { ...base.submissionSet, sourceId: '129.6.58.92.1.1' }, folders: [folder],
    associations: [...base.associations, anAssociation('HasMember', base.submissionSet.entryUuid, folder.entryUuid), ...inFolder],
  };
}

describe('ITI-41 under the ihe profile: the regional repository and registry alone', () => {
  let h: Harness;
  let repository: RepositoryUniqueId;
  before(async () => {
    h = await startBridge({ FSE_XDS_METADATA_PROFILE: 'ihe', FSE_ACCESS_POLICY: 'mappings/access-policy-open.json' });
    repository = REGION_REPOSITORY as RepositoryUniqueId;
  });
  after(async () => h.stop());

  async function provide(submission: Submission): Promise<DecodedRegistryResponse> {
    const { xml, attachments } = encodeProvideAndRegister(submission, { mtom: true });
    const answer = await callSoap(h, 'repository', SOAP_ACTION.iti41, xml, { mtom: true, attachments });
    assert.equal(answer.status, 200);
    return withBody(answer, decodeRegistryResponse);
  }

  test('two documents and a Folder in one submission: all stored, retrievable, nothing sent to the Gateway', async () => {
    const before = h.simulator?.received.length ?? 0;
    const submission = twoDocuments();
    const response = await provide(submission);
    assert.equal(response.status, 'Success', JSON.stringify(response.errors));
    const { registry } = h.app.resources();
    for (const { entry, bytes } of submission.documents) {
      const stored = await registry.getDocumentEntry({ uniqueId: entry.uniqueId });
      assert.equal(stored?.hash, sha1Hex(bytes ?? new Uint8Array()), 'the repository set the hash');
      assert.equal(stored?.repositoryUniqueId, repository);
    }
    const got = await retrieve(h, submission.documents.map((d) => ({ repositoryUniqueId: repository, documentUniqueId: d.entry.uniqueId })));
    assert.equal(got.status, 'Success', JSON.stringify(got.errors));
    assert.deepEqual(got.documents.map((d) => [d.mimeType, Buffer.from(d.bytes).toString('utf8')]),
      [['text/plain', 'first document'], ['image/goofy', 'second, an image in real life']]);
    assert.equal(h.simulator?.received.length ?? 0, before, 'the national Gateway is not called under the ihe profile');
  });

  test('a wrong hash on the second document: XDSRepositoryMetadataError and neither document stored', async () => {
    const submission = twoDocuments();
    const [first, second] = submission.documents;
    assert.ok(first && second);
    const broken = { ...submission, documents: [first, { ...second, entry: { ...second.entry, hash: 'ab'.repeat(20) } }] };
    const response = await provide(broken);
    assert.equal(response.status, 'Failure');
    assert.ok(response.errors.some((e) => e.code === 'XDSRepositoryMetadataError'), JSON.stringify(response.errors));
    const { registry } = h.app.resources();
    assert.equal(await registry.getDocumentEntry({ uniqueId: first.entry.uniqueId }), undefined, 'all or nothing');
    const got = await retrieve(h, [{ repositoryUniqueId: repository, documentUniqueId: first.entry.uniqueId }]);
    assert.equal(got.documents.length, 0);
  });

  test('a document of another patient: XDSPatientIdDoesNotMatch, nothing stored', async () => {
    const submission = twoDocuments();
    const [first, second] = submission.documents;
    assert.ok(first && second);
    const other = { ...submission, documents: [first, { ...second, entry: { ...second.entry, patientId: 'zz^^^&1.3.6.1.4.1.21367.13.20.1000&ISO' as never } }] };
    const response = await provide(other);
    assert.equal(response.status, 'Failure');
    assert.ok(response.errors.some((e) => e.code === 'XDSPatientIdDoesNotMatch'), JSON.stringify(response.errors));
    assert.equal(await h.app.resources().registry.getDocumentEntry({ uniqueId: first.entry.uniqueId }), undefined);
  });
});

describe('ITI-41 under the ihe profile with an affinity domain of patient ids', () => {
  let h: Harness;
  before(async () => {
    h = await startBridge({ FSE_XDS_METADATA_PROFILE: 'ihe', FSE_XDS_PATIENT_DOMAINS: '1.3.6.1.4.1.21367.13.20.2000' });
  });
  after(async () => h.stop());

  test('a patient of another identity domain: XDSUnknownPatientId, nothing stored', async () => {
    const submission = twoDocuments();
    const { xml, attachments } = encodeProvideAndRegister(submission, { mtom: true });
    const answer = await callSoap(h, 'repository', SOAP_ACTION.iti41, xml, { mtom: true, attachments });
    const response = withBody(answer, decodeRegistryResponse);
    assert.equal(response.status, 'Failure');
    assert.ok(response.errors.some((e) => e.code === 'XDSUnknownPatientId'), JSON.stringify(response.errors));
    const [first] = submission.documents;
    assert.ok(first);
    assert.equal(await h.app.resources().registry.getDocumentEntry({ uniqueId: first.entry.uniqueId }), undefined);
  });
});
