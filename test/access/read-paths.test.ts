import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { requesterOfCaller, type Requester } from '../../src/access/requester.js';
import type { CallerIdentity } from '../../src/domain/caller.js';
import { personKey, type PatientId, type RepositoryUniqueId, type UniqueId } from '../../src/domain/ids.js';
import type { StoredQueryRequest } from '../../src/domain/stored-query.js';
import type { DocumentEntry } from '../../src/domain/xds.js';
import { federatedQuery, type FederatedQueryDeps } from '../../src/operations/iti18-federated-query.js';
import { federatedRetrieve, type FederatedRetrieveDeps } from '../../src/operations/iti43-federated-retrieve.js';
import { createRegistryStore } from '../../src/stores/registry-store.js';
import { createRepositoryStore } from '../../src/stores/repository-store.js';
import { accessDeps } from '../support/access-deps.js';
import { createTestSchema, type TestSchema } from '../support/test-database.js';
import { aDocumentEntry, aSubmission, PATIENT, REPOSITORY } from '../support/xds-builders.js';

/**
 * The access decision through the consumer's read operations, on a real registry and the region's real consent and
 * relation tables: what a doctor, a nurse, the patient and a delegate get from ITI-18 (LeafClass, ObjectRef, counts,
 * the limit) and ITI-43, as the region's records change. See: privacy digest 2-5.
 */
const OTHER = 'BNCLRA15A41H501P^^^&2.16.840.1.113883.2.9.4.3.2&ISO' as PatientId;
const cx = (cf: string) => `${cf}^^^&2.16.840.1.113883.2.9.4.3.2&ISO`;
const doctor: CallerIdentity = { source: 'saml', verified: true, subjectId: cx('VRDGPP70A01H501S'), role: 'APR', purposeOfUse: 'TREATMENT', actionId: 'READ', resourceId: PATIENT, patientConsent: true };
const event = (code: string) => ({ code, scheme: '2.16.840.1.113883.2.9.3.3.6.1.3' });
const type = (code: string) => ({ code, scheme: '2.16.840.1.113883.6.1' });

describe('one access decision on ITI-18 and ITI-43', () => {
  let db: TestSchema;
  let queryDeps: FederatedQueryDeps;
  let retrieveDeps: FederatedRetrieveDeps;
  const entries: Record<string, DocumentEntry> = {};
  const findDocuments = (returnType: 'LeafClass' | 'ObjectRef' = 'LeafClass', patientId: string = PATIENT): StoredQueryRequest =>
    ({ returnType, query: { type: 'FindDocuments', patientId: patientId as PatientId, statuses: ['Approved'] } });
  const query = (caller: CallerIdentity, request = findDocuments(), requester: Requester = requesterOfCaller(caller, false)) =>
    federatedQuery({ request, caller, requester }, queryDeps);
  const uniqueIds = (r: Awaited<ReturnType<typeof query>>) => (r.result.kind === 'LeafClass' ? r.result.documentEntries.map((e) => String(e.uniqueId)).sort() : []);

  before(async () => {
    db = await createTestSchema();
    const registry = createRegistryStore(db.pool);
    const add = async (name: string, over: Partial<DocumentEntry>) => {
      const entry = aDocumentEntry({ uniqueId: `2.16.840.1.113883.2.9.2.120.4.4^${name}` as UniqueId, repositoryUniqueId: REPOSITORY as RepositoryUniqueId, eventCodes: [], ...over });
      entries[name] = entry;
      const submission = aSubmission([{ entry, bytes: Buffer.from(`bytes of ${name}`) }]);
      await registry.registerSubmission(submission);
      await createRepositoryStore(db.pool, [REPOSITORY]).putDocument({ repositoryUniqueId: REPOSITORY as RepositoryUniqueId, uniqueId: entry.uniqueId, bytes: Buffer.from(`bytes of ${name}`), mimeType: entry.mimeType });
    };
    await add('LAB', { typeCode: type('11502-2') });
    await add('PRESCRIPTION', { typeCode: type('57833-6') });
    await add('OBSCURED', { typeCode: type('11502-2'), eventCodes: [event('P99')] });
    await add('NOT-FOR-PATIENT', { typeCode: type('11502-2'), eventCodes: [event('P98')] });
    await add('OTHER-PATIENT', { typeCode: type('11502-2'), patientId: OTHER });
    const access = accessDeps(db.pool);
    queryDeps = { pool: db.pool, maxLeafClassResults: 100, maxObjectRefResults: 1000, patients: access.patients, iniBudgetMs: 0, access };
    retrieveDeps = { repository: createRepositoryStore(db.pool, [REPOSITORY]), registry, iniBudgetMs: 0, access };
  });
  after(async () => {
    await db?.drop();
  });
  beforeEach(async () => {
    await db.pool.query('TRUNCATE consent_record, person_relation, assisted_patient');
  });

  test('a doctor sees the types of the cone and nothing obscured; a pharmacist the prescription only; refusals are noted without ids', async () => {
    const answer = await query(doctor);
    assert.deepEqual(uniqueIds(answer), [entries.LAB, entries['NOT-FOR-PATIENT'], entries.PRESCRIPTION].map((e) => String(e?.uniqueId)).sort());
    assert.deepEqual(answer.refusals, ['obscured: P99 obscures the document']);
    const pharmacist = await query({ ...doctor, role: 'FAR' });
    assert.deepEqual(uniqueIds(pharmacist), [String(entries.PRESCRIPTION?.uniqueId)]);
    assert.ok(pharmacist.refusals.every((r) => !r.includes('^')), 'no document id in a refusal');
  });

  test('ObjectRef names no hidden entry and no association of one', async () => {
    const answer = await query(doctor, findDocuments('ObjectRef'));
    assert.equal(answer.result.kind, 'ObjectRef');
    const refs = answer.result.kind === 'ObjectRef' ? answer.result.refs : [];
    assert.ok(!refs.includes(entries.OBSCURED!.entryUuid));
    assert.equal(refs.length, 3);
  });

  test('the limit counts what the requester may see: three visible entries fit a limit of three although four match', async () => {
    const small = { ...queryDeps, maxLeafClassResults: 3 };
    const answer = await federatedQuery({ request: findDocuments(), caller: doctor, requester: requesterOfCaller(doctor, false) }, small);
    assert.equal(answer.status, 'Success', JSON.stringify(answer.errors));
    const tight = await federatedQuery({ request: findDocuments(), caller: doctor, requester: requesterOfCaller(doctor, false) }, { ...queryDeps, maxLeafClassResults: 2 });
    assert.equal(tight.errors[0]?.code, 'XDSTooManyResults');
    assert.match(tight.errors[0]?.codeContext ?? '', /more than 2 objects/);
  });

  test('consent the region recorded wins: withdrawn refuses a doctor whatever the assertion says; the RDA refuses without a record', async () => {
    const access = queryDeps.access;
    await access.consents.record(personKey(PATIENT), false, { subject: personKey(PATIENT), role: 'ASS', channel: 'citizen-portal' });
    const refused = await query(doctor);
    assert.equal(refused.status, 'Failure');
    assert.match(refused.errors[0]?.codeContext ?? '', /withdrew/);
    assert.deepEqual(refused.refusals, ['consent: the patient withdrew the consultation consent']);
    assert.equal((await query({ ...doctor, purposeOfUse: 'EMERGENCY' })).status, 'Success', 'an emergency needs no consent');
    await access.consents.record(personKey(PATIENT), true, { subject: personKey(PATIENT), role: 'ASS', channel: 'citizen-portal' });
    assert.equal((await query({ ...doctor, patientConsent: false })).status, 'Success');
    await db.pool.query('TRUNCATE consent_record');
    await access.patients.assign(PATIENT, 'enrolment');
    assert.match((await query(doctor)).errors[0]?.codeContext ?? '', /no consultation consent/);
  });

  test('an assertion for one patient reads no other: by patient, and by id through GetDocuments', async () => {
    const byPatient = await query(doctor, findDocuments('LeafClass', OTHER));
    assert.equal(byPatient.status, 'Failure');
    assert.match(byPatient.errors[0]?.codeContext ?? '', /another patient/);
    const byId = { returnType: 'LeafClass', query: { type: 'GetDocuments', documents: { entryUuids: [entries['OTHER-PATIENT']!.entryUuid, entries.LAB!.entryUuid] } } } as StoredQueryRequest;
    const answer = await query(doctor, byId);
    assert.deepEqual(uniqueIds(answer), [String(entries.LAB?.uniqueId)], 'the other patient\'s entry is not there, and no XDSResultNotSinglePatient says it exists');
  });

  test('a delegate reads through a relation the patient recorded, within its types, until it is revoked', async () => {
    const delegateCf = 'RSSGNN60A01H501J';
    const delegate: CallerIdentity = { ...doctor, subjectId: cx(delegateCf), role: 'ING', purposeOfUse: 'PERSONAL' };
    assert.match((await query(delegate)).errors[0]?.codeContext ?? '', /no active delegate relation/);
    const given = await queryDeps.access.relations.create({
      kind: 'delegate', patient: personKey(PATIENT), agent: delegateCf, documentTypes: ['11502-2'], validFrom: new Date(Date.now() - 60_000),
      recordedBy: { subject: personKey(PATIENT), role: 'ASS', channel: 'citizen-portal' },
    });
    assert.deepEqual(uniqueIds(await query(delegate)), [String(entries.LAB?.uniqueId)], 'lab reports only; not P99, not P98');
    await queryDeps.access.relations.revoke(given.id, { subject: personKey(PATIENT), role: 'ASS', channel: 'citizen-portal' });
    assert.equal((await query(delegate)).status, 'Failure');
  });

  test('ITI-43: a hidden document gets the very error of a missing one; the patient retrieves their obscured document', async () => {
    const request = (name: string) => ({ repositoryUniqueId: REPOSITORY as RepositoryUniqueId, documentUniqueId: entries[name]!.uniqueId });
    const missing = { repositoryUniqueId: REPOSITORY as RepositoryUniqueId, documentUniqueId: '2.16.840.1.113883.2.9.2.120.4.4^NOPE' as UniqueId };
    const answer = await federatedRetrieve([request('LAB'), request('OBSCURED'), missing], doctor, requesterOfCaller(doctor, false), retrieveDeps);
    assert.equal(answer.status, 'PartialSuccess');
    assert.deepEqual(answer.documents.map((d) => String(d.documentUniqueId)), [String(entries.LAB?.uniqueId)]);
    const [hidden, absent] = answer.errors;
    assert.equal(hidden?.codeContext.replace(String(entries.OBSCURED?.uniqueId), 'X'), absent?.codeContext.replace('2.16.840.1.113883.2.9.2.120.4.4^NOPE', 'X'));
    const patient: CallerIdentity = { ...doctor, subjectId: PATIENT, role: 'ASS', purposeOfUse: 'PERSONAL' };
    const own = await federatedRetrieve([request('OBSCURED'), request('NOT-FOR-PATIENT')], patient, requesterOfCaller(patient, false), retrieveDeps);
    assert.deepEqual(own.documents.map((d) => String(d.documentUniqueId)), [String(entries.OBSCURED?.uniqueId)]);
  });

  test('an association to a hidden entry never leaves, even between visible objects of the answer', async () => {
    const request = { returnType: 'LeafClass', query: { type: 'GetAssociations', uuids: [entries.OBSCURED!.entryUuid] } } as StoredQueryRequest;
    const answer = await query(doctor, request);
    assert.equal(answer.status, 'Success');
    assert.equal(answer.result.kind === 'LeafClass' ? answer.result.associations.length : -1, 0);
    const open = await query(doctor, { returnType: 'LeafClass', query: { type: 'GetAssociations', uuids: [entries.LAB!.entryUuid] } });
    assert.equal(open.result.kind === 'LeafClass' ? open.result.associations.length : -1, 1, 'the same query shows a visible entry\'s HasMember');
  });
});
