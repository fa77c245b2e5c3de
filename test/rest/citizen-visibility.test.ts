import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { until } from '../../src/demo/until.js';
import type { Harness } from '../support/bridge-harness.js';
import { actingFor, asOperator, asPatient, call, PEOPLE } from '../support/citizen-calls.js';
import { assertDeclared } from '../support/citizen-openapi.js';
import { HIDDEN, PATIENT, SHOWN, startObscuringBed, type ObscuringBed } from '../support/obscuring-bed.js';

/**
 * Obscuring through the citizen API, on real servers (bridge, Gateway simulator with INI behind it, the patient's
 * RDA): the portal's PUT hides the document from a doctor's ITI-18 (LeafClass and ObjectRef) and from INI's inbound
 * query, the Gateway receives the metadata update with P99, and un-obscuring brings it back; while the Gateway is
 * down the answer is 202 and the document stays hidden; a refusal is 502. See: privacy digest 4; docs/privacy.md.
 */
type Visibility = { uniqueId: string; obscured: boolean; state: string };
const path = (id: string) => `/v1/citizen/documents/${encodeURIComponent(id)}/visibility`;
const TEMPLATE = '/documents/{uniqueId}/visibility';

describe('the citizen API: obscuring on request', () => {
  let bed: ObscuringBed;
  let h: Harness;
  const put = async (id: string, obscured: boolean, token?: string) => {
    const answer = await call(h, 'PUT', path(id), token ?? await asPatient(h, PATIENT), { obscured });
    await assertDeclared('PUT', TEMPLATE, answer);
    return answer;
  };
  const flag = async (id: string) => ((await call(h, 'GET', '/v1/citizen/documents', await asPatient(h, PATIENT))).body as { documents: { uniqueId: string; obscured: boolean }[] })
    .documents.find((d) => d.uniqueId === id)?.obscured;

  before(async () => {
    bed = await startObscuringBed('citizen-api', { FSE_CITIZEN_ISSUERS: 'auth:S1#120201234567XX', FSE_RIGHTS_OPERATOR_ISSUERS: 'auth:S1#120201234567XX' });
    h = bed.h;
  });
  after(async () => bed?.stop());

  test('obscured by the portal: gone from a doctor\'s LeafClass, ObjectRef and INI\'s query, the Gateway got P99; un-obscured: back', async () => {
    const id = await bed.publish('CIT-OBS');
    assert.deepEqual(await bed.seenBy(id), SHOWN);
    assert.equal(await flag(id), false);

    const obscured = await put(id, true);
    assert.equal(obscured.status, 200);
    assert.deepEqual([(obscured.body as Visibility).state, (obscured.body as Visibility).obscured], ['done', true]);
    assert.deepEqual(await bed.seenBy(id), HIDDEN);
    assert.equal(await flag(id), true);
    const update = bed.metadataCalls(id).at(-1);
    assert.deepEqual((JSON.parse(update?.json ?? '{}') as { attiCliniciRegoleAccesso?: string[] }).attiCliniciRegoleAccesso, ['P99']);
    assert.equal(((await put(id, true)).body as Visibility).state, 'unchanged');

    const shown = await put(id, false);
    assert.equal(shown.status, 200);
    assert.deepEqual(await bed.seenBy(id), SHOWN);
    assert.equal(await flag(id), false);

    const log = await call(h, 'GET', `/v1/audit/patients/${encodeURIComponent(`${PATIENT}^^^&2.16.840.1.113883.2.9.4.3.2&ISO`)}/accesses`, await asPatient(h, PATIENT));
    const changes = (log.body as { accesses: { transaction: string; outcome: string }[] }).accesses.filter((a) => a.transaction === 'REST-visibility-change');
    assert.deepEqual(changes.map((a) => a.outcome), ['Success', 'Success'], 'both changes are in the access log');
  });

  test('the Gateway down: 202, the document hidden meanwhile; replayed, it comes back', async () => {
    const id = await bed.publish('CIT-DOWN');
    assert.equal((await put(id, true)).status, 200);
    await h.simulator?.control.setOutage('reset');
    try {
      const pending = await put(id, false);
      assert.equal(pending.status, 202);
      assert.equal((pending.body as Visibility).state, 'pending');
      assert.deepEqual(await bed.seenBy(id), HIDDEN, 'an un-obscuring takes effect once confirmed');
      assert.equal(await flag(id), true);
    } finally {
      await h.simulator?.control.setOutage(false);
    }
    await until(async () => ((await flag(id)) === false ? true : undefined), 'the replayed un-obscuring confirmed', 60_000);
    assert.deepEqual(await bed.seenBy(id), SHOWN);
  });

  test('refused by the Gateway: 502 and still hidden; a delegate may not, another patient finds nothing, an operator may', async () => {
    const id = await bed.publish('CIT-REFUSED');
    h.simulator?.control.injectError({ operation: 'metadata', status: 400, body: { type: '/msg/validator', title: 'Errore di validazione', detail: 'simulated refusal' } });
    const refused = await put(id, true);
    assert.equal(refused.status, 502);
    assert.match((refused.body as { detail: string }).detail, /simulated refusal/);
    assert.deepEqual(await bed.seenBy(id), HIDDEN, 'a citizen\'s obscuring stays in force locally');
    assert.equal((await put(id, false)).status, 200);
    assert.deepEqual(await bed.seenBy(id), SHOWN);

    assert.equal((await put(id, true, await asPatient(h, PEOPLE.stranger))).status, 404);
    const asDelegate = await actingFor(h, PEOPLE.delegate, 'ING', PATIENT);
    assert.equal((await call(h, 'PUT', path(id), asDelegate, { obscured: true })).status, 404, 'no delegation: not theirs to see');
    const today = new Date().toISOString().slice(0, 10);
    assert.equal((await call(h, 'POST', '/v1/citizen/delegations', await asPatient(h, PATIENT), { delegate: PEOPLE.delegate, from: today, to: today })).status, 201);
    assert.equal((await call(h, 'PUT', path(id), asDelegate, { obscured: true })).status, 403, 'a delegate reads, and changes nothing');
    const byOperator = await call(h, 'PUT', `/v1/rights/documents/${encodeURIComponent(id)}/visibility`, await asOperator(h), { obscured: true });
    assert.equal(byOperator.status, 200);
    assert.deepEqual(await bed.seenBy(id), HIDDEN);
    assert.equal((await call(h, 'PUT', path(id), await asPatient(h, PATIENT), { obscured: 'yes' })).status, 400);
  });
});
