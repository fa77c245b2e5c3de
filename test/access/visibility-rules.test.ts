import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultAccessPolicy, loadAccessPolicy } from '../../src/access/access-policy.js';
import type { DocumentFacts } from '../../src/access/decide.js';
import { effectiveObscured } from '../../src/access/effective-obscuring.js';
import { mayChangeVisibility, type VisibilityChangeFacts } from '../../src/access/may-change-visibility.js';
import type { Requester } from '../../src/access/requester.js';
import type { Relation, VisibilityRequest } from '../../src/domain/citizen-rights.js';
import { withObscuring } from '../../src/metadata/visibility-update.js';
import { OPEN_ACCESS_POLICY } from '../support/bridge-harness.js';

/*
 * The rules of obscuring on request, as pure functions: who may change a document's obscuring (the patient, a
 * guardian with an active relation, an operator the policy names; nobody else), what the document counts as while
 * a request is pending, confirmed or refused, and the event codes of the new version. See: privacy digest 4, 5.
 */
const NOW = new Date('2026-12-04T12:00:00Z');
const policy = defaultAccessPolicy();
const PATIENT = 'RSSMRA80A01H501U';
const GUARDIAN = 'BNCMRA70A01H501Y';
const CX = (cf: string) => `${cf}^^^&2.16.840.1.113883.2.9.4.3.2&ISO`;
const citizen = (subject: string, role: string): Requester => ({ channel: 'token', verified: true, viaIni: false, subject, role, purpose: 'PERSONAL', patient: subject });
const lab = (eventCodes: string[] = [], confidentialityCodes = ['N']): DocumentFacts => ({ typeCode: '11502-2', eventCodes, confidentialityCodes, authors: [CX('VRDGPP70A01H501S')] });
const guardianship = (over: Partial<Relation> = {}): Relation => ({
  id: '00000000-0000-4000-8000-000000000011', kind: 'guardian', patient: PATIENT, agent: GUARDIAN, validFrom: new Date('2024-01-01'),
  recordedAt: new Date('2024-01-01'), recordedBy: { subject: 'OPRTRR70A01H501Z', role: 'OGC', channel: 'operator' }, ...over,
});
const facts = (over: Partial<VisibilityChangeFacts> = {}): VisibilityChangeFacts => ({ patient: PATIENT, relations: [], document: lab(), ...over });
const verdict = (r: Requester, f: VisibilityChangeFacts = facts()) => {
  const d = mayChangeVisibility(r, f, policy, NOW);
  return d.allowed ? d.capacity : d.hidden ? 'hidden' : 'refused';
};

test('the patient changes the obscuring of their own documents only, obscured ones included; a P98 document is not theirs to find', () => {
  assert.equal(verdict(citizen(PATIENT, 'ASS')), 'patient');
  assert.equal(verdict(citizen(PATIENT, 'ASS'), facts({ document: lab(['P99']) })), 'patient', 'to un-obscure it');
  assert.equal(verdict(citizen('BNCLRA15A41H501P', 'ASS')), 'refused', 'another patient');
  assert.equal(verdict(citizen(PATIENT, 'ASS'), facts({ document: lab(['P98']) })), 'hidden');
  assert.equal(verdict({ ...citizen(PATIENT, 'ASS'), verified: false }), 'refused', 'an unverified credential');
  assert.equal(verdict({ ...citizen(PATIENT, 'ASS'), subject: undefined }), 'refused');
});

test('a guardian needs an active guardian relation; a delegate, a parent and a doctor may not change the obscuring', () => {
  const guardian = citizen(GUARDIAN, 'TUT');
  assert.equal(verdict(guardian, facts({ relations: [guardianship()] })), 'guardian');
  assert.equal(verdict(guardian, facts({ relations: [guardianship()], document: lab(['P99']) })), 'guardian', 'P99 hides it from them, not from the change');
  assert.equal(verdict(guardian), 'refused', 'no relation');
  assert.equal(verdict(guardian, facts({ relations: [guardianship({ revokedAt: new Date('2026-01-01') })] })), 'refused');
  assert.equal(verdict(guardian, facts({ relations: [guardianship({ validTo: new Date('2025-01-01') })] })), 'refused', 'ended');
  assert.equal(verdict(guardian, facts({ relations: [guardianship({ kind: 'delegate' })] })), 'refused', 'a delegation is no guardianship');
  assert.equal(verdict(guardian, facts({ relations: [guardianship()], document: lab(['P97']) })), 'hidden', 'P97 is hidden from guardians');
  assert.equal(verdict(guardian, facts({ relations: [guardianship({ documentTypes: ['57833-6'] })] })), 'hidden', 'outside the relation\'s scope');
  for (const role of ['ING', 'GEN']) assert.equal(verdict(citizen(GUARDIAN, role), facts({ relations: [guardianship({ kind: role === 'ING' ? 'delegate' : 'parent' })] })), 'refused', role);
  assert.equal(verdict({ channel: 'saml', verified: true, viaIni: false, subject: 'VRDGPP70A01H501S', role: 'APR', purpose: 'TREATMENT', patient: PATIENT }), 'refused');
});

test('an operator role the policy names acts on the citizen\'s behalf on any document; the open test-bed policy names none', () => {
  const operator: Requester = { channel: 'token', verified: true, viaIni: false, subject: 'OPRTRR70A01H501Z', role: 'OGC', purpose: 'CONSENT' };
  assert.equal(verdict(operator), 'operator');
  assert.equal(verdict(operator, facts({ document: lab(['P98'], ['V']) })), 'operator');
  assert.equal(verdict({ ...operator, role: 'OAM' }), 'refused');
  assert.equal(mayChangeVisibility(operator, facts(), loadAccessPolicy(OPEN_ACCESS_POLICY), NOW).allowed, false);
});

test('effective obscuring: a request not confirmed is the stricter one, a confirmed one leaves the entry to decide', () => {
  const entry = (codes: string[]) => ({ uniqueId: 'DOC', eventCodes: codes.map((code) => ({ code })) });
  let seq = 0;
  const asked = (obscured: boolean, state: VisibilityRequest['state'], uniqueId = 'DOC'): VisibilityRequest => ({
    id: `r${seq}`, uniqueId, patient: PATIENT, obscured, requestedAt: new Date(NOW.getTime() + (seq += 1)), state,
    requestedBy: { subject: PATIENT, role: 'ASS', channel: 'citizen-portal' },
  });
  assert.equal(effectiveObscured(entry([]), []), false);
  assert.equal(effectiveObscured(entry(['p99']), []), true, 'matched case-insensitively');
  assert.equal(effectiveObscured(entry([]), [asked(true, 'pending')]), true, 'an obscuring takes effect at once');
  assert.equal(effectiveObscured(entry([]), [asked(true, 'refused')]), true, 'and stays in force when refused');
  assert.equal(effectiveObscured(entry(['P99']), [asked(false, 'pending')]), true, 'an un-obscuring waits for the confirmation');
  assert.equal(effectiveObscured(entry([]), [asked(false, 'pending')]), true, 'even when the entry was already changed locally');
  assert.equal(effectiveObscured(entry(['P99']), [asked(false, 'refused')]), true);
  assert.equal(effectiveObscured(entry([]), [asked(true, 'pending'), asked(false, 'confirmed')]), false, 'the latest request counts');
  assert.equal(effectiveObscured(entry([]), [asked(true, 'pending', 'OTHER')]), false, 'another document\'s request');
});

test('the new version\'s event codes: P99 added in the value set\'s scheme, P00 dropped with it; un-obscuring removes P99, stating P00 when nothing remains', () => {
  const scheme = '2.16.840.1.113883.2.9.3.3.6.1.3';
  const codes = (...c: string[]) => c.map((code) => ({ code, scheme }));
  assert.deepEqual(withObscuring(codes('J07BN', 'P00'), true), [...codes('J07BN'), { code: 'P99', scheme, display: 'Oscuramento del documento' }]);
  assert.deepEqual(withObscuring(codes('P97', 'p99'), true).map((c) => c.code), ['P97', 'P99'], 'one P99, in the value set\'s spelling');
  assert.deepEqual(withObscuring(codes('P99', 'P97', 'J07BN'), false), codes('P97', 'J07BN'));
  assert.deepEqual(withObscuring(codes('P99'), false), [{ code: 'P00', scheme, display: 'De-Oscuramento in alimentazione' }], 'an empty list would not reach INI');
});
