import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { PatientId } from '../../src/domain/ids.js';
import { createRegistryStore, type RegistryStore } from '../../src/stores/registry-store.js';
import { DuplicateUniqueIdError, MetadataUpdateError, MetadataVersionError, ReplaceTargetError, UnresolvedReferenceError } from '../../src/stores/store-errors.js';
import { createTestSchema, type TestSchema } from '../support/test-database.js';
import { aDocumentEntry, aFolder, anAssociation, aSubmission, newUuid } from '../support/xds-builders.js';

describe('registry store', () => {
  let db: TestSchema;
  let registry: RegistryStore;
  before(async () => {
    db = await createTestSchema();
    registry = createRegistryStore(db.pool);
  });
  after(() => db.drop());

  const count = async (table: string) =>
    (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n;

  test('a full submission reads back equal: entries, SubmissionSet, Folder, Associations', async () => {
    const entry = aDocumentEntry({ comments: 'nota', legalAuthenticator: 'X^^^^^^^^&1.2&ISO', sourcePatientInfo: ['PID-5|ROSSI^MARIO'] });
    const signature = aDocumentEntry({ mimeType: 'application/pkcs7-signature', eventCodes: [], referenceIds: [], authors: [] });
    const base = aSubmission([{ entry }, { entry: signature }]);
    const folder = aFolder();
    const ss = base.submissionSet.entryUuid;
    const inFolder = anAssociation('HasMember', folder.entryUuid, entry.entryUuid);
    const submission = {
      ...base,
      folders: [folder],
      associations: [
        ...base.associations,
        anAssociation('signs', signature.entryUuid, entry.entryUuid),
        anAssociation('HasMember', ss, folder.entryUuid),
        inFolder,
        anAssociation('HasMember', ss, inFolder.entryUuid),
      ],
    };
    await registry.registerSubmission(submission);

    assert.deepEqual(await registry.getDocumentEntry({ entryUuid: entry.entryUuid }), entry);
    assert.deepEqual(await registry.getDocumentEntry({ uniqueId: signature.uniqueId }), signature);
    assert.deepEqual(await registry.getSubmissionSet(ss), submission.submissionSet);
    const storedFolder = await registry.getFolder(folder.entryUuid);
    assert.match(storedFolder?.lastUpdateTime ?? '', /^\d{14}$/, 'lastUpdateTime is registry-set (DTM)');
    assert.deepEqual(storedFolder, { ...folder, lastUpdateTime: storedFolder?.lastUpdateTime });
    const sortById = <T extends { entryUuid: string }>(list: readonly T[]) => [...list].sort((a, b) => a.entryUuid.localeCompare(b.entryUuid));
    assert.deepEqual(await registry.getAssociations([ss, inFolder.entryUuid]), sortById(submission.associations.filter(
      (a) => a.sourceUuid === ss || a.targetUuid === inFolder.entryUuid,
    )));
  });

  test('a duplicate DocumentEntry uniqueId is rejected and nothing of the submission is written', async () => {
    const first = aDocumentEntry();
    await registry.registerSubmission(aSubmission([{ entry: first }]));
    const before = await count('registry_object');
    const fresh = aDocumentEntry();
    const clash = aDocumentEntry({ uniqueId: first.uniqueId });
    const rejected = aSubmission([{ entry: fresh }, { entry: clash }]);
    await assert.rejects(registry.registerSubmission(rejected), (error: unknown) =>
      error instanceof DuplicateUniqueIdError && error.xdsCode === 'XDSDuplicateUniqueIdInRegistry');
    assert.equal(await count('registry_object'), before);
    assert.equal(await registry.getDocumentEntry({ entryUuid: fresh.entryUuid }), undefined);
    assert.equal(await registry.getSubmissionSet(rejected.submissionSet.entryUuid), undefined);
  });

  test('an association to an unknown object is an unresolved reference', async () => {
    const submission = aSubmission();
    const dangling = anAssociation('APND', submission.documents[0]!.entry.entryUuid, newUuid());
    await assert.rejects(registry.registerSubmission({ ...submission, associations: [...submission.associations, dangling] }), UnresolvedReferenceError);
  });

  test('replace: new entry, RPLC association, old entry Deprecated; a Deprecated entry cannot be replaced again', async () => {
    const patientId = 'BNCGVN70A01F205X^^^&2.16.840.1.113883.2.9.4.3.2&ISO' as PatientId;
    const old = aDocumentEntry({ patientId });
    await registry.registerSubmission(aSubmission([{ entry: old }]));
    const replacement = aDocumentEntry({ patientId });
    await registry.replaceDocument(aSubmission([{ entry: replacement }]), old.entryUuid);

    assert.equal((await registry.getDocumentEntry({ entryUuid: old.entryUuid }))?.status, 'Deprecated');
    const approved = await registry.findDocumentEntries({ patientId, statuses: ['Approved'] });
    assert.deepEqual(approved.map((e) => e.entryUuid), [replacement.entryUuid]);
    const rplc = (await registry.getAssociations([old.entryUuid])).filter((a) => a.type === 'RPLC');
    assert.deepEqual(rplc.map((a) => [a.sourceUuid, a.targetUuid]), [[replacement.entryUuid, old.entryUuid]]);

    const second = aDocumentEntry({ patientId });
    await assert.rejects(registry.replaceDocument(aSubmission([{ entry: second }]), old.entryUuid), ReplaceTargetError);
    assert.equal(await registry.getDocumentEntry({ entryUuid: second.entryUuid }), undefined, 'rolled back');
  });

  test('deprecate sets the status; an unknown entry is an unresolved reference', async () => {
    const entry = aDocumentEntry();
    await registry.registerSubmission(aSubmission([{ entry }]));
    await registry.deprecate(entry.entryUuid);
    assert.equal((await registry.getDocumentEntry({ entryUuid: entry.entryUuid }))?.status, 'Deprecated');
    await assert.rejects(registry.deprecate(newUuid()), UnresolvedReferenceError);
  });

  test('delete removes the entries, their associations and the emptied SubmissionSet; unknown ids change nothing', async () => {
    const kept = aDocumentEntry();
    const doomed = aDocumentEntry();
    const both = aSubmission([{ entry: kept }, { entry: doomed }]);
    const alone = aDocumentEntry();
    const single = aSubmission([{ entry: alone }]);
    await registry.registerSubmission(both);
    await registry.registerSubmission(single);

    await assert.rejects(registry.deleteDocumentEntries([alone.entryUuid, newUuid()]), UnresolvedReferenceError);
    assert.ok(await registry.getDocumentEntry({ entryUuid: alone.entryUuid }), 'all-or-nothing');

    const result = await registry.deleteDocumentEntries([doomed.entryUuid, alone.entryUuid]);
    assert.deepEqual(result, { documentEntries: 2, associations: 2, submissionSets: 1 });
    assert.equal(await registry.getDocumentEntry({ entryUuid: doomed.entryUuid }), undefined);
    assert.equal(await registry.getSubmissionSet(single.submissionSet.entryUuid), undefined);
    assert.ok(await registry.getSubmissionSet(both.submissionSet.entryUuid), 'a SubmissionSet with members stays');
    assert.deepEqual(await registry.getAssociations([doomed.entryUuid, alone.entryUuid]), []);
    assert.ok(await registry.getDocumentEntry({ entryUuid: kept.entryUuid }));
  });

  test('addVersion: same logicalID, version + 1, previous Deprecated; stale or changing updates refused', async () => {
    const v1 = aDocumentEntry({ hash: 'a'.repeat(40), size: 10 });
    await registry.registerSubmission(aSubmission([{ entry: v1 }]));
    const update = { ...v1, entryUuid: newUuid(), eventCodes: [], hash: undefined, size: undefined, title: 'Nuovo titolo' };
    const v2 = await registry.addVersion(update, 1);
    assert.equal(v2.version, 2);
    assert.equal(v2.hash, v1.hash, 'hash carried over');
    assert.deepEqual(await registry.getDocumentEntry({ uniqueId: v1.uniqueId }), v2, 'uniqueId names the latest version');
    assert.equal((await registry.getDocumentEntry({ entryUuid: v1.entryUuid }))?.status, 'Deprecated');

    await assert.rejects(registry.addVersion({ ...update, entryUuid: newUuid() }, 1), MetadataVersionError);
    await assert.rejects(registry.addVersion({ ...update, entryUuid: newUuid(), size: 11 }), MetadataUpdateError);
    await assert.rejects(registry.addVersion({ ...update, entryUuid: newUuid(), logicalId: newUuid() }), UnresolvedReferenceError);
    await registry.deprecate(v2.entryUuid);
    await assert.rejects(registry.addVersion({ ...update, entryUuid: newUuid() }), MetadataVersionError);
  });

  test('concurrent submissions of one uniqueId: exactly one wins', async () => {
    const uniqueId = aDocumentEntry().uniqueId;
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map(() =>
      registry.registerSubmission(aSubmission([{ entry: aDocumentEntry({ uniqueId }) }]))));
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
    assert.ok(outcomes.every((o) => o.status === 'fulfilled' || o.reason instanceof DuplicateUniqueIdError));
  });
});
