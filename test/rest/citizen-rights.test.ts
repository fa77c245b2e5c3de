import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { requesterOfCaller } from '../../src/access/requester.js';
import type { PatientId } from '../../src/domain/ids.js';
import type { DocumentEntry } from '../../src/domain/xds.js';
import { createAccessGuard } from '../../src/operations/access-guard.js';
import { accessDeps } from '../support/access-deps.js';
import { startBridge, type Harness } from '../support/bridge-harness.js';
import { actingFor, asOperator, asPatient, call, cx, PEOPLE, seedDocument } from '../support/citizen-calls.js';
import { assertDeclared } from '../support/citizen-openapi.js';

/**
 * Consent, delegations, parents through the citizen API and the rights operators' API, on a real bridge: what each
 * records, and what the next read through the one access decision then shows. See: privacy digest 3, 5.
 */
const event = (code: string) => ({ code, scheme: '2.16.840.1.113883.2.9.3.3.6.1.3' });
const type = (code: string) => ({ code, scheme: '2.16.840.1.113883.6.1' });
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const listed = (a: { body: unknown }) => (a.body as { documents: { uniqueId: string }[] }).documents.map((d) => d.uniqueId).sort();
type View = { id: string; active: boolean; revokedBy?: { subject: string }; recordedBy: { channel: string; role: string } };

describe('the citizen API and the rights operators: consent, delegations, parents', () => {
  let h: Harness;
  const docs: Record<string, DocumentEntry> = {};
  const uid = (...names: string[]) => names.map((n) => docs[n]!.uniqueId as string).sort();

  before(async () => {
    const issuer = 'auth:S1#120201234567XX';
    h = await startBridge({ FSE_CITIZEN_ISSUERS: issuer, FSE_RIGHTS_OPERATOR_ISSUERS: issuer });
    docs.lab = await seedDocument(h, 'LAB', { typeCode: type('11502-2') });
    docs.prescription = await seedDocument(h, 'RX', { typeCode: type('57833-6') });
    docs.obscured = await seedDocument(h, 'P99', { typeCode: type('11502-2'), eventCodes: [event('P99')] });
    docs.child = await seedDocument(h, 'CHILD', { patientId: cx(PEOPLE.child) as PatientId });
    docs.childP97 = await seedDocument(h, 'CHILD-P97', { patientId: cx(PEOPLE.child) as PatientId, eventCodes: [event('P97')] });
  });
  after(async () => h?.stop());

  test('consent: none recorded, withdrawn by the citizen (a doctor\'s TREATMENT is refused), given back by an operator', async () => {
    const doctor = requesterOfCaller({
      source: 'saml', verified: true, subjectId: cx(PEOPLE.operator), role: 'APR', purposeOfUse: 'TREATMENT', actionId: 'READ', resourceId: cx(PEOPLE.patient), patientConsent: true,
    }, false);
    const doctorMay = async () => (await createAccessGuard(doctor, accessDeps(h.app.resources().db.pool)).patient(cx(PEOPLE.patient))).allowed;
    const none = await call(h, 'GET', '/v1/citizen/consent', await asPatient(h));
    assert.equal(none.status, 200);
    await assertDeclared('GET', '/consent', none);
    assert.equal((none.body as { consultation: unknown }).consultation, null);
    assert.equal(await doctorMay(), true, 'another region\'s patient without a record: the assertion\'s claim');

    const withdrawn = await call(h, 'PUT', '/v1/citizen/consent', await asPatient(h), { consultation: false });
    assert.equal(withdrawn.status, 200);
    await assertDeclared('PUT', '/consent', withdrawn);
    assert.deepEqual((withdrawn.body as { recordedBy: unknown }).recordedBy, { subject: PEOPLE.patient, role: 'ASS', channel: 'citizen-portal' });
    assert.equal(await doctorMay(), false, 'withdrawn: refused whatever the assertion claims');

    const byOperator = await call(h, 'PUT', `/v1/rights/patients/${PEOPLE.patient}/consent`, await asOperator(h), { consultation: true });
    assert.equal(byOperator.status, 200);
    assert.deepEqual((byOperator.body as { recordedBy: unknown }).recordedBy, { subject: PEOPLE.operator, role: 'OGC', channel: 'operator' });
    assert.equal(await doctorMay(), true);
    assert.equal(((await call(h, 'GET', '/v1/citizen/consent', await asPatient(h))).body as { consultation: unknown }).consultation, true);
  });

  test('consent: bad bodies are 400, an operator without purpose CONSENT or a citizen on the operators\' API 403', async () => {
    for (const body of [{ consultation: 'yes' }, { consultation: true, extra: 1 }, '{not json', undefined]) {
      const answer = await call(h, 'PUT', '/v1/citizen/consent', await asPatient(h), body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      await assertDeclared('PUT', '/consent', answer);
    }
    assert.equal((await call(h, 'PUT', `/v1/rights/patients/${PEOPLE.patient}/consent`, await asOperator(h, 'TREATMENT'), { consultation: false })).status, 403);
    assert.equal((await call(h, 'PUT', `/v1/rights/patients/${PEOPLE.patient}/consent`, await asPatient(h), { consultation: false })).status, 403);
    assert.equal((await call(h, 'PUT', '/v1/citizen/consent', await actingFor(h, PEOPLE.delegate, 'ING', PEOPLE.patient), { consultation: false })).status, 403);
  });

  test('a delegation limited to lab reports: the delegate sees those, not the prescription nor P99; logged with both identities; revoked, refused', async () => {
    const delegate = await actingFor(h, PEOPLE.delegate, 'ING', PEOPLE.patient);
    const created = await call(h, 'POST', '/v1/citizen/delegations', await asPatient(h), { delegate: PEOPLE.delegate, documentTypes: ['11502-2'], from: day(-1), to: day(30) });
    assert.equal(created.status, 201);
    await assertDeclared('POST', '/delegations', created);
    const { id } = created.body as View;

    const seen = await call(h, 'GET', '/v1/citizen/documents', delegate);
    assert.equal(seen.status, 200);
    assert.deepEqual(listed(seen), uid('lab'));
    const content = await call(h, 'GET', `/v1/citizen/documents/${encodeURIComponent(docs.prescription!.uniqueId)}/content`, delegate);
    assert.equal(content.status, 404, 'outside the delegation\'s scope');

    const log = await call(h, 'GET', `/v1/audit/patients/${encodeURIComponent(cx(PEOPLE.patient))}/accesses`, delegate);
    assert.equal(log.status, 200, 'the delegate reads the log of the patient they act for');
    const byDelegate = (log.body as { accesses: { who: { subject?: string; role?: string; onBehalfOf?: string }; transaction: string; outcome: string; documents: string[] }[] }).accesses
      .find((a) => a.transaction === 'REST-citizen-documents' && a.who.subject === cx(PEOPLE.delegate) && a.outcome === 'Success');
    assert.ok(byDelegate);
    assert.deepEqual(byDelegate.who, { subject: cx(PEOPLE.delegate), role: 'ING', onBehalfOf: cx(PEOPLE.patient) });
    assert.deepEqual(byDelegate.documents, uid('lab'));

    const mine = await call(h, 'GET', '/v1/citizen/delegations', await asPatient(h));
    await assertDeclared('GET', '/delegations', mine);
    assert.deepEqual((mine.body as { delegations: View[] }).delegations.map((d) => [d.id, d.active]), [[id, true]]);
    const theirs = await call(h, 'GET', '/v1/citizen/delegations', delegate);
    assert.deepEqual((theirs.body as { actingFor: View[] }).actingFor.map((d) => d.id), [id]);

    assert.equal((await call(h, 'DELETE', `/v1/citizen/delegations/${id}`, await asPatient(h, PEOPLE.stranger))).status, 404, 'not the stranger\'s to revoke');
    const revoked = await call(h, 'DELETE', `/v1/citizen/delegations/${id}`, await asPatient(h));
    assert.equal(revoked.status, 200);
    await assertDeclared('DELETE', '/delegations/{id}', revoked);
    assert.equal((revoked.body as View).active, false);
    assert.equal((revoked.body as View).revokedBy?.subject, PEOPLE.patient);
    assert.equal((await call(h, 'GET', '/v1/citizen/documents', delegate)).status, 403);
    const again = await call(h, 'DELETE', `/v1/citizen/delegations/${id}`, await asPatient(h));
    assert.equal(again.status, 409);
    await assertDeclared('DELETE', '/delegations/{id}', again);
  });

  test('delegations the region refuses: 409 twice the same, 422 impossible, 400 malformed; the delegate may renounce', async () => {
    const post = async (body: unknown) => call(h, 'POST', '/v1/citizen/delegations', await asPatient(h), body);
    const first = await post({ delegate: PEOPLE.stranger, from: day(0), to: day(10) });
    assert.equal(first.status, 201);
    const twice = await post({ delegate: PEOPLE.stranger, from: day(0), to: day(20) });
    assert.equal(twice.status, 409);
    await assertDeclared('POST', '/delegations', twice);
    for (const body of [
      { delegate: PEOPLE.delegate, from: day(5), to: day(1) },
      { delegate: PEOPLE.delegate, from: day(-20), to: day(-10) },
      { delegate: PEOPLE.patient, from: day(0), to: day(1) },
      { delegate: PEOPLE.delegate, documentTypes: ['12345-6'], from: day(0), to: day(1) },
    ]) {
      const answer = await post(body);
      assert.equal(answer.status, 422, JSON.stringify(body));
      await assertDeclared('POST', '/delegations', answer);
    }
    for (const body of [{ delegate: 'RSSMRA80A01H501X', from: day(0), to: day(1) }, { delegate: PEOPLE.delegate, from: 'tomorrow', to: day(1) },
      { delegate: PEOPLE.delegate, to: day(1) }, { kind: 'parent', delegate: PEOPLE.delegate, from: day(0), to: day(1) }]) {
      assert.equal((await post(body)).status, 400, JSON.stringify(body));
    }
    const renounced = await call(h, 'DELETE', `/v1/citizen/delegations/${(first.body as View).id}`, await actingFor(h, PEOPLE.stranger, 'ING', PEOPLE.patient));
    assert.equal(renounced.status, 200);
  });

  test('a parent recorded by an operator sees the minor\'s documents but P97, states consent, and does not delegate', async () => {
    const parent = await actingFor(h, PEOPLE.parent, 'GEN', PEOPLE.child);
    assert.equal((await call(h, 'GET', '/v1/citizen/documents', parent)).status, 403, 'no relation yet');
    const byCitizen = await call(h, 'POST', `/v1/rights/patients/${PEOPLE.child}/relations`, await asPatient(h, PEOPLE.parent), { kind: 'parent', delegate: PEOPLE.parent, from: '2015-01-01' });
    assert.equal(byCitizen.status, 403, 'a parent is recorded by the region, not self-declared');
    const recorded = await call(h, 'POST', `/v1/rights/patients/${PEOPLE.child}/relations`, await asOperator(h), { kind: 'parent', delegate: PEOPLE.parent, from: '2015-01-01' });
    assert.equal(recorded.status, 201);
    assert.equal((recorded.body as View).recordedBy.channel, 'operator');

    assert.deepEqual(listed(await call(h, 'GET', '/v1/citizen/documents', parent)), uid('child'));
    assert.equal((await call(h, 'PUT', '/v1/citizen/consent', parent, { consultation: true })).status, 200);
    const delegation = await call(h, 'POST', '/v1/citizen/delegations', parent, { delegate: PEOPLE.delegate, from: day(0), to: day(5) });
    assert.equal(delegation.status, 403);
    const relations = await call(h, 'GET', `/v1/rights/patients/${PEOPLE.child}/relations`, await asOperator(h));
    assert.deepEqual((relations.body as { delegations: View[] }).delegations.map((r) => r.id), [(recorded.body as View).id]);
  });
});
