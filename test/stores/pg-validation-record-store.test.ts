import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { WorkflowInstanceId } from '../../src/domain/workflow-instance-id.js';
import { createPgValidationRecordStore } from '../../src/stores/pg-validation-record-store.js';
import type { ValidationRecordStore } from '../../src/stores/validation-record-store.js';
import { createTestSchema, type TestSchema } from '../support/test-database.js';

const DAY = 24 * 60 * 60 * 1000;
const wii = (n: number) => `2.16.840.1.113883.2.9.2.120.4.4.abc.${n}^^^^urn:ihe:iti:xdw:2013:workflowInstanceId` as WorkflowInstanceId;
const created = new Date('2026-05-04T10:00:00.000Z');

describe('PostgreSQL validation record store', () => {
  let db: TestSchema;
  let store: ValidationRecordStore;
  before(async () => {
    db = await createTestSchema();
    store = createPgValidationRecordStore(db.pool, 5);
  });
  after(() => db.drop());

  test('a record is usable once', async () => {
    const record = { cdaKey: 'cda-1', workflowInstanceId: wii(1), docType: '11502-2', createdAt: created };
    await store.put(record);
    assert.deepEqual(await store.take('cda-1', new Date(created.getTime() + DAY)), { kind: 'found', record });
    assert.deepEqual(await store.take('cda-1'), { kind: 'missing' });
  });

  test('expiry is the memory store rule: 5 whole days still usable, 6 expired (and consumed)', async () => {
    const record = { cdaKey: 'cda-2', workflowInstanceId: wii(2), createdAt: created };
    await store.put(record);
    assert.equal((await store.take('cda-2', new Date(created.getTime() + 6 * DAY - 1)))?.kind, 'found');
    await store.put(record);
    assert.deepEqual(await store.take('cda-2', new Date(created.getTime() + 6 * DAY)), { kind: 'expired', record });
    assert.deepEqual(await store.take('cda-2'), { kind: 'missing' });
  });

  test('a re-validation overwrites the earlier record', async () => {
    await store.put({ cdaKey: 'cda-3', workflowInstanceId: wii(3), docType: 'A', createdAt: created });
    const second = { cdaKey: 'cda-3', workflowInstanceId: wii(4), createdAt: new Date(created.getTime() + DAY) };
    await store.put(second);
    assert.deepEqual(await store.take('cda-3', second.createdAt), { kind: 'found', record: second });
  });

  test('purgeExpired drops exactly the expired records', async () => {
    await store.put({ cdaKey: 'old', workflowInstanceId: wii(5), createdAt: created });
    await store.put({ cdaKey: 'edge', workflowInstanceId: wii(6), createdAt: new Date(created.getTime() + 1) });
    assert.equal(await store.purgeExpired(new Date(created.getTime() + 6 * DAY)), 1);
    assert.equal((await store.take('edge', new Date(created.getTime() + DAY)))?.kind, 'found');
    assert.equal((await store.take('old'))?.kind, 'missing');
  });

  test('concurrent takes of one record: exactly one finds it', async () => {
    await store.put({ cdaKey: 'race', workflowInstanceId: wii(7), createdAt: new Date() });
    const outcomes = await Promise.all([1, 2, 3, 4, 5].map(() => store.take('race')));
    assert.equal(outcomes.filter((o) => o.kind === 'found').length, 1);
  });
});
