import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { requesterOfCaller } from '../../src/access/requester.js';
import type { RecordedBy } from '../../src/domain/citizen-rights.js';
import { personKey, type UniqueId } from '../../src/domain/ids.js';
import { createAccessGuard } from '../../src/operations/access-guard.js';
import { createPgVisibilityRequestStore } from '../../src/stores/pg-visibility-request-store.js';
import type { VisibilityRequestStore } from '../../src/stores/visibility-request-store.js';
import { accessDeps } from '../support/access-deps.js';
import { createTestSchema, type TestSchema } from '../support/test-database.js';
import { aDocumentEntry, PATIENT } from '../support/xds-builders.js';

/*
 * The visibility requests on the real PostgreSQL (migration 011): one request however often the citizen presses,
 * the latest per document, settled once; and the access guard reading them once per patient: an obscuring pending
 * hides the document from a doctor at once, an un-obscuring only when confirmed. See: privacy digest 4.
 */
const BY: RecordedBy = { subject: personKey(PATIENT), role: 'ASS', channel: 'citizen-portal' };

describe('visibility requests', () => {
  let db: TestSchema;
  let store: VisibilityRequestStore;
  const ask = (uniqueId: string, obscured: boolean) => store.record({ id: randomUUID(), uniqueId, patient: personKey(PATIENT), obscured, requestedBy: BY });

  before(async () => {
    db = await createTestSchema();
    store = createPgVisibilityRequestStore(db.pool);
  });
  after(async () => db?.drop());

  test('asking the same twice while pending is one request, also at the same moment; the opposite is a new one', async () => {
    const [first, second] = await Promise.all([ask('DOC-1', true), ask('DOC-1', true)]);
    assert.equal([first, second].filter((r) => r.created).length, 1);
    assert.equal(first.request.id, second.request.id);
    const opposite = await ask('DOC-1', false);
    assert.equal(opposite.created, true);
    assert.deepEqual((await store.latestOf(['DOC-1', 'DOC-NONE'])).map((r) => [r.uniqueId, r.obscured, r.state]), [['DOC-1', false, 'pending']]);
    assert.equal((await store.history(personKey(PATIENT), 10)).length, 2);
  });

  test('a request is settled once; a settled one is returned as it is', async () => {
    const { request } = await ask('DOC-2', true);
    const refused = await store.settle(request.id, 'refused', 'GTW nazionale 403');
    assert.deepEqual([refused?.state, refused?.reason, refused?.settledAt instanceof Date], ['refused', 'GTW nazionale 403', true]);
    assert.equal((await store.settle(request.id, 'confirmed'))?.state, 'refused');
    assert.equal(await store.settle(randomUUID(), 'confirmed'), undefined);
    assert.equal((await ask('DOC-2', true)).created, true, 'asking again after a refusal is a new attempt');
    const done = await store.record({ id: randomUUID(), uniqueId: 'DOC-3', patient: personKey(PATIENT), obscured: false, requestedBy: BY, state: 'confirmed' });
    assert.equal(done.request.state, 'confirmed');
  });

  test('the guard: pending obscuring hides the document from a doctor, pending un-obscuring keeps it hidden, confirmed lets the entry decide', async () => {
    const doctor = requesterOfCaller({
      source: 'saml', verified: true, subjectId: 'BNCMRA70A01H501Y^^^&2.16.840.1.113883.2.9.4.3.2&ISO', role: 'APR', purposeOfUse: 'EMERGENCY',
      actionId: 'READ', resourceId: PATIENT,
    }, false);
    const open = aDocumentEntry({ uniqueId: '2.16.840.1.113883.2.9.2.120.4.4^GUARD-1' as UniqueId, eventCodes: [] });
    const visible = async () => (await createAccessGuard(doctor, accessDeps(db.pool)).visible([open])).length === 1;
    assert.equal(await visible(), true);
    const { request } = await ask(open.uniqueId, true);
    assert.equal(await visible(), false, 'obscured from the request on');
    await store.settle(request.id, 'confirmed');
    assert.equal(await visible(), true, 'confirmed: the entry (without P99 here) decides');
    const undo = await ask(open.uniqueId, false);
    const obscuredEntry = { ...open, eventCodes: [{ code: 'P99', scheme: '2.16.840.1.113883.2.9.3.3.6.1.3' }] };
    assert.equal((await createAccessGuard(doctor, accessDeps(db.pool)).visible([open, obscuredEntry])).length, 0, 'un-obscuring pending');
    await store.settle(undo.request.id, 'confirmed');
    assert.equal(await visible(), true);
  });
});
