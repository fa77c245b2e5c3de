import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { EntryUuid, PatientId } from '../../src/domain/ids.js';
import type { QueryResult, QueryReturnType, StoredQuery } from '../../src/domain/stored-query.js';
import type { Association, DocumentEntry, Folder, Submission, SubmissionSet } from '../../src/domain/xds.js';
import { registryStoredQuery } from '../../src/operations/iti18-registry-stored-query.js';
import { createRegistryStore, type RegistryStore } from '../../src/stores/registry-store.js';
import { createTestSchema, type TestSchema } from '../support/test-database.js';
import { aDocumentEntry, aFolder, anAssociation, aSubmissionSet } from '../support/xds-builders.js';

/**
 * The Get* stored queries and GetAll on the real registry schema: SubmissionSet and Folder contents with their
 * filters and the Associations that go with them, RPLC chains in GetRelatedDocuments, versions by logicalID, and the
 * checks of the operation (XDSResultNotSinglePatient, XDSTooManyResults, errors that are not XDS errors).
 * See: IHE ITI TF-2a 3.18.4.1.2.3.7.4 to 3.18.4.1.2.3.7.13.
 */

const Q = 'GETPZN80A01H501U^^^&2.16.840.1.113883.2.9.4.3.2&ISO' as PatientId;
const R = 'ALTPZN80A01H501U^^^&2.16.840.1.113883.2.9.4.3.2&ISO' as PatientId;
const CONF = '2.16.840.1.113883.5.25';
const N = { code: 'N', scheme: CONF };
const V = { code: 'V', scheme: CONF };

const doc = (overrides: Partial<DocumentEntry> = {}) => aDocumentEntry({ patientId: Q, eventCodes: [], referenceIds: [], confidentialityCodes: [N], ...overrides });
const hasMember = (source: { entryUuid: EntryUuid }, target: { entryUuid: EntryUuid }) => anAssociation('HasMember', source.entryUuid, target.entryUuid);
const submission = (ss: SubmissionSet, documents: DocumentEntry[], folders: Folder[], associations: Association[]): Submission =>
  ({ submissionSet: ss, documents: documents.map((entry) => ({ entry })), folders, associations });

describe('Get* stored queries and GetAll', () => {
  let db: TestSchema;
  let registry: RegistryStore;

  // SS1: d1 (N) and d2 (V, another format) and folder F1 holding d1.
  const ss1 = aSubmissionSet({ patientId: Q, submissionTime: '20240101' });
  const d1 = doc({ creationTime: '20240101' });
  const d2 = doc({ creationTime: '20240102', confidentialityCodes: [V], formatCode: { code: 'F2', scheme: '1.2' } });
  const f1 = aFolder({ patientId: Q });
  const f1d1 = hasMember(f1, d1);
  const s1 = [hasMember(ss1, d1), hasMember(ss1, d2), hasMember(ss1, f1), f1d1, hasMember(ss1, f1d1)];
  // SS2 adds d3 to the existing F1.
  const ss2 = aSubmissionSet({ patientId: Q, submissionTime: '20240201' });
  const d3 = doc({ creationTime: '20240201' });
  const f1d3 = hasMember(f1, d3);
  const s2 = [hasMember(ss2, d3), f1d3, hasMember(ss2, f1d3)];
  // A replace chain d4 <- d5 <- d6, and d7 signing d1.
  const [d4, d5, d6] = [doc({ creationTime: '2021' }), doc({ creationTime: '2022' }), doc({ creationTime: '2023' })];
  const d7 = doc({ mimeType: 'application/pkcs7-signature' });
  const signs = anAssociation('signs', d7.entryUuid, d1.entryUuid);
  // SS8: an on-demand entry in folder F2.
  const ss8 = aSubmissionSet({ patientId: Q });
  const d8 = doc({ objectType: 'on-demand' });
  const f2 = aFolder({ patientId: Q });
  const f2d8 = hasMember(f2, d8);
  const s8 = [hasMember(ss8, d8), hasMember(ss8, f2), f2d8, hasMember(ss8, f2d8)];
  const r1 = aDocumentEntry({ patientId: R });
  const rplc: Association[] = [];
  let version2: DocumentEntry;

  before(async () => {
    db = await createTestSchema();
    registry = createRegistryStore(db.pool);
    await registry.registerSubmission(submission(ss1, [d1, d2], [f1], s1));
    await registry.registerSubmission(submission(ss2, [d3], [], s2));
    for (const [entry, replaced] of [[d4, undefined], [d5, d4], [d6, d5]] as const) {
      const ss = aSubmissionSet({ patientId: Q });
      const links = [hasMember(ss, entry), ...(replaced === undefined ? [] : [anAssociation('RPLC', entry.entryUuid, replaced.entryUuid)])];
      rplc.push(...links.filter((a) => a.type === 'RPLC'));
      await registry.registerSubmission(submission(ss, [entry], [], links));
    }
    const ss7 = aSubmissionSet({ patientId: Q });
    await registry.registerSubmission(submission(ss7, [d7], [], [hasMember(ss7, d7), signs]));
    await registry.registerSubmission(submission(ss8, [d8], [f2], s8));
    const ssR = aSubmissionSet({ patientId: R });
    await registry.registerSubmission(submission(ssR, [r1], [], [hasMember(ssR, r1)]));
    version2 = await registry.addVersion({ ...d2, entryUuid: `urn:uuid:${crypto.randomUUID()}` as EntryUuid, title: 'v2' }, 1);
  });
  after(() => db.drop());

  const run = (query: StoredQuery, returnType: QueryReturnType = 'LeafClass', max = 1000) =>
    registryStoredQuery({ returnType, query }, { pool: db.pool, maxLeafClassResults: max, maxObjectRefResults: max });
  /** The entryUUIDs of a LeafClass result per kind, each sorted. */
  const kinds = (result: QueryResult) => {
    assert.equal(result.kind, 'LeafClass');
    if (result.kind !== 'LeafClass') return { documentEntries: [], submissionSets: [], folders: [], associations: [] };
    const sortedIds = (list: readonly { entryUuid: EntryUuid }[]) => list.map((o) => o.entryUuid).sort();
    return {
      documentEntries: sortedIds(result.documentEntries), submissionSets: sortedIds(result.submissionSets),
      folders: sortedIds(result.folders), associations: sortedIds(result.associations),
    };
  };
  const idsOf = (...objects: { entryUuid: EntryUuid }[]) => objects.map((o) => o.entryUuid).sort();
  const expect = (parts: Partial<Record<'documentEntries' | 'submissionSets' | 'folders' | 'associations', { entryUuid: EntryUuid }[]>>) => ({
    documentEntries: idsOf(...(parts.documentEntries ?? [])), submissionSets: idsOf(...(parts.submissionSets ?? [])),
    folders: idsOf(...(parts.folders ?? [])), associations: idsOf(...(parts.associations ?? [])),
  });

  test('GetDocuments by entryUUID, by uniqueId and by logicalID (every version, any status)', async () => {
    assert.deepEqual(kinds((await run({ type: 'GetDocuments', documents: { entryUuids: [d1.entryUuid, d4.entryUuid] } })).result),
      expect({ documentEntries: [d1, d4] }));
    const byUniqueId = (await run({ type: 'GetDocuments', documents: { uniqueIds: [d2.uniqueId] } })).result;
    assert.deepEqual(kinds(byUniqueId), expect({ documentEntries: [d2, version2] }));
    assert.deepEqual(byUniqueId.kind === 'LeafClass' && byUniqueId.documentEntries.map((e) => [e.version, e.status]).sort(),
      [[1, 'Deprecated'], [2, 'Approved']]);
    assert.deepEqual(kinds((await run({ type: 'GetDocuments', documents: { logicalIds: [d2.entryUuid] } })).result),
      expect({ documentEntries: [d2, version2] }));
  });

  test('GetFolders by entryUUID, uniqueId and logicalID', async () => {
    for (const folders of [{ entryUuids: [f1.entryUuid, f2.entryUuid] }, { uniqueIds: [f1.uniqueId, f2.uniqueId] }, { logicalIds: [f1.entryUuid, f2.entryUuid] }]) {
      assert.deepEqual(kinds((await run({ type: 'GetFolders', folders })).result), expect({ folders: [f1, f2] }));
    }
  });

  test('GetAssociations and GetDocumentsAndAssociations: every association with the object as source or target', async () => {
    const ofD1 = [s1[0]!, f1d1, signs];
    assert.deepEqual(kinds((await run({ type: 'GetAssociations', uuids: [d1.entryUuid] })).result), expect({ associations: ofD1 }));
    assert.deepEqual(kinds((await run({ type: 'GetAssociations', uuids: [ss2.entryUuid] })).result), expect({ associations: [s2[0]!, s2[2]!] }));
    assert.deepEqual(kinds((await run({ type: 'GetDocumentsAndAssociations', documents: { uniqueIds: [d1.uniqueId] } })).result),
      expect({ documentEntries: [d1], associations: ofD1 }));
  });

  test('GetSubmissionSets: the sets holding the entries or folders, with those HasMember associations', async () => {
    assert.deepEqual(kinds((await run({ type: 'GetSubmissionSets', uuids: [d1.entryUuid] })).result), expect({ submissionSets: [ss1], associations: [s1[0]!] }));
    assert.deepEqual(kinds((await run({ type: 'GetSubmissionSets', uuids: [f1.entryUuid] })).result), expect({ submissionSets: [ss1], associations: [s1[2]!] }));
    assert.deepEqual(kinds((await run({ type: 'GetSubmissionSets', uuids: [d1.entryUuid, d3.entryUuid] })).result),
      expect({ submissionSets: [ss1, ss2], associations: [s1[0]!, s2[0]!] }));
  });

  test('GetSubmissionSetAndContents: the set, its entries, folders and member associations', async () => {
    assert.deepEqual(kinds((await run({ type: 'GetSubmissionSetAndContents', submissionSet: { entryUuid: ss1.entryUuid } })).result),
      expect({ submissionSets: [ss1], documentEntries: [d1, d2], folders: [f1], associations: s1 }));
    assert.deepEqual(kinds((await run({ type: 'GetSubmissionSetAndContents', submissionSet: { uniqueId: ss2.uniqueId } })).result),
      expect({ submissionSets: [ss2], documentEntries: [d3], associations: s2 }), 'the folder of the added entry is not a member');
  });

  test('GetSubmissionSetAndContents filters: associations to a filtered-out entry go with it', async () => {
    const contents = async (extra: object) =>
      kinds((await run({ type: 'GetSubmissionSetAndContents', submissionSet: { entryUuid: ss1.entryUuid }, ...extra })).result);
    assert.deepEqual(await contents({ confidentialityCodes: [[N]] }),
      expect({ submissionSets: [ss1], documentEntries: [d1], folders: [f1], associations: [s1[0]!, s1[2]!, f1d1, s1[4]!] }));
    assert.deepEqual(await contents({ formatCodes: [{ code: 'F2', scheme: '1.2' }] }),
      expect({ submissionSets: [ss1], documentEntries: [d2], folders: [f1], associations: [s1[1]!, s1[2]!] }));
    assert.deepEqual(kinds((await run({ type: 'GetSubmissionSetAndContents', submissionSet: { entryUuid: ss8.entryUuid } })).result),
      expect({ submissionSets: [ss8], folders: [f2], associations: [s8[1]!] }), 'on-demand entries only when asked');
    const refs = (await run({ type: 'GetSubmissionSetAndContents', submissionSet: { entryUuid: ss1.entryUuid } }, 'ObjectRef')).result;
    assert.deepEqual(refs.kind === 'ObjectRef' && [...refs.refs].sort(), idsOf(ss1, d1, d2, f1, ...s1));
  });

  test('GetFolderAndContents: the folder, its entries passing the filters, the Folder->entry associations', async () => {
    const contents = async (extra: object) => kinds((await run({ type: 'GetFolderAndContents', ...extra } as StoredQuery)).result);
    assert.deepEqual(await contents({ folder: { entryUuid: f1.entryUuid } }), expect({ folders: [f1], documentEntries: [d1, d3], associations: [f1d1, f1d3] }));
    assert.deepEqual(await contents({ folder: { uniqueId: f1.uniqueId }, confidentialityCodes: [[V]] }), expect({ folders: [f1] }));
    assert.deepEqual(await contents({ folder: { entryUuid: f2.entryUuid } }), expect({ folders: [f2] }));
    assert.deepEqual(await contents({ folder: { entryUuid: f2.entryUuid }, documentEntryTypes: ['on-demand'] }),
      expect({ folders: [f2], documentEntries: [d8], associations: [f2d8] }));
  });

  test('GetFoldersForDocument', async () => {
    assert.deepEqual(kinds((await run({ type: 'GetFoldersForDocument', document: { entryUuid: d1.entryUuid } })).result), expect({ folders: [f1] }));
    assert.deepEqual(kinds((await run({ type: 'GetFoldersForDocument', document: { uniqueId: d3.uniqueId } })).result), expect({ folders: [f1] }));
    assert.deepEqual(kinds((await run({ type: 'GetFoldersForDocument', document: { entryUuid: d2.entryUuid } })).result), expect({}));
  });

  test('GetRelatedDocuments: one step of the RPLC chain in both directions, the originating entry included', async () => {
    const related = async (document: object, associationTypes: string[]) =>
      kinds((await run({ type: 'GetRelatedDocuments', document, associationTypes } as StoredQuery)).result);
    const [d5ToD4, d6ToD5] = [rplc[0]!, rplc[1]!];
    assert.deepEqual(await related({ entryUuid: d5.entryUuid }, ['RPLC']), expect({ documentEntries: [d4, d5, d6], associations: [d5ToD4, d6ToD5] }));
    assert.deepEqual(await related({ uniqueId: d4.uniqueId }, ['RPLC', 'XFRM_RPLC']), expect({ documentEntries: [d4, d5], associations: [d5ToD4] }));
    assert.deepEqual(await related({ entryUuid: d6.entryUuid }, ['APND']), expect({}));
    assert.deepEqual(await related({ entryUuid: d1.entryUuid }, ['signs']), expect({ documentEntries: [d1, d7], associations: [signs] }));
    assert.deepEqual(await related({ entryUuid: d1.entryUuid }, ['HasMember', 'RPLC']), expect({}), 'SubmissionSet and Folder HasMembers relate no document');
  });

  test('GetAll: the patient\'s objects and the associations among them, by status', async () => {
    const everything = kinds((await run({
      type: 'GetAll', patientId: Q, documentStatuses: ['Approved', 'Deprecated'], submissionSetStatuses: ['Approved'],
      folderStatuses: ['Approved'], documentEntryTypes: ['stable', 'on-demand'],
    })).result);
    assert.deepEqual(everything.documentEntries, idsOf(d1, d2, version2, d3, d4, d5, d6, d7, d8));
    assert.deepEqual(everything.folders, idsOf(f1, f2));
    assert.equal(everything.submissionSets.length, 7);
    const approvedOnly = kinds((await run({ type: 'GetAll', patientId: Q, documentStatuses: ['Approved'], submissionSetStatuses: ['Approved'], folderStatuses: ['Approved'] })).result);
    assert.deepEqual(approvedOnly.documentEntries, idsOf(version2, d3, d6, d7, d1));
    for (const id of [...rplc.map((a) => a.entryUuid), s1[1]!.entryUuid, f2d8.entryUuid]) {
      assert.ok(!approvedOnly.associations.includes(id), 'no association to an object left out');
    }
    for (const id of [f1d1, s1[4]!, f1d3, s2[2]!, signs].map((a) => a.entryUuid)) assert.ok(approvedOnly.associations.includes(id));
  });

  test('LeafClass over two patients is XDSResultNotSinglePatient; ObjectRef discloses nothing and passes', async () => {
    const query: StoredQuery = { type: 'GetDocuments', documents: { entryUuids: [d1.entryUuid, r1.entryUuid] } };
    const leaf = await run(query);
    assert.equal(leaf.status, 'Failure');
    assert.deepEqual(leaf.errors.map((e) => e.code), ['XDSResultNotSinglePatient']);
    assert.deepEqual(kinds(leaf.result), expect({}));
    const refs = await run(query, 'ObjectRef');
    assert.equal(refs.status, 'Success');
    assert.deepEqual(refs.result.kind === 'ObjectRef' && [...refs.result.refs].sort(), idsOf(d1, r1));
  });

  test('several kinds count together against the limit; no match is Success and empty', async () => {
    const tooMany = await run({ type: 'GetSubmissionSetAndContents', submissionSet: { entryUuid: ss1.entryUuid } }, 'LeafClass', 8);
    assert.deepEqual([tooMany.status, tooMany.errors.map((e) => e.code)], ['Failure', ['XDSTooManyResults']]);
    assert.equal((await run({ type: 'GetSubmissionSetAndContents', submissionSet: { entryUuid: ss1.entryUuid } }, 'LeafClass', 9)).status, 'Success');
    const none = await run({ type: 'GetDocuments', documents: { entryUuids: [`urn:uuid:${crypto.randomUUID()}` as EntryUuid] } });
    assert.deepEqual([none.status, none.errors, kinds(none.result)], ['Success', [], expect({})]);
  });

  test('an error that is not an XDS error propagates', async () => {
    const empty = await createTestSchema({ migrate: false });
    try {
      await assert.rejects(registryStoredQuery(
        { returnType: 'ObjectRef', query: { type: 'GetAssociations', uuids: [d1.entryUuid] } },
        { pool: empty.pool, maxLeafClassResults: 10, maxObjectRefResults: 10 },
      ), /association/);
    } finally {
      await empty.drop();
    }
  });
});
