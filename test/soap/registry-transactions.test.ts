import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { XmlBuilder as XMLBuilder } from '../../src/xml/xml-writer.js';
import type { EntryUuid, RepositoryUniqueId } from '../../src/domain/ids.js';
import type { DocumentEntry, Submission } from '../../src/domain/xds.js';
import { decodeRegistryResponse, type DecodedRegistryResponse } from '../../src/ebxml/registry-response.js';
import { encodeRemoveObjectsRequest } from '../../src/ebxml/remove-objects-request.js';
import { EBXML_NS } from '../../src/ebxml/rim-read.js';
import { encodeRegistryObjectList } from '../../src/ebxml/submit-objects-request.js';
import { SOAP_ACTION, STATUS } from '../../src/metadata/vocabulary.js';
import { startBridge, type Harness } from '../support/bridge-harness.js';
import { callSoap, withBody } from '../support/soap-calls.js';
import { anAssociation, aSubmissionSet } from '../support/xds-builders.js';
import { docUniqueId, ldoSubmission, metadataUpdateOf, SAMPLE_PATIENT } from '../support/xds-submissions.js';

const OTHER_REPOSITORY = '2.16.840.1.113883.2.9.2.120.4.5.7' as RepositoryUniqueId;

/** An ITI-42 submission: metadata of a document held in another repository (hash, size and repository given). */
function registered(ext: string, overrides: Partial<DocumentEntry> = {}): Submission {
  const submission = ldoSubmission(ext);
  const [doc] = submission.documents;
  if (!doc) throw new Error('no document');
  const entry: DocumentEntry = { ...doc.entry, hash: 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3', size: 1234, repositoryUniqueId: OTHER_REPOSITORY, ...overrides };
  return { ...submission, documents: [{ entry }] };
}

async function submitObjects(h: Harness, action: string, submission: Submission): Promise<DecodedRegistryResponse> {
  const answer = await callSoap(h, 'registry', action, (parent: XMLBuilder) => {
    encodeRegistryObjectList(submission, parent.ele(EBXML_NS.lcm, 'lcm:SubmitObjectsRequest'));
  });
  assert.equal(answer.status, 200, answer.raw.toString('utf8').slice(0, 1000));
  return withBody(answer, decodeRegistryResponse);
}

async function remove(h: Harness, action: string, uuids: readonly EntryUuid[]): Promise<DecodedRegistryResponse> {
  return withBody(await callSoap(h, 'registry', action, (parent) => encodeRemoveObjectsRequest(uuids, parent)), decodeRegistryResponse);
}

const codes = (r: DecodedRegistryResponse) => r.errors.map((e) => e.code);

describe('registry transactions: ITI-42, ITI-57, ITI-62', () => {
  let h: Harness;
  before(async () => {
    h = await startBridge();
  });
  after(async () => h.stop());
  const entryOf = (ext: string) => h.app.resources().registry.getDocumentEntry({ uniqueId: docUniqueId(ext) });
  const gatewayCalls = () => h.simulator?.received.length ?? 0;

  test('ITI-42 registers metadata of another repository\'s document in the registry alone; a resubmission is idempotent', async () => {
    const before = gatewayCalls();
    const submission = registered('REG-42-1');
    assert.deepEqual([(await submitObjects(h, SOAP_ACTION.iti42, submission)).status], ['Success']);
    const entry = await entryOf('REG-42-1');
    assert.deepEqual([entry?.repositoryUniqueId, entry?.hash, entry?.size, entry?.status], [OTHER_REPOSITORY, 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3', 1234, 'Approved']);
    const again = await submitObjects(h, SOAP_ACTION.iti42, submission);
    assert.deepEqual([again.status, again.errors], ['Success', []]);
    assert.equal(gatewayCalls(), before, 'ITI-42 does not go to the national Gateway');
  });

  test('ITI-42 refusals with IHE codes: missing hash, other hash or size for a known uniqueId, taken SubmissionSet uniqueId, duplicates in the message', async () => {
    assert.equal((await submitObjects(h, SOAP_ACTION.iti42, registered('REG-42-2'))).status, 'Success');
    const noHash = await submitObjects(h, SOAP_ACTION.iti42, registered('REG-42-NOHASH', { hash: undefined }));
    assert.deepEqual(codes(noHash), ['XDSRegistryMetadataError']);
    assert.match(noHash.errors[0]?.codeContext ?? '', /hash is required/);
    assert.deepEqual(codes(await submitObjects(h, SOAP_ACTION.iti42, registered('REG-42-2', { hash: 'b94a8fe5ccb19ba61c4c0873d391e987982fbbd3' }))), ['XDSNonIdenticalHash']);
    assert.deepEqual(codes(await submitObjects(h, SOAP_ACTION.iti42, registered('REG-42-2', { size: 99 }))), ['XDSNonIdenticalSize']);
    const first = registered('REG-42-3');
    assert.equal((await submitObjects(h, SOAP_ACTION.iti42, first)).status, 'Success');
    const sameSet = registered('REG-42-4');
    const reused = await submitObjects(h, SOAP_ACTION.iti42, { ...sameSet, submissionSet: { ...sameSet.submissionSet, uniqueId: first.submissionSet.uniqueId } });
    assert.deepEqual(codes(reused), ['XDSDuplicateUniqueIdInRegistry']);
    const twice = registered('REG-42-5');
    const [doc] = twice.documents;
    assert.ok(doc);
    const copy = { ...doc.entry, entryUuid: `urn:uuid:${crypto.randomUUID()}` as EntryUuid };
    const message = { ...twice, documents: [...twice.documents, { entry: copy }], associations: [...twice.associations, anAssociation('HasMember', twice.submissionSet.entryUuid, copy.entryUuid, { SubmissionSetStatus: ['Original'] })] };
    assert.ok(codes(await submitObjects(h, SOAP_ACTION.iti42, message)).includes('XDSRegistryDuplicateUniqueIdInMessage'));
    assert.equal(await entryOf('REG-42-5'), undefined);
  });

  test('ITI-42 association targets: unknown -> UnresolvedReferenceException, Deprecated -> XDSRegistryDeprecatedDocumentError; a valid RPLC deprecates', async () => {
    const target = registered('REG-42-T');
    assert.equal((await submitObjects(h, SOAP_ACTION.iti42, target)).status, 'Success');
    const targetUuid = target.documents[0]?.entry.entryUuid;
    assert.ok(targetUuid);
    const withRplc = (ext: string, to: EntryUuid) => {
      const s = registered(ext);
      return { ...s, associations: [...s.associations, anAssociation('RPLC', s.documents[0]?.entry.entryUuid as EntryUuid, to)] };
    };
    assert.deepEqual(codes(await submitObjects(h, SOAP_ACTION.iti42, withRplc('REG-42-R0', `urn:uuid:${crypto.randomUUID()}` as EntryUuid))), ['UnresolvedReferenceException']);
    assert.equal((await submitObjects(h, SOAP_ACTION.iti42, withRplc('REG-42-R1', targetUuid))).status, 'Success');
    assert.equal((await entryOf('REG-42-T'))?.status, 'Deprecated');
    assert.deepEqual(codes(await submitObjects(h, SOAP_ACTION.iti42, withRplc('REG-42-R2', targetUuid))), ['XDSRegistryDeprecatedDocumentError']);
  });

  test('ITI-57 registry rules: stale PreviousVersion, changed hash, changed patient, unknown lid', async () => {
    assert.equal((await submitObjects(h, SOAP_ACTION.iti42, registered('REG-57-1'))).status, 'Success');
    const current = await entryOf('REG-57-1');
    assert.ok(current);
    const stale = metadataUpdateOf(current, {});
    const staleMember = stale.associations[0];
    assert.ok(staleMember);
    const staleUpdate = { ...stale, associations: [{ ...staleMember, slots: { ...staleMember.slots, PreviousVersion: ['7'] } }] };
    assert.deepEqual(codes(await submitObjects(h, SOAP_ACTION.iti57, staleUpdate)), ['XDSMetadataVersionError']);
    assert.deepEqual(codes(await submitObjects(h, SOAP_ACTION.iti57, metadataUpdateOf(current, { hash: 'c94a8fe5ccb19ba61c4c0873d391e987982fbbd3' }))), ['XDSMetadataUpdateError']);
    const otherPatient = 'BNCLRA80A41H501D^^^&2.16.840.1.113883.2.9.4.3.2&ISO' as DocumentEntry['patientId'];
    const moved = metadataUpdateOf({ ...current, patientId: otherPatient, sourcePatientId: otherPatient }, {});
    assert.ok(codes(await submitObjects(h, SOAP_ACTION.iti57, { ...moved, submissionSet: { ...moved.submissionSet, patientId: otherPatient } })).includes('XDSPatientIDReconciliationError'));
    assert.deepEqual(codes(await submitObjects(h, SOAP_ACTION.iti57, metadataUpdateOf({ ...current, logicalId: `urn:uuid:${crypto.randomUUID()}` as EntryUuid }, {}))), ['XDSMetadataUpdateError']);
    assert.equal((await entryOf('REG-57-1'))?.version, 1, 'nothing changed');
  });

  test('ITI-57 of a document unknown nationally updates the regional registry with a warning', async () => {
    assert.equal((await submitObjects(h, SOAP_ACTION.iti42, registered('REG-57-2'))).status, 'Success');
    const current = await entryOf('REG-57-2');
    assert.ok(current);
    const response = await submitObjects(h, SOAP_ACTION.iti57, metadataUpdateOf(current, { title: 'Nuovo titolo' }));
    assert.deepEqual([response.status, response.errors.map((e) => e.severity)], ['Success', ['Warning']]);
    assert.match(response.errors[0]?.codeContext ?? '', /unknown to the national infrastructure/);
    assert.deepEqual([(await entryOf('REG-57-2'))?.version, (await entryOf('REG-57-2'))?.title], [2, 'Nuovo titolo']);
  });

  test('ITI-57 status-only update (UpdateAvailabilityStatus): Approved -> Deprecated, a wrong OriginalStatus is refused', async () => {
    assert.equal((await submitObjects(h, SOAP_ACTION.iti42, registered('REG-57-S'))).status, 'Success');
    const current = await entryOf('REG-57-S');
    assert.ok(current);
    const statusUpdate = (original: string) => {
      const submissionSet = aSubmissionSet({ patientId: SAMPLE_PATIENT });
      return {
        submissionSet, documents: [], folders: [],
        associations: [anAssociation('UpdateAvailabilityStatus', submissionSet.entryUuid, current.entryUuid, { OriginalStatus: [original], NewStatus: [STATUS.deprecated] })],
      };
    };
    assert.deepEqual(codes(await submitObjects(h, SOAP_ACTION.iti57, statusUpdate(STATUS.deprecated))), ['XDSMetadataUpdateOperationError']);
    assert.equal((await submitObjects(h, SOAP_ACTION.iti57, statusUpdate(STATUS.approved))).status, 'Success');
    assert.equal((await entryOf('REG-57-S'))?.status, 'Deprecated');
  });

  test('ITI-62 under IHE\'s action needs the associations listed; INI\'s action cascades; unknown ids are refused', async () => {
    const submission = registered('REG-62-1');
    assert.equal((await submitObjects(h, SOAP_ACTION.iti42, submission)).status, 'Success');
    const entryUuid = submission.documents[0]?.entry.entryUuid;
    const hasMember = submission.associations[0]?.entryUuid;
    assert.ok(entryUuid && hasMember);
    assert.deepEqual(codes(await remove(h, SOAP_ACTION.iti62, [entryUuid])), ['ReferencesExistException']);
    assert.deepEqual(codes(await remove(h, SOAP_ACTION.iti62, [`urn:uuid:${crypto.randomUUID()}` as EntryUuid])), ['UnresolvedReferenceException']);
    assert.ok(await entryOf('REG-62-1'), 'nothing removed by the refused requests');
    const ihe = await remove(h, SOAP_ACTION.iti62, [entryUuid, hasMember, submission.submissionSet.entryUuid]);
    assert.equal(ihe.status, 'Success', JSON.stringify(ihe.errors));
    assert.equal(await entryOf('REG-62-1'), undefined);
    assert.equal((await h.app.resources().registry.objectKinds([hasMember, submission.submissionSet.entryUuid])).size, 0);

    const cascading = registered('REG-62-2');
    assert.equal((await submitObjects(h, SOAP_ACTION.iti42, cascading)).status, 'Success');
    const uuid = cascading.documents[0]?.entry.entryUuid;
    assert.ok(uuid);
    assert.equal((await remove(h, SOAP_ACTION.iniDelete, [uuid])).status, 'Success');
    assert.equal(await entryOf('REG-62-2'), undefined);
    assert.equal((await h.app.resources().registry.objectKinds([cascading.submissionSet.entryUuid])).size, 0, 'the emptied SubmissionSet went too');
  });
});
