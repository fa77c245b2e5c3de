import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Requester } from '../../src/access/requester.js';
import { until } from '../../src/demo/until.js';
import type { RecordedBy } from '../../src/domain/citizen-rights.js';
import { parseUniqueId, personKey, type RepositoryUniqueId } from '../../src/domain/ids.js';
import { newTraceContext } from '../../src/logging/context.js';
import { changeVisibility, type ChangeVisibilityDeps, type ChangeVisibilityRequest } from '../../src/operations/change-visibility.js';
import { createPgRelationStore } from '../../src/stores/pg-relation-store.js';
import type { Harness } from '../support/bridge-harness.js';
import { COLLEAGUE, HIDDEN, PATIENT, SHOWN, startObscuringBed, type ObscuringBed } from '../support/obscuring-bed.js';
import { ldoSubmission, REGION_REPOSITORY, SAMPLE_PATIENT } from '../support/xds-submissions.js';

/*
 * Obscuring and un-obscuring on request, end to end on real servers: the bridge of region 120 (its own schema and
 * queue), the Gateway simulator with the INI simulator behind it, and a region standing for the patient's RDA (090),
 * to which INI forwards what it indexes. A document the patient obscures leaves a doctor's ITI-18 (LeafClass and ObjectRef) and INI's
 * inbound query at once; the Gateway got a region-signed metadata update with the new event codes and purpose
 * ACCESS UPDATE, INI got it with that purpose, and the registry holds the new version; un-obscuring brings it back.
 * While the Gateway is slow or down, the stricter visibility applies. See: privacy digest 4; xds-ini digest 4.5, 6.9,
 * 6.14; Gateway API digest 3.6, 5.4.
 */
const GUARDIAN = 'GLLLGU70A01H501K';
const citizen = (subject: string, role = 'ASS'): Requester => ({ channel: 'token', verified: true, viaIni: false, subject, role, purpose: 'PERSONAL', patient: subject });
const by = (subject: string, role = 'ASS'): RecordedBy => ({ subject, role, channel: 'citizen-portal' });
const jwtPayload = (token: string | undefined) => JSON.parse(Buffer.from(token?.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

describe('obscuring and un-obscuring on request', () => {
  let bed: ObscuringBed;
  let h: Harness;
  let ini: ObscuringBed['ini'];
  let deps: ChangeVisibilityDeps;
  const ask = (uniqueId: string, obscured: boolean, over: Partial<ChangeVisibilityRequest> = {}, d: ChangeVisibilityDeps = deps) =>
    changeVisibility({ uniqueId, obscured, requester: citizen(PATIENT), by: by(PATIENT), ...over }, newTraceContext(), d);
  const publish = (ext: string) => bed.publish(ext);
  const seenBy = (id: string) => bed.seenBy(id);
  const metadataCalls = (id: string) => bed.metadataCalls(id);

  before(async () => {
    bed = await startObscuringBed('obscure');
    ({ h, ini } = bed);
    deps = h.app.resources().visibility;
  });
  after(async () => bed?.stop());

  test('obscured: gone from a doctor\'s LeafClass and ObjectRef and from INI\'s query; the Gateway and INI got ACCESS UPDATE; a new version with P99; un-obscured: back', async () => {
    const id = await publish('OBS-1');
    const before = await h.app.resources().registry.getDocumentEntry({ uniqueId: parseUniqueId(id) });
    assert.deepEqual(await seenBy(id), SHOWN);

    const obscured = await ask(id, true);
    assert.equal(obscured.outcome, 'done', JSON.stringify(obscured));
    assert.deepEqual(await seenBy(id), HIDDEN);
    const [call] = metadataCalls(id);
    assert.match(call?.path ?? '', /\/metadata-iti-57$/);
    assert.deepEqual((JSON.parse(call?.json ?? '{}') as { attiCliniciRegoleAccesso?: string[] }).attiCliniciRegoleAccesso, ['P99']);
    const claims = jwtPayload(call?.headers['fse-jwt-signature']);
    assert.deepEqual([claims.purpose_of_use, claims.action_id, claims.subject_role, claims.sub, claims.person_id],
      ['ACCESS UPDATE', 'UPDATE', 'ASS', `${PATIENT}^^^&2.16.840.1.113883.2.9.4.3.2&ISO`, SAMPLE_PATIENT], 'region-signed, the citizen named');
    await h.simulator?.control.iniSettled();
    const update = ini.received.filter((r) => r.operation === 'iti57').at(-1);
    assert.deepEqual([update?.samlIssuer, update?.samlPurpose, update?.samlActionId, update?.status], ['120', 'ACCESS UPDATE', 'UPDATE', 'Success']);
    assert.deepEqual(ini.index.approvedOf(id)?.eventCodes.map((c) => c.code), ['P99']);
    const after = await h.app.resources().registry.getDocumentEntry({ uniqueId: parseUniqueId(id) });
    assert.deepEqual([after?.eventCodes.map((c) => c.code), after?.logicalId, after?.status], [['P99'], before?.logicalId, 'Approved']);
    assert.ok((after?.version ?? 0) > (before?.version ?? 0), `a new version (${before?.version} -> ${after?.version})`);

    assert.deepEqual(await ask(id, true), { outcome: 'unchanged', obscured: true });
    const shown = await ask(id, false);
    assert.equal(shown.outcome, 'done', JSON.stringify(shown));
    assert.deepEqual(await seenBy(id), SHOWN);
    assert.deepEqual((JSON.parse(metadataCalls(id).at(-1)?.json ?? '{}') as { attiCliniciRegoleAccesso?: string[] }).attiCliniciRegoleAccesso, ['P00']);
    await h.simulator?.control.iniSettled();
    assert.deepEqual(ini.index.approvedOf(id)?.eventCodes.map((c) => c.code), ['P00']);
    assert.deepEqual((await h.app.resources().registry.getDocumentEntry({ uniqueId: parseUniqueId(id) }))?.eventCodes.map((c) => c.code), ['P00']);
  });

  test('while the Gateway is slow the document is hidden already, asking again is the same request, and it stays hidden once confirmed', async () => {
    const id = await publish('OBS-SLOW');
    h.simulator?.control.setLatency(1_500);
    try {
      const quick = { ...deps, waitMs: 100 };
      const first = await ask(id, true, {}, quick);
      const again = await ask(id, true, {}, quick);
      assert.equal(first.outcome, 'pending', JSON.stringify(first));
      assert.deepEqual(again, first, 'the same request, the same operation');
      assert.deepEqual(await seenBy(id), HIDDEN, 'the stricter visibility, before the Gateway answered');
      const request = first.outcome === 'pending' ? first.requestId : '';
      await until(async () => ((await deps.access.visibility.get(request))?.state === 'confirmed' ? true : undefined), 'the Gateway\'s confirmation');
      assert.equal(metadataCalls(id).length, 1, 'one metadata update for both');
    } finally {
      h.simulator?.control.setLatency(0);
    }
    assert.deepEqual(await seenBy(id), HIDDEN);
    assert.equal(hasP99(await h.app.resources().registry.getDocumentEntry({ uniqueId: parseUniqueId(id) })), true);
  });

  test('an obscuring and its undoing while the Gateway is slow: sent in order, each version on the one before, visible at the end', async () => {
    const id = await publish('OBS-ORDER');
    const first = await h.app.resources().registry.getDocumentEntry({ uniqueId: parseUniqueId(id) });
    h.simulator?.control.setLatency(800);
    const requests: string[] = [];
    try {
      const quick = { ...deps, waitMs: 50 };
      for (const obscured of [true, false]) {
        const r = await ask(id, obscured, {}, quick);
        assert.equal(r.outcome, 'pending', JSON.stringify(r));
        if (r.outcome === 'pending') requests.push(r.requestId);
        assert.deepEqual(await seenBy(id), HIDDEN);
      }
      assert.notEqual(requests[0], requests[1]);
      for (const r of requests) await until(async () => ((await deps.access.visibility.get(r))?.state === 'confirmed' ? true : undefined), 'confirmed');
    } finally {
      h.simulator?.control.setLatency(0);
    }
    const codes = metadataCalls(id).map((c) => (JSON.parse(c.json ?? '{}') as { attiCliniciRegoleAccesso?: string[] }).attiCliniciRegoleAccesso);
    assert.deepEqual(codes, [['P99'], ['P00']], 'in the order asked');
    const last = await h.app.resources().registry.getDocumentEntry({ uniqueId: parseUniqueId(id) });
    assert.deepEqual([last?.version, last?.eventCodes.map((c) => c.code)], [(first?.version ?? 0) + 2, ['P00']]);
    assert.deepEqual(await seenBy(id), SHOWN);
  });

  test('while the Gateway is down an un-obscuring keeps the document hidden, although the registry indexed it locally; replayed, it comes back', async () => {
    const id = await publish('OBS-DOWN');
    assert.equal((await ask(id, true)).outcome, 'done');
    await h.simulator?.control.setOutage('reset');
    let requestId = '';
    try {
      const undo = await ask(id, false);
      assert.equal(undo.outcome, 'pending', JSON.stringify(undo));
      requestId = undo.outcome === 'pending' ? undo.requestId : '';
      const local = await h.app.resources().registry.getDocumentEntry({ uniqueId: parseUniqueId(id) });
      assert.equal(hasP99(local), false, 'indexed locally while the Gateway is down');
      assert.deepEqual(await seenBy(id), HIDDEN, 'but not in force until the Gateway confirms');
    } finally {
      await h.simulator?.control.setOutage(false);
    }
    await until(async () => ((await deps.access.visibility.get(requestId))?.state === 'confirmed' ? true : undefined), 'the replay confirmed', 30_000);
    assert.deepEqual(await seenBy(id), SHOWN);
  });

  test('refused by the Gateway: failed with its words, the obscuring stays in force locally; asking again is a new attempt', async () => {
    const id = await publish('OBS-REFUSED');
    h.simulator?.control.injectError({ operation: 'metadata', status: 400, body: { type: '/msg/validator', title: 'Errore di validazione', detail: 'simulated refusal' } });
    const refused = await ask(id, true);
    assert.equal(refused.outcome, 'failed', JSON.stringify(refused));
    assert.match(refused.outcome === 'failed' ? refused.reason : '', /GTW nazionale 400 \/msg\/validator: simulated refusal/);
    assert.equal(refused.outcome === 'failed' && refused.obscured, true);
    assert.deepEqual(await seenBy(id), HIDDEN, 'the citizen\'s obscuring, in force here');
    assert.equal(hasP99(await h.app.resources().registry.getDocumentEntry({ uniqueId: parseUniqueId(id) })), false, 'the registry follows the national record');
    const again = await ask(id, true);
    assert.equal(again.outcome, 'done', JSON.stringify(again));
    assert.notEqual(again.outcome === 'done' && again.requestId, refused.outcome === 'failed' && refused.requestId);
    assert.equal(hasP99(await h.app.resources().registry.getDocumentEntry({ uniqueId: parseUniqueId(id) })), true);
  });

  test('un-obscuring a document only obscured locally (its obscuring refused) has nothing to send', async () => {
    const id = await publish('OBS-LOCAL');
    h.simulator?.control.injectError({ operation: 'metadata', status: 400, body: { type: '/msg/validator', detail: 'simulated refusal' } });
    assert.equal((await ask(id, true)).outcome, 'failed');
    const calls = metadataCalls(id).length;
    const undone = await ask(id, false);
    assert.equal(undone.outcome, 'done', JSON.stringify(undone));
    assert.equal(metadataCalls(id).length, calls, 'no call to the Gateway');
    assert.deepEqual(await seenBy(id), SHOWN);
  });

  test('a document the national infrastructure does not know (registered here only) is obscured in the regional registry alone', async () => {
    const submission = ldoSubmission(`OBS-REGIONAL-${Date.now()}`);
    const [doc] = submission.documents;
    await h.app.resources().registry.registerSubmission({ ...submission, documents: [{ entry: { ...doc!.entry, hash: 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3', size: 4, repositoryUniqueId: REGION_REPOSITORY as RepositoryUniqueId } }] });
    const done = await ask(doc!.entry.uniqueId, true);
    assert.equal(done.outcome, 'done', JSON.stringify(done));
    assert.equal(hasP99(await h.app.resources().registry.getDocumentEntry({ uniqueId: doc!.entry.uniqueId })), true);
  });

  test('another patient gets not-found; a doctor who reads it may not change it; a guardian with a relation may; an operator (OGC) too', async () => {
    const id = await publish('OBS-WHO');
    assert.deepEqual(await ask(id, true, { requester: citizen('BNCLRA15A41H501P'), by: by('BNCLRA15A41H501P') }), { outcome: 'not-found' });
    assert.deepEqual(await ask('2.16.840.1.113883.2.9.2.120.4.4^NO-SUCH-DOC', true), { outcome: 'not-found' });
    assert.deepEqual(await ask('not a uniqueId', true), { outcome: 'not-found' });
    const doctor: Requester = { channel: 'saml', verified: true, viaIni: false, subject: personKey(COLLEAGUE), role: 'APR', purpose: 'TREATMENT', actionId: 'READ', patient: PATIENT, consentClaim: true };
    const refused = await ask(id, true, { requester: doctor, by: by(personKey(COLLEAGUE), 'APR') });
    assert.equal(refused.outcome, 'forbidden', JSON.stringify(refused));
    assert.deepEqual(await ask(id, true, { requester: citizen(GUARDIAN, 'TUT'), by: by(GUARDIAN, 'TUT') }), { outcome: 'not-found' }, 'no relation: not theirs to see');

    await createPgRelationStore(h.app.resources().db.pool).create({ kind: 'guardian', patient: PATIENT, agent: GUARDIAN, validFrom: new Date('2024-01-01'), recordedBy: by('PRTRRT70A01H501M', 'OGC') });
    const guarded = await ask(id, true, { requester: citizen(GUARDIAN, 'TUT'), by: by(GUARDIAN, 'TUT') });
    assert.equal(guarded.outcome, 'done', JSON.stringify(guarded));
    assert.equal(jwtPayload(metadataCalls(id).at(-1)?.headers['fse-jwt-signature']).subject_role, 'TUT');
    const operator: Requester = { channel: 'token', verified: true, viaIni: false, subject: 'PRTRRT70A01H501M', role: 'OGC', purpose: 'CONSENT' };
    const undone = await ask(id, false, { requester: operator, by: { subject: 'PRTRRT70A01H501M', role: 'OGC', channel: 'operator' } });
    assert.equal(undone.outcome, 'done', JSON.stringify(undone));
    assert.deepEqual(await seenBy(id), SHOWN);
  });
});

const hasP99 = (entry: { eventCodes: readonly { code: string }[] } | undefined) => entry?.eventCodes.some((c) => c.code === 'P99') ?? false;
