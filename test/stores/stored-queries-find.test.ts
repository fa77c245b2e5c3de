import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { EntryUuid, PatientId } from '../../src/domain/ids.js';
import type { FindDocumentsQuery, QueryResult, QueryReturnType, StoredQuery } from '../../src/domain/stored-query.js';
import type { DocumentEntry } from '../../src/domain/xds.js';
import { registryStoredQuery } from '../../src/operations/iti18-registry-stored-query.js';
import { createRegistryStore, type RegistryStore } from '../../src/stores/registry-store.js';
import { createTestSchema, type TestSchema } from '../support/test-database.js';
import { aDocumentEntry, aFolder, anAssociation, anAuthor, aSubmission, aSubmissionSet } from '../support/xds-builders.js';

/**
 * FindDocuments, FindDocumentsByReferenceId, FindSubmissionSets and FindFolders on the real registry schema: status
 * filters, ORed values, ANDed repeated code parameters, time ranges at their edges and across precisions, author
 * LIKE, the stable-only default, ObjectRef against LeafClass, and XDSTooManyResults. See: IHE ITI TF-2a 3.18.4.1.2.3.7.
 */

const P = 'FNDPZN80A01H501U^^^&2.16.840.1.113883.2.9.4.3.2&ISO' as PatientId;
const OTHER = 'LTRPZN80A01H501U^^^&2.16.840.1.113883.2.9.4.3.2&ISO' as PatientId;
const CLASS = '2.16.840.1.113883.2.9.3.3.6.1.5';
const EVENT = '2.16.840.1.113883.2.9.3.3.6.1.3';
const CONF = '2.16.840.1.113883.5.25';
const LOINC = '2.16.840.1.113883.6.1';

describe('Find* stored queries', () => {
  let db: TestSchema;
  let registry: RegistryStore;

  // creationTime at three precisions; codes that share a code but not its scheme; one entry replaced (Deprecated).
  const e1 = aDocumentEntry({
    patientId: P, creationTime: '20240101', serviceStartTime: '20240101080000', serviceStopTime: '20240101090000',
    eventCodes: [{ code: 'P99', scheme: EVENT }, { code: 'J07BX03', scheme: EVENT }],
    confidentialityCodes: [{ code: 'N', scheme: CONF }],
    authors: [anAuthor({ person: 'PRVUNQ80A01H501X^^^^^^^^&2.16.840.1.113883.2.9.4.3.2&ISO' })],
    referenceIds: ['NRE1^^^&2.16.840.1.113883.2.9.4.3.8&ISO^urn:ihe:iti:xds:2013:order', 'E1^^^&1.2.3&ISO^urn:ihe:iti:xds:2015:encounterId'],
  });
  const e2 = aDocumentEntry({
    patientId: P, creationTime: '20240615103000', serviceStartTime: '202406151000', serviceStopTime: undefined,
    classCode: { code: 'LAB', scheme: CLASS }, typeCode: { code: '34105-7', scheme: LOINC },
    eventCodes: [{ code: 'J07BX03', scheme: EVENT }], confidentialityCodes: [{ code: 'V', scheme: CONF }],
    authors: [anAuthor({ person: "DNGMRA70A01H501Z^D'Angelo^Maria^^^^^^&2.16.840.1.113883.2.9.4.3.2&ISO" }), anAuthor({ person: 'BNCLCU^^^^^^^^&1.2&ISO' })],
    referenceIds: ['NRE2^^^&2.16.840.1.113883.2.9.4.3.8&ISO^urn:ihe:iti:xds:2013:order'],
  });
  const e3 = aDocumentEntry({ patientId: P, creationTime: '2024061510', objectType: 'on-demand', eventCodes: [], referenceIds: [] });
  const e4 = aDocumentEntry({ patientId: P, creationTime: '2023', classCode: { code: 'REF', scheme: '1.2.3.4' }, eventCodes: [], referenceIds: [] });
  const e5 = aDocumentEntry({ patientId: P, creationTime: undefined, eventCodes: [], referenceIds: [], authors: [] });
  const elsewhere = aDocumentEntry({ patientId: OTHER });
  const replaced = aDocumentEntry({ patientId: P, creationTime: '2022', eventCodes: [], referenceIds: [] });
  const replacement = aDocumentEntry({ patientId: P, creationTime: '2022', eventCodes: [], referenceIds: [] });

  const aMember = () => aDocumentEntry({ patientId: P, creationTime: '2019', eventCodes: [], referenceIds: [] });
  const ss1 = aSubmissionSet({ patientId: P, submissionTime: '20230101120000', sourceId: '2.16.840.1.113883.2.9.2.120' });
  const ss2 = aSubmissionSet({
    patientId: P, submissionTime: '2024040112', sourceId: '2.16.840.1.113883.2.9.2.80',
    contentTypeCode: { code: 'LAB', scheme: '2.16.840.1.113883.2.9.3.3.6.1.4' }, authors: [anAuthor({ person: 'RSSMRA^^^^^^^^&1.2&ISO' })],
  });
  const folderA = aFolder({ patientId: P, codes: [{ code: 'LAB', scheme: '1.2.3' }, { code: 'RAD', scheme: '1.2.3' }] });
  const folderB = aFolder({ patientId: P, codes: [{ code: 'LAB', scheme: '1.2.3' }] });

  before(async () => {
    db = await createTestSchema();
    registry = createRegistryStore(db.pool);
    await registry.registerSubmission(aSubmission([e1, e2, e3, e4, e5].map((entry) => ({ entry }))));
    await registry.registerSubmission(aSubmission([{ entry: elsewhere }]));
    await registry.registerSubmission(aSubmission([{ entry: replaced }]));
    await registry.replaceDocument(aSubmission([{ entry: replacement }]), replaced.entryUuid);
    for (const [ss, entry, folders] of [[ss1, aMember(), [folderA]], [ss2, aMember(), [folderB]]] as const) {
      await registry.registerSubmission({
        submissionSet: ss, documents: [{ entry }], folders,
        associations: [anAssociation('HasMember', ss.entryUuid, entry.entryUuid), ...folders.map((f) => anAssociation('HasMember', ss.entryUuid, f.entryUuid))],
      });
    }
  });
  after(() => db.drop());

  const run = async (query: StoredQuery, returnType: QueryReturnType = 'LeafClass', max = 100) =>
    registryStoredQuery({ returnType, query }, { pool: db.pool, maxLeafClassResults: max, maxObjectRefResults: max });
  const ids = (result: QueryResult): EntryUuid[] => (result.kind === 'ObjectRef'
    ? [...result.refs]
    : [...result.documentEntries, ...result.submissionSets, ...result.folders, ...result.associations].map((o) => o.entryUuid));
  const entries = (...list: DocumentEntry[]) => list.map((e) => e.entryUuid);
  /** The entryUUIDs of a FindDocuments on patient P, ObjectRef, sorted (for set comparison). */
  const find = async (criteria: Partial<FindDocumentsQuery> = {}) => {
    const response = await run({ type: 'FindDocuments', patientId: P, statuses: ['Approved'], ...criteria }, 'ObjectRef');
    assert.equal(response.status, 'Success', JSON.stringify(response.errors));
    return ids(response.result).sort();
  };
  const sorted = (...list: DocumentEntry[]) => entries(...list).sort();

  test('LeafClass returns the complete entries, oldest creationTime first; the other patient never appears', async () => {
    const response = await run({ type: 'FindDocuments', patientId: P, statuses: ['Approved'], classCodes: [{ code: 'REF', scheme: CLASS }, { code: 'LAB', scheme: CLASS }] });
    assert.equal(response.status, 'Success');
    assert.equal(response.result.kind, 'LeafClass');
    const found = response.result.kind === 'LeafClass' ? response.result.documentEntries : [];
    assert.deepEqual(found.find((e) => e.entryUuid === e1.entryUuid), e1, 'the entry reads back whole');
    const order = found.map((e) => e.entryUuid);
    assert.ok(order.indexOf(e1.entryUuid) < order.indexOf(e2.entryUuid), '20240101 before 20240615103000');
    assert.ok(!order.includes(elsewhere.entryUuid));
  });

  test('status: Approved, Deprecated, or both (ORed)', async () => {
    assert.ok((await find()).includes(replacement.entryUuid));
    assert.ok(!(await find()).includes(replaced.entryUuid));
    assert.deepEqual(await find({ statuses: ['Deprecated'] }), sorted(replaced));
    assert.ok((await find({ statuses: ['Approved', 'Deprecated'] })).includes(replaced.entryUuid));
  });

  test('codes are ORed within a parameter and match code and scheme together', async () => {
    assert.deepEqual(await find({ classCodes: [{ code: 'LAB', scheme: CLASS }] }), sorted(e2));
    assert.ok(!(await find({ classCodes: [{ code: 'REF', scheme: CLASS }] })).includes(e4.entryUuid), 'REF in another scheme');
    assert.deepEqual(await find({ classCodes: [{ code: 'REF', scheme: '1.2.3.4' }] }), sorted(e4));
    assert.deepEqual(await find({ typeCodes: [{ code: '34105-7', scheme: LOINC }] }), sorted(e2));
    assert.deepEqual(await find({ classCodes: [{ code: 'LAB', scheme: CLASS }, { code: 'REF', scheme: '1.2.3.4' }] }), sorted(e2, e4));
  });

  test('eventCodeList and confidentialityCode: values ORed, repeated slots ANDed', async () => {
    const p99 = { code: 'P99', scheme: EVENT };
    const j07 = { code: 'J07BX03', scheme: EVENT };
    assert.deepEqual(await find({ eventCodes: [[j07]] }), sorted(e1, e2));
    assert.deepEqual(await find({ eventCodes: [[p99, j07]] }), sorted(e1, e2));
    assert.deepEqual(await find({ eventCodes: [[p99], [j07]] }), sorted(e1), 'both codes required');
    assert.deepEqual(await find({ eventCodes: [[{ code: 'P99', scheme: '9.9' }]] }), [], 'scheme must match');
    assert.deepEqual(await find({ confidentialityCodes: [[{ code: 'V', scheme: CONF }]], eventCodes: [[j07]] }), sorted(e2));
    assert.deepEqual(await find({ confidentialityCodes: [[{ code: 'N', scheme: CONF }], [{ code: 'V', scheme: CONF }]] }), []);
  });

  test('creationTime: From inclusive, To exclusive, compared after padding to 14 digits', async () => {
    assert.ok((await find({ creationTime: { from: '20240101' } })).includes(e1.entryUuid), 'From is inclusive');
    assert.ok(!(await find({ creationTime: { to: '20240101' } })).includes(e1.entryUuid), 'To is exclusive');
    assert.deepEqual(await find({ creationTime: { from: '2024', to: '2025' } }), sorted(e1, e2));
    assert.deepEqual(await find({ creationTime: { from: '2024061510', to: '202406151031' } }), sorted(e2), '10 and 12 digits against 14');
    assert.deepEqual(await find({ creationTime: { from: '202406151030', to: '202406151031' } }), sorted(e2));
    assert.deepEqual(await find({ creationTime: { from: '20240615103001' } }), []);
    assert.ok(!(await find({ creationTime: { to: '2030' } })).includes(e5.entryUuid), 'no creationTime, no match');
  });

  test('serviceStartTime and serviceStopTime ranges', async () => {
    assert.deepEqual(await find({ serviceStartTime: { from: '20240601' } }), sorted(e2));
    assert.deepEqual(await find({ serviceStartTime: { from: '2024010108', to: '2024010108' } }), []);
    assert.deepEqual(await find({ serviceStartTime: { from: '2024010108', to: '2024010109' } }), sorted(e1));
    assert.deepEqual(await find({ serviceStopTime: { to: '20240101090001' }, serviceStartTime: { from: '2024' } }), sorted(e1));
  });

  test('authorPerson is a LIKE pattern, values ORed, against every author; quotes and underscores work', async () => {
    assert.deepEqual(await find({ authorPersons: ['PRVUNQ%'] }), sorted(e1));
    assert.deepEqual(await find({ authorPersons: ["%D'Angelo%"] }), sorted(e2));
    assert.deepEqual(await find({ authorPersons: ['BNCLCU%'] }), sorted(e2), 'the second author matches');
    assert.deepEqual(await find({ authorPersons: ['%D_Angelo%', 'PRVUNQ80A01H501X^^^^^^^^&2.16.840.1.113883.2.9.4.3.2&ISO'] }), sorted(e1, e2));
    assert.deepEqual(await find({ authorPersons: ['%Rossi%'] }), []);
  });

  test('$XDSDocumentEntryType: absent means stable only', async () => {
    assert.ok(!(await find()).includes(e3.entryUuid));
    assert.deepEqual(await find({ documentEntryTypes: ['on-demand'] }), sorted(e3));
    assert.ok((await find({ documentEntryTypes: ['stable', 'on-demand'] })).includes(e3.entryUuid));
  });

  test('ObjectRef and LeafClass select the same entries', async () => {
    const query: FindDocumentsQuery = { type: 'FindDocuments', patientId: P, statuses: ['Approved', 'Deprecated'] };
    const refs = await run(query, 'ObjectRef');
    const leaf = await run(query, 'LeafClass');
    assert.equal(refs.result.kind, 'ObjectRef');
    assert.deepEqual(ids(refs.result), ids(leaf.result));
    assert.ok(ids(refs.result).length >= 8);
  });

  test('more than the limit is XDSTooManyResults with no objects, for each return type and its own limit', async () => {
    const query: FindDocumentsQuery = { type: 'FindDocuments', patientId: P, statuses: ['Approved'] };
    const count = (await find()).length;
    for (const returnType of ['LeafClass', 'ObjectRef'] as const) {
      const tooMany = await run(query, returnType, count - 1);
      assert.equal(tooMany.status, 'Failure');
      assert.deepEqual(tooMany.errors.map((e) => e.code), ['XDSTooManyResults']);
      assert.deepEqual(ids(tooMany.result), []);
      assert.equal(tooMany.result.kind, returnType);
      assert.equal((await run(query, returnType, count)).status, 'Success', 'exactly the limit is fine');
    }
    const leafOnly = await registryStoredQuery({ returnType: 'ObjectRef', query }, { pool: db.pool, maxLeafClassResults: 1, maxObjectRefResults: 1000 });
    assert.equal(leafOnly.status, 'Success', 'the ObjectRef limit applies to ObjectRef');
  });

  test('FindDocumentsByReferenceId: CXi values ORed within a slot, slots ANDed', async () => {
    const byRef = async (referenceIds: string[][]) => ids((await run({ type: 'FindDocumentsByReferenceId', patientId: P, statuses: ['Approved'], referenceIds }, 'ObjectRef')).result).sort();
    const nre1 = 'NRE1^^^&2.16.840.1.113883.2.9.4.3.8&ISO^urn:ihe:iti:xds:2013:order';
    const nre2 = 'NRE2^^^&2.16.840.1.113883.2.9.4.3.8&ISO^urn:ihe:iti:xds:2013:order';
    assert.deepEqual(await byRef([[nre1]]), sorted(e1));
    assert.deepEqual(await byRef([[nre1, nre2]]), sorted(e1, e2));
    assert.deepEqual(await byRef([[nre1], ['E1^^^&1.2.3&ISO^urn:ihe:iti:xds:2015:encounterId']]), sorted(e1));
    assert.deepEqual(await byRef([[nre2], ['E1^^^&1.2.3&ISO^urn:ihe:iti:xds:2015:encounterId']]), []);
  });

  test('FindSubmissionSets: status, sourceId OR, submissionTime range, author LIKE, contentType', async () => {
    const findSets = async (extra: object) => ids((await run({ type: 'FindSubmissionSets', patientId: P, statuses: ['Approved'], ...extra })).result);
    const all = await findSets({});
    assert.ok(all.includes(ss1.entryUuid) && all.includes(ss2.entryUuid));
    assert.ok(all.indexOf(ss1.entryUuid) < all.indexOf(ss2.entryUuid), 'submissionTime order');
    assert.deepEqual(await findSets({ sourceIds: ['2.16.840.1.113883.2.9.2.80', '9.9'] }), [ss2.entryUuid]);
    assert.deepEqual(await findSets({ submissionTime: { from: '2024040112', to: '2024040113' } }), [ss2.entryUuid]);
    assert.deepEqual(await findSets({ submissionTime: { from: '202301011200', to: '20230101120001' } }), [ss1.entryUuid]);
    assert.deepEqual(await findSets({ authorPerson: 'RSSMRA%' }), [ss2.entryUuid]);
    assert.deepEqual(await findSets({ contentTypeCodes: [{ code: 'LAB', scheme: '2.16.840.1.113883.2.9.3.3.6.1.4' }] }), [ss2.entryUuid]);
    assert.deepEqual(await findSets({ statuses: ['Deprecated'] }), []);
  });

  test('FindFolders: codeList AND/OR and lastUpdateTime (set by the registry at registration)', async () => {
    const findFolders = async (extra: object) => ids((await run({ type: 'FindFolders', patientId: P, statuses: ['Approved'], ...extra })).result).sort();
    const lab = { code: 'LAB', scheme: '1.2.3' };
    const rad = { code: 'RAD', scheme: '1.2.3' };
    assert.deepEqual(await findFolders({ codes: [[lab]] }), [folderA.entryUuid, folderB.entryUuid].sort());
    assert.deepEqual(await findFolders({ codes: [[lab], [rad]] }), [folderA.entryUuid]);
    assert.deepEqual(await findFolders({ codes: [[{ code: 'RAD', scheme: '9.9' }]] }), []);
    const year = String(new Date().getUTCFullYear());
    assert.deepEqual(await findFolders({ lastUpdateTime: { from: year, to: String(Number(year) + 1) } }), [folderA.entryUuid, folderB.entryUuid].sort());
    assert.deepEqual(await findFolders({ lastUpdateTime: { to: year } }), []);
  });
});
