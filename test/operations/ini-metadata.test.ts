import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RepositoryUniqueId } from '../../src/domain/ids.js';
import type { Submission } from '../../src/domain/xds.js';
import { registerFromIni, updateFromIni, type IniMetadataDeps } from '../../src/operations/ini-metadata.js';
import { createAssistedPatientStore } from '../../src/stores/assisted-patient-store.js';
import { createRegistryStore, type RegistryStore } from '../../src/stores/registry-store.js';
import { DuplicateUniqueIdError } from '../../src/stores/store-errors.js';
import { createTestSchema, type TestSchema } from '../support/test-database.js';
import { anAssociation, aSubmission, aDocumentEntry, newUuid } from '../support/xds-builders.js';
import { ldoSubmission, metadataUpdateOf, REGION_REPOSITORY } from '../support/xds-submissions.js';

/*
 * INI's register and update to the region as RDA, against the real PostgreSQL: the region's own entries for the same
 * documents (its own publication, with the same DocumentEntry and SubmissionSet uniqueIds) give way to INI's copy;
 * INI's retry is Success with nothing written; a SubmissionSet uniqueId held for another document is still refused.
 * See: xds-ini digest 1.2, 4.2, 4.5, 4.8.
 */

/** An ITI-42 as a registry receives it: the document's hash, size and repository set. */
function registered(ext: string): Submission {
  const submission = ldoSubmission(ext);
  return {
    ...submission,
    documents: submission.documents.map(({ entry }) => ({ entry: { ...entry, hash: 'da39a3ee5e6b4b0d3255bfef95601890afd80709', size: 0, repositoryUniqueId: REGION_REPOSITORY as RepositoryUniqueId } })),
  };
}

/** INI's copy of a submission: the same uniqueIds and content, INI's own entryUUIDs. */
function iniCopyOf(submission: Submission): Submission {
  const ss = { ...submission.submissionSet, entryUuid: newUuid() };
  const documents = submission.documents.map(({ entry }) => {
    const entryUuid = newUuid();
    return { entry: { ...entry, entryUuid, logicalId: entryUuid } };
  });
  const associations = documents.map(({ entry }) => anAssociation('HasMember', ss.entryUuid, entry.entryUuid, { SubmissionSetStatus: ['Original'] }));
  return { submissionSet: ss, documents, folders: [], associations };
}

describe('INI\'s metadata messages about documents the region indexed itself', () => {
  let db: TestSchema;
  let registry: RegistryStore;
  let deps: IniMetadataDeps;
  before(async () => {
    db = await createTestSchema();
    registry = createRegistryStore(db.pool);
    deps = { registry, patients: createAssistedPatientStore(db.pool), profile: 'italian' };
  });
  after(() => db.drop());

  const count = async (sql: string, params: unknown[] = []) => (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params)).rows[0]?.n;
  const objects = () => count('registry_object');
  const entriesOf = async (uniqueId: string) => (await db.pool.query<{ entry_uuid: string }>('SELECT entry_uuid FROM document_entry WHERE unique_id = $1', [uniqueId])).rows.map((r) => r.entry_uuid);
  const submissionSetsOf = async (uniqueId: string) => (await db.pool.query<{ entry_uuid: string }>('SELECT entry_uuid FROM submission_set WHERE unique_id = $1', [uniqueId])).rows.map((r) => r.entry_uuid);
  const local = async (ext: string) => {
    const own = registered(ext);
    await registry.registerSubmission(own);
    return own;
  };

  test('the region\'s own publication, then INI\'s copy (same DocumentEntry and SubmissionSet uniqueIds): Success, INI\'s objects alone', async () => {
    const own = await local('INI-OWN');
    const fromIni = iniCopyOf(own);
    const answer = await registerFromIni(fromIni, deps);
    assert.deepEqual(answer, { status: 'Success', errors: [] });
    const [entry] = fromIni.documents;
    assert.deepEqual(await entriesOf(entry?.entry.uniqueId ?? ''), [entry?.entry.entryUuid]);
    assert.deepEqual(await submissionSetsOf(own.submissionSet.uniqueId), [fromIni.submissionSet.entryUuid]);
    assert.equal(await registry.getSubmissionSet(own.submissionSet.entryUuid), undefined, 'the region\'s SubmissionSet gave way');
  });

  test('INI\'s identical resubmission: Success, nothing written', async () => {
    const fromIni = iniCopyOf(await local('INI-RETRY'));
    assert.equal((await registerFromIni(fromIni, deps)).status, 'Success');
    const before = await objects();
    const again = await registry.overwriteWithAuthoritative(fromIni);
    assert.deepEqual(again, { already: true, replaced: 0, droppedAssociations: 0 });
    assert.deepEqual(await registerFromIni(fromIni, deps), { status: 'Success', errors: [] });
    assert.equal(await objects(), before);
  });

  test('INI\'s differing copy under the same ids: overwritten', async () => {
    const fromIni = iniCopyOf(await local('INI-DIFF'));
    assert.equal((await registerFromIni(fromIni, deps)).status, 'Success');
    const [document] = fromIni.documents;
    const changed = { ...fromIni, documents: [{ entry: { ...document!.entry, title: 'Titolo di INI' } }] };
    const written = await registry.overwriteWithAuthoritative(changed);
    assert.deepEqual([written.already, written.replaced], [false, 1]);
    assert.equal((await registry.getDocumentEntry({ entryUuid: document!.entry.entryUuid }))?.title, 'Titolo di INI');
    assert.deepEqual(await submissionSetsOf(fromIni.submissionSet.uniqueId), [fromIni.submissionSet.entryUuid]);
  });

  test('a SubmissionSet uniqueId held for another document is still refused, and nothing changes', async () => {
    const other = await local('INI-OTHER');
    const fromIni = registered('INI-CLASH');
    const clash = { ...fromIni, submissionSet: { ...fromIni.submissionSet, uniqueId: other.submissionSet.uniqueId } };
    const before = await objects();
    await assert.rejects(registry.overwriteWithAuthoritative(clash), DuplicateUniqueIdError);
    const answer = await registerFromIni(clash, deps);
    assert.deepEqual([answer.status, answer.errors.map((e) => e.code)], ['Failure', ['XDSDuplicateUniqueIdInRegistry']]);
    assert.equal(await objects(), before);
    assert.deepEqual(await submissionSetsOf(other.submissionSet.uniqueId), [other.submissionSet.entryUuid]);
  });

  test('a SubmissionSet uniqueId held by another patient\'s empty SubmissionSet is refused too', async () => {
    const stray = aSubmission([{ entry: aDocumentEntry() }]);
    await registry.registerSubmission(stray);
    await registry.deleteDocumentEntries([stray.documents[0]!.entry.entryUuid]);
    const ss = { ...stray.submissionSet, entryUuid: newUuid() };
    await db.pool.query(`INSERT INTO registry_object (entry_uuid, object_kind) VALUES ($1, 'SubmissionSet')`, [ss.entryUuid]);
    await db.pool.query(
      `INSERT INTO submission_set (entry_uuid, unique_id, source_id, patient_id, submission_time, content_type_code, content_type_scheme, status)
       VALUES ($1, $2, $3, $4, $5, 'PHR', '2.16.840.1.113883.2.9.3.3.6.1.4', 'Approved')`,
      [ss.entryUuid, ss.uniqueId, ss.sourceId, 'BNCMRA70A01H501Y^^^&2.16.840.1.113883.2.9.4.3.2&ISO', ss.submissionTime]);
    const fromIni = registered('INI-STRAY');
    const answer = await registerFromIni({ ...fromIni, submissionSet: { ...fromIni.submissionSet, uniqueId: ss.uniqueId } }, deps);
    assert.deepEqual(answer.errors.map((e) => e.code), ['XDSDuplicateUniqueIdInRegistry']);
  });

  test('INI\'s update reusing the SubmissionSet uniqueId of the region\'s own copy of that update: Success, INI\'s version in force', async () => {
    const fromIni = iniCopyOf(await local('INI-UPD'));
    assert.equal((await registerFromIni(fromIni, deps)).status, 'Success');
    const current = await registry.getDocumentEntry({ entryUuid: fromIni.documents[0]!.entry.entryUuid });
    const ownUpdate = metadataUpdateOf(current!, { title: 'Oscurato' });
    await registry.registerMetadataUpdate(ownUpdate);
    const iniUpdate = { ...iniCopyOfUpdate(ownUpdate) };
    const answer = await updateFromIni(iniUpdate, deps);
    assert.deepEqual(answer, { status: 'Success', errors: [] });
    const inForce = await registry.getDocumentEntry({ uniqueId: current!.uniqueId });
    assert.deepEqual([inForce?.entryUuid, inForce?.title, inForce?.status], [iniUpdate.documents[0]?.entry.entryUuid, 'Oscurato', 'Approved']);
    assert.deepEqual(await submissionSetsOf(ownUpdate.submissionSet.uniqueId), [iniUpdate.submissionSet.entryUuid]);
    assert.deepEqual(await updateFromIni(iniUpdate, deps), { status: 'Success', errors: [] }, 'INI\'s retry');
  });
});

/** INI's copy of an ITI-57: same uniqueIds, lid and PreviousVersion, INI's entryUUIDs. */
function iniCopyOfUpdate(update: Submission): Submission {
  const ss = { ...update.submissionSet, entryUuid: newUuid() };
  const documents = update.documents.map(({ entry }) => ({ entry: { ...entry, entryUuid: newUuid() } }));
  const associations = update.associations.map((a, i) => ({ ...a, entryUuid: newUuid(), sourceUuid: ss.entryUuid, targetUuid: documents[i]?.entry.entryUuid ?? a.targetUuid }));
  return { submissionSet: ss, documents, folders: [], associations };
}
