import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAuditLog, type AuditLog } from '../../src/audit/audit-log.js';
import { chainHash, GENESIS_HASH } from '../../src/audit/canonical-form.js';
import { MAX_FIELD_LENGTH } from '../../src/audit/normalise-entry.js';
import { createTestSchema, type TestSchema } from '../support/test-database.js';
import { OTHER_PATIENT, PATIENT, sampleEntry } from './audit-builders.js';

describe('audit log store', () => {
  let db: TestSchema;
  let log: AuditLog;
  before(async () => {
    db = await createTestSchema();
    log = createAuditLog(db.pool);
  });
  after(() => db.drop());

  test('an empty log verifies, its head is the genesis hash', async () => {
    assert.deepEqual(await log.verify(), { ok: true, checked: 0, head: { id: 0, hash: GENESIS_HASH } });
  });

  test('record answers the stored record; it reads back field for field and starts the chain at genesis', async () => {
    const entry = sampleEntry({ documentIds: ['2.16.840.1.113883.2.9.2.120.4.4^0001', '2.16.840.1.113883.2.9.2.120.4.4^0002'], outcome: 'PartialSuccess', errorCodes: ['XDSDocumentUniqueIdError'] });
    const recorded = await log.record(entry);
    assert.equal(recorded.id, 1);
    assert.equal(recorded.prevHash, GENESIS_HASH);
    assert.equal(recorded.hash, chainHash(recorded));
    assert.match(recorded.hash, /^[0-9a-f]{64}$/);
    const { id, recordedAt, prevHash, hash, canonicalVersion, ...fields } = recorded;
    assert.deepEqual(fields, entry);
    assert.deepEqual([id, canonicalVersion, prevHash, hash], [1, 1, GENESIS_HASH, recorded.hash]);
    assert.ok(Math.abs(recordedAt.getTime() - Date.now()) < 60_000, 'the database clock, roughly now');
    assert.deepEqual(await log.listByPatient(PATIENT), [recorded]);
  });

  test('absent and empty optional fields are stored as NULL and read back absent; the next record links to the last', async () => {
    const [first] = await log.listByPatient(PATIENT);
    const recorded = await log.record({ direction: 'outbound', transaction: 'ITI-18', counterpart: 'INI', outcome: 'Failure', subjectId: '', patientId: OTHER_PATIENT });
    assert.deepEqual((await log.listByPatient(OTHER_PATIENT))[0], recorded);
    assert.equal(recorded.subjectId, undefined);
    assert.deepEqual([recorded.documentIds, recorded.errorCodes], [[], []]);
    assert.equal(recorded.prevHash, first?.hash);
    assert.equal(recorded.id, 2);
    const { rows } = await db.pool.query<{ subject_id: string | null }>('SELECT subject_id FROM audit_record WHERE id = 2');
    assert.equal(rows[0]?.subject_id, null);
  });

  test('unstorable text (NUL, a lone surrogate) and oversized values are stored as hashed, so the chain still verifies', async () => {
    const recorded = await log.record(sampleEntry({ subjectId: 'A\u0000B\uD800C', organizationName: 'x'.repeat(5000), documentIds: ['\uDC00'] }));
    assert.equal(recorded.subjectId, 'A\uFFFDB\uFFFDC');
    assert.equal(recorded.organizationName?.length, MAX_FIELD_LENGTH);
    assert.deepEqual(recorded.documentIds, ['\uFFFD']);
    const [stored] = await log.listByPatient(PATIENT, { limit: 1 });
    assert.deepEqual(stored, recorded);
    assert.equal((await log.verify()).ok, true);
  });

  test('listByPatient: newest first, limit and before page through without overlap, other patients excluded', async () => {
    const more = [];
    for (let i = 0; i < 5; i++) more.push(await log.record(sampleEntry({ documentIds: [`2.16.840.1.113883.2.9.2.120.4.4^p${i}`] })));
    const all = await log.listByPatient(PATIENT);
    assert.equal(all.length, 7);
    assert.deepEqual(all.map((r) => r.id), [...all.map((r) => r.id)].sort((a, b) => b - a));
    assert.ok(all.every((r) => r.patientId === PATIENT));
    for (let i = 1; i < all.length; i++) assert.ok((all[i - 1]?.recordedAt.getTime() ?? 0) >= (all[i]?.recordedAt.getTime() ?? 0));

    const page1 = await log.listByPatient(PATIENT, { limit: 3 });
    const page2 = await log.listByPatient(PATIENT, { limit: 3, before: page1.at(-1)?.id });
    const page3 = await log.listByPatient(PATIENT, { limit: 3, before: page2.at(-1)?.id });
    assert.deepEqual([...page1, ...page2, ...page3], all);
    assert.equal(page3.length, 1);
    assert.deepEqual(page1.slice(0, 2).map((r) => r.documentIds[0]), ['2.16.840.1.113883.2.9.2.120.4.4^p4', '2.16.840.1.113883.2.9.2.120.4.4^p3']);
    assert.deepEqual(await log.listByPatient(PATIENT, { before: 1 }), []);
    await assert.rejects(log.listByPatient(PATIENT, { limit: 0 }), RangeError);
    await assert.rejects(log.listByPatient(PATIENT, { limit: 1001 }), RangeError);
  });

  test('the database refuses UPDATE, DELETE and TRUNCATE of records, and moving the head, on a normal connection', async () => {
    const refused = { code: '42501' };
    await assert.rejects(db.pool.query(`UPDATE audit_record SET subject_id = 'X' WHERE id = 1`), refused);
    await assert.rejects(db.pool.query('DELETE FROM audit_record WHERE id = 1'), refused);
    await assert.rejects(db.pool.query('TRUNCATE audit_record'), refused);
    await assert.rejects(db.pool.query('UPDATE audit_chain_head SET last_id = last_id - 1'), refused);
    await assert.rejects(db.pool.query('DELETE FROM audit_chain_head'), refused);
    const { rows } = await db.pool.query<{ n: number; subject: string }>(
      `SELECT count(*)::int AS n, (SELECT subject_id FROM audit_record WHERE id = 1) AS subject FROM audit_record`,
    );
    assert.deepEqual(rows[0], { n: 8, subject: sampleEntry().subjectId });
  });

  test('an insert that does not extend the head is refused: a writer cannot fork or skip the chain', async () => {
    const head = await log.verify();
    const copy = async (id: number, prevHash: string) => db.pool.query(
      `INSERT INTO audit_record SELECT $1, canonical_version, recorded_at, direction, transaction, counterpart, subject_id,
         subject_role, organization_id, organization_name, purpose_of_use, patient_id, document_ids, outcome, error_codes,
         trace_id, credential_id, $2, hash FROM audit_record WHERE id = 1`, [id, prevHash]);
    await assert.rejects(copy(head.head.id + 2, head.head.hash), { code: '23000' });
    await assert.rejects(copy(head.head.id + 1, GENESIS_HASH), { code: '23000' });
    assert.deepEqual(await log.verify(), head);
  });

  test('the whole chain verifies, in one batch or many', async () => {
    const one = await log.verify();
    assert.equal(one.ok, true);
    assert.equal(one.checked, 8);
    assert.deepEqual(await log.verify({ batchSize: 3 }), one);
    const tail = await log.verify({ from: 6 });
    assert.deepEqual([tail.ok, tail.checked, tail.head], [true, 3, one.head]);
    assert.deepEqual(await log.verify({ anchor: { id: 4, hash: (await log.listByPatient(PATIENT, { before: 5, limit: 1 }))[0]?.hash ?? '' } }), one);
  });
});
