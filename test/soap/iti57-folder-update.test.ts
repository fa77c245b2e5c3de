import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { EntryUuid, PatientId, RepositoryUniqueId } from '../../src/domain/ids.js';
import type { StoredQuery } from '../../src/domain/stored-query.js';
import type { Association, DocumentEntry, Folder, Submission } from '../../src/domain/xds.js';
import { decodeRegistryResponse, type DecodedRegistryResponse } from '../../src/ebxml/registry-response.js';
import { EBXML_NS } from '../../src/ebxml/rim-read.js';
import { encodeRegistryObjectList } from '../../src/ebxml/submit-objects-request.js';
import { SOAP_ACTION, STATUS } from '../../src/metadata/vocabulary.js';
import { OPEN_ACCESS_POLICY, startBridge, type Harness } from '../support/bridge-harness.js';
import { callSoap, storedQuery, withBody } from '../support/soap-calls.js';
import { aFolder, anAssociation, aSubmissionSet, newUuid } from '../support/xds-builders.js';
import { ldoSubmission, SAMPLE_PATIENT } from '../support/xds-submissions.js';

/**
 * ITI-57 Folder updates over real SOAP against a running bridge (PostgreSQL, the Gateway simulator that must not be
 * called): a new Folder version, adding and removing a DocumentEntry, the Folder's status, every refusal with IHE's
 * code and nothing written when one part fails; the stored queries see the latest versions. See:
 * src/operations/iti57-folder-update.ts.
 */
const OTHER_REPOSITORY = '2.16.840.1.113883.2.9.2.120.4.5.7' as RepositoryUniqueId;
const OTHER_PATIENT = 'BNCLRA80A41H501D^^^&2.16.840.1.113883.2.9.4.3.2&ISO' as PatientId;
const codes = (r: DecodedRegistryResponse) => r.errors.map((e) => e.code);

/** ITI-42 metadata of a document held elsewhere, optionally for another patient. */
function registered(ext: string, patientId: PatientId = SAMPLE_PATIENT): Submission {
  const submission = ldoSubmission(ext);
  const [doc] = submission.documents;
  if (!doc) throw new Error('no document');
  const entry: DocumentEntry = { ...doc.entry, hash: 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3', size: 1234, repositoryUniqueId: OTHER_REPOSITORY, patientId, sourcePatientId: patientId };
  return { ...submission, submissionSet: { ...submission.submissionSet, patientId }, documents: [{ entry }] };
}

/** An ITI-57 SubmissionSet with the given Folders (each its HasMember, PreviousVersion given) and other associations. */
function update(folders: readonly { folder: Folder; previous?: number; propagation?: string }[], associations: readonly Association[] = [], patientId: PatientId = SAMPLE_PATIENT): Submission {
  const submissionSet = aSubmissionSet({ patientId });
  const members = folders.map(({ folder, previous, propagation }) => anAssociation('HasMember', submissionSet.entryUuid, folder.entryUuid, {
    SubmissionSetStatus: ['Original'], ...(previous === undefined ? {} : { PreviousVersion: [String(previous)] }), ...(propagation ? { AssociationPropagation: [propagation] } : {}),
  }));
  const referenced = associations.filter((a) => a.type === 'HasMember').map((a) => anAssociation('HasMember', submissionSet.entryUuid, a.entryUuid, { SubmissionSetStatus: ['Original'] }));
  return { submissionSet, documents: [], folders: folders.map((f) => f.folder), associations: [...members, ...associations, ...referenced] };
}

const statusChange = (target: EntryUuid, from: string, to: string) =>
  (ss: EntryUuid) => anAssociation('UpdateAvailabilityStatus', ss, target, { OriginalStatus: [from], NewStatus: [to] });

function statusUpdate(target: EntryUuid, from: string, to: string): Submission {
  const submissionSet = aSubmissionSet({ patientId: SAMPLE_PATIENT });
  return { submissionSet, documents: [], folders: [], associations: [statusChange(target, from, to)(submissionSet.entryUuid)] };
}

describe('ITI-57 Folder updates (regional registry)', () => {
  let h: Harness;
  before(async () => {
    // Tests of Folder semantics, not of access rights: every caller reads everything.
    h = await startBridge({ FSE_ACCESS_POLICY: OPEN_ACCESS_POLICY });
  });
  after(async () => h.stop());

  async function submit(action: string, submission: Submission): Promise<DecodedRegistryResponse> {
    const answer = await callSoap(h, 'registry', action, (parent) => encodeRegistryObjectList(submission, parent.ele(EBXML_NS.lcm, 'lcm:SubmitObjectsRequest')));
    assert.equal(answer.status, 200, answer.raw.toString('utf8').slice(0, 1000));
    return withBody(answer, decodeRegistryResponse);
  }
  const leaf = async (query: StoredQuery) => {
    const response = await storedQuery(h, { returnType: 'LeafClass', query });
    assert.equal(response.status, 'Success', JSON.stringify(response.errors));
    if (response.result.kind !== 'LeafClass') throw new Error('LeafClass asked');
    return response.result;
  };
  const folderRows = async (logicalId: EntryUuid) => (await h.app.resources().db.pool.query<{ entry_uuid: string; version: number; status: string; title: string; last_update_time: string }>(
    'SELECT entry_uuid, version, status, title, last_update_time FROM folder WHERE logical_id = $1 ORDER BY version', [logicalId])).rows;
  const associationCount = async () => Number((await h.app.resources().db.pool.query<{ n: string }>('SELECT count(*) AS n FROM association')).rows[0]?.n);

  /** A Folder with one DocumentEntry, registered by ITI-42, and a second entry of the same patient outside it. */
  async function folderWithEntry(ext: string) {
    const first = registered(`${ext}-1`);
    const entry = first.documents[0]?.entry;
    assert.ok(entry);
    const folder = aFolder({ patientId: SAMPLE_PATIENT, title: 'Ricovero' });
    const inFolder = anAssociation('HasMember', folder.entryUuid, entry.entryUuid);
    const ss = first.submissionSet.entryUuid;
    const withFolder: Submission = { ...first, folders: [folder], associations: [...first.associations,
      anAssociation('HasMember', ss, folder.entryUuid, { SubmissionSetStatus: ['Original'] }), inFolder, anAssociation('HasMember', ss, inFolder.entryUuid, { SubmissionSetStatus: ['Original'] })] };
    assert.equal((await submit(SOAP_ACTION.iti42, withFolder)).status, 'Success');
    const second = registered(`${ext}-2`);
    assert.equal((await submit(SOAP_ACTION.iti42, second)).status, 'Success');
    const other = second.documents[0]?.entry;
    assert.ok(other);
    return { folder, entry, other };
  }

  test('adding an entry, a new Folder version (memberships follow), taking an entry out, the Folder\'s status; the stored queries follow', async () => {
    const before = h.simulator?.received.length ?? 0;
    const { folder, entry, other } = await folderWithEntry('FOL-57-A');
    await h.app.resources().db.pool.query(`UPDATE folder SET last_update_time = '20200101000000' WHERE entry_uuid = $1`, [folder.entryUuid]);

    const added = anAssociation('HasMember', folder.entryUuid, other.entryUuid);
    assert.deepEqual([(await submit(SOAP_ACTION.iti57, update([], [added]))).status], ['Success']);
    assert.notEqual((await folderRows(folder.logicalId))[0]?.last_update_time, '20200101000000', 'a changed content updates lastUpdateTime');
    const contents = await leaf({ type: 'GetFolderAndContents', folder: { entryUuid: folder.entryUuid } });
    assert.deepEqual(contents.documentEntries.map((d) => d.entryUuid).sort(), [entry.entryUuid, other.entryUuid].sort());

    const v2: Folder = { ...folder, entryUuid: newUuid(), title: 'Ricovero 2026' };
    const versioned = await submit(SOAP_ACTION.iti57, update([{ folder: v2, previous: 1 }]));
    assert.equal(versioned.status, 'Success', JSON.stringify(versioned.errors));
    assert.deepEqual((await folderRows(folder.logicalId)).map((r) => [r.entry_uuid, r.version, r.status, r.title]),
      [[folder.entryUuid, 1, 'Deprecated', 'Ricovero'], [v2.entryUuid, 2, 'Approved', 'Ricovero 2026']]);
    assert.deepEqual((await leaf({ type: 'GetFolders', folders: { uniqueIds: [folder.uniqueId] } })).folders.map((f) => [f.version, f.status]).sort(), [[1, 'Deprecated'], [2, 'Approved']]);
    const approved = (await leaf({ type: 'FindFolders', patientId: SAMPLE_PATIENT, statuses: ['Approved'] })).folders.filter((f) => f.logicalId === folder.logicalId);
    assert.deepEqual(approved.map((f) => f.entryUuid), [v2.entryUuid], 'FindFolders sees the latest Approved version only');
    const latest = await leaf({ type: 'GetFolderAndContents', folder: { uniqueId: folder.uniqueId } });
    assert.deepEqual([latest.folders.map((f) => f.entryUuid), latest.documentEntries.map((d) => d.entryUuid).sort()], [[v2.entryUuid], [entry.entryUuid, other.entryUuid].sort()]);
    assert.deepEqual((await leaf({ type: 'GetFoldersForDocument', document: { entryUuid: entry.entryUuid } })).folders.map((f) => f.entryUuid), [v2.entryUuid]);

    const membership = latest.associations.find((a) => a.sourceUuid === v2.entryUuid && a.targetUuid === other.entryUuid);
    assert.ok(membership, 'the membership was copied to version 2');
    assert.equal((await submit(SOAP_ACTION.iti57, statusUpdate(membership.entryUuid, STATUS.approved, STATUS.deprecated))).status, 'Success');
    const after = await leaf({ type: 'GetFolderAndContents', folder: { entryUuid: v2.entryUuid } });
    assert.deepEqual(after.documentEntries.map((d) => d.entryUuid), [entry.entryUuid], 'the entry is out of the Folder');
    assert.deepEqual((await leaf({ type: 'GetFoldersForDocument', document: { entryUuid: other.entryUuid } })).folders, []);

    assert.deepEqual(codes(await submit(SOAP_ACTION.iti57, statusUpdate(v2.entryUuid, STATUS.deprecated, STATUS.approved))), ['XDSMetadataUpdateOperationError']);
    assert.equal((await submit(SOAP_ACTION.iti57, statusUpdate(v2.entryUuid, STATUS.approved, STATUS.deprecated))).status, 'Success');
    assert.deepEqual((await leaf({ type: 'FindFolders', patientId: SAMPLE_PATIENT, statuses: ['Approved'] })).folders.filter((f) => f.logicalId === folder.logicalId), []);
    assert.equal(h.simulator?.received.length ?? 0, before, 'Folders never reach the national Gateway');
  });

  test('refusals: stale or missing PreviousVersion, unknown lid, changed uniqueId or patient, another patient\'s entry, a superseded version, unsupported types', async () => {
    const { folder, other } = await folderWithEntry('FOL-57-E');
    const next = (changes: Partial<Folder> = {}): Folder => ({ ...folder, entryUuid: newUuid(), title: 'Nuovo', ...changes });
    assert.deepEqual(codes(await submit(SOAP_ACTION.iti57, update([{ folder: next(), previous: 7 }]))), ['XDSMetadataVersionError']);
    assert.deepEqual(codes(await submit(SOAP_ACTION.iti57, update([{ folder: next() }]))), ['XDSMetadataUpdateError']);
    assert.deepEqual(codes(await submit(SOAP_ACTION.iti57, update([{ folder: next({ logicalId: newUuid() }), previous: 1 }]))), ['XDSMetadataUpdateError']);
    assert.deepEqual(codes(await submit(SOAP_ACTION.iti57, update([{ folder: next({ uniqueId: `${folder.uniqueId}.9` as Folder['uniqueId'] }), previous: 1 }]))), ['XDSMetadataUpdateError']);
    assert.deepEqual(codes(await submit(SOAP_ACTION.iti57, update([{ folder: next({ patientId: OTHER_PATIENT }), previous: 1 }], [], OTHER_PATIENT))), ['XDSPatientIdDoesNotMatch']);
    assert.deepEqual(codes(await submit(SOAP_ACTION.iti57, update([{ folder: next({ patientId: OTHER_PATIENT }), previous: 1 }]))), ['XDSPatientIdDoesNotMatch'], 'and the SubmissionSet\'s patient');

    const stranger = registered('FOL-57-E-X', OTHER_PATIENT);
    assert.equal((await submit(SOAP_ACTION.iti42, stranger)).status, 'Success');
    const strangerEntry = stranger.documents[0]?.entry;
    assert.ok(strangerEntry);
    assert.deepEqual(codes(await submit(SOAP_ACTION.iti57, update([], [anAssociation('HasMember', folder.entryUuid, strangerEntry.entryUuid)]))), ['XDSPatientIdDoesNotMatch']);
    assert.deepEqual(codes(await submit(SOAP_ACTION.iti57, update([], [anAssociation('HasMember', folder.entryUuid, newUuid())]))), ['UnresolvedReferenceException']);
    const rplc = update([], [anAssociation('RPLC', other.entryUuid, folder.entryUuid)]);
    assert.ok(codes(await submit(SOAP_ACTION.iti57, rplc)).includes('XDSMetadataUpdateOperationError'));
    assert.deepEqual(codes(await submit(SOAP_ACTION.iti57, statusUpdate(folder.entryUuid, 'urn:oasis:names:tc:ebxml-regrep:StatusType:Submitted', STATUS.deprecated))), ['XDSMetadataUpdateOperationError']);
    assert.deepEqual((await folderRows(folder.logicalId)).map((r) => [r.version, r.status]), [[1, 'Approved']], 'nothing changed');

    // One transaction: a valid membership and a stale version together write nothing.
    const count = await associationCount();
    const mixed = update([{ folder: next(), previous: 3 }], [anAssociation('HasMember', folder.entryUuid, other.entryUuid)]);
    assert.deepEqual(codes(await submit(SOAP_ACTION.iti57, mixed)), ['XDSMetadataVersionError']);
    assert.equal(await associationCount(), count, 'no association of the refused update was written');
    assert.deepEqual((await leaf({ type: 'GetFolderAndContents', folder: { entryUuid: folder.entryUuid } })).documentEntries.length, 1);

    // A superseded version takes no new member; AssociationPropagation no leaves the memberships behind.
    const v2 = next();
    assert.equal((await submit(SOAP_ACTION.iti57, update([{ folder: v2, previous: 1, propagation: 'no' }]))).status, 'Success');
    assert.deepEqual((await leaf({ type: 'GetFolderAndContents', folder: { entryUuid: v2.entryUuid } })).documentEntries, []);
    assert.deepEqual(codes(await submit(SOAP_ACTION.iti57, update([], [anAssociation('HasMember', folder.entryUuid, other.entryUuid)]))), ['XDSMetadataVersionError']);
  });
});
