import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTransactionStore, type StatusEvent, type TransactionStore } from '../../src/stores/transaction-store.js';
import { createTestSchema, type TestSchema } from '../support/test-database.js';

const WII = '2.16.840.1.113883.2.9.2.120.4.4.f00.0123456789^^^^urn:ihe:iti:xdw:2013:workflowInstanceId';
const at = (iso: string) => new Date(iso);

describe('transaction (status event) store', () => {
  let db: TestSchema;
  let store: TransactionStore;
  before(async () => {
    db = await createTestSchema();
    store = createTransactionStore(db.pool);
  });
  after(() => db.drop());

  const validation: StatusEvent = {
    workflowInstanceId: WII, traceId: 'trace-1', spanId: 'span-1', eventType: 'VALIDATION', eventStatus: 'SUCCESS',
    eventDate: at('2026-05-04T08:00:01.120Z'), subject: 'RSSMRA80A01H501U', subjectRole: 'AAS', organizationId: '120',
    issuer: 'integrity:S1#120201234567XX', expiringDate: at('2027-05-04T08:00:01.470Z'),
  };
  const publication: StatusEvent = {
    workflowInstanceId: WII, traceId: 'trace-2', eventType: 'PUBLICATION', eventStatus: 'SUCCESS',
    eventDate: at('2026-05-04T08:05:00.000Z'), documentId: '2.16.840.1.113883.2.9.2.120.4.4^290700', activity: 'CON',
    issuer: 'integrity:S1#120201234567XX', expiringDate: at('2027-05-04T08:05:00.000Z'),
  };
  const sendToIni: StatusEvent = {
    workflowInstanceId: WII, traceId: 'trace-2', eventType: 'SEND_TO_INI', eventStatus: 'BLOCKING_ERROR_MAX_RETRY',
    eventDate: at('2026-05-04T08:06:00.000Z'), message: 'Massimo numero di retry raggiunto: 3', issuer: 'UNDEFINED_JWT_ISSUER',
  };

  test('events list by workflowInstanceId and by traceId in eventDate order, fields intact', async () => {
    // Appended out of order: the list is sorted by eventDate, not by arrival.
    await store.append(sendToIni);
    await store.append(validation);
    await store.append(publication);
    assert.deepEqual(await store.listByWorkflowInstanceId(WII), [validation, publication, sendToIni]);
    assert.deepEqual(await store.listByTraceId('trace-2'), [publication, sendToIni]);
    assert.deepEqual(await store.listByWorkflowInstanceId(WII, 1), [validation]);
    assert.deepEqual(await store.listByTraceId('nope'), []);
  });

  test('purgeExpired drops events past their expiringDate and keeps events without one', async () => {
    assert.equal(await store.purgeExpired(at('2027-05-04T08:03:00.000Z')), 1);
    assert.deepEqual(await store.listByWorkflowInstanceId(WII), [publication, sendToIni]);
  });
});
