import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultAccessPolicy, loadAccessPolicy } from '../../src/access/access-policy.js';
import { ageAt, birthDateOf } from '../../src/access/birth-date.js';
import { decideDocument, decidePatient, type DocumentFacts, type PatientFacts } from '../../src/access/decide.js';
import { requesterOfCaller, type Requester } from '../../src/access/requester.js';
import type { Relation } from '../../src/domain/citizen-rights.js';
import { OPEN_ACCESS_POLICY } from '../support/bridge-harness.js';

const NOW = new Date('2026-12-04T12:00:00Z');
const policy = defaultAccessPolicy();
const ADULT = 'RSSMRA80A01H501U';
const MINOR = 'BNCLRA15A41H501P';
const DOCTOR = 'VRDGPP70A01H501S';
const CX = (cf: string) => `${cf}^^^&2.16.840.1.113883.2.9.4.3.2&ISO`;
const doctor: Requester = { channel: 'saml', verified: true, viaIni: false, subject: DOCTOR, role: 'APR', purpose: 'TREATMENT', actionId: 'READ', patient: ADULT, consentClaim: true };
const facts = (over: Partial<PatientFacts> = {}): PatientFacts => ({ patient: ADULT, consent: 'given', assisted: true, relations: [], ...over });
const lab: DocumentFacts = { typeCode: '11502-2', eventCodes: [], confidentialityCodes: ['N'], authors: [CX('PRVMDC80A01H501X')] };
const relation = (over: Partial<Relation>): Relation => ({
  id: '00000000-0000-4000-8000-000000000002', kind: 'delegate', patient: ADULT, agent: DOCTOR, validFrom: new Date('2024-01-01'),
  recordedAt: new Date('2024-01-01'), recordedBy: { subject: ADULT, role: 'ASS', channel: 'citizen-portal' }, ...over,
});
const read = (r: Requester, f: PatientFacts, d: DocumentFacts = lab) => {
  const p = decidePatient(r, f, policy, NOW);
  return p.allowed ? decideDocument(r, p, d, policy) : p;
};
const reason = (r: Requester, f: PatientFacts, d?: DocumentFacts) => {
  const outcome = read(r, f, d);
  return outcome.allowed ? 'allowed' : outcome.rule;
};

test('the assertion\'s patient binds the decision: an assertion for one patient reads nobody else', () => {
  assert.equal(reason(doctor, facts()), 'allowed');
  assert.equal(reason({ ...doctor, patient: MINOR }, facts()), 'patient-mismatch');
  assert.equal(reason({ ...doctor, patient: undefined }, facts()), 'patient-mismatch', 'a SAML professional must name the patient');
  const asPatient = requesterOfCaller({ source: 'saml', verified: true, subjectId: CX(ADULT), role: 'ASS', purposeOfUse: 'PERSONAL', resourceId: CX(ADULT) }, false);
  assert.equal(reason(asPatient, facts({ patient: MINOR })), 'patient-mismatch', 'ASS reads only their own record');
});

test('consent: the region\'s record wins over the assertion; without a record the RDA refuses, another region trusts the claim', () => {
  assert.equal(reason(doctor, facts({ consent: 'withdrawn' })), 'consent', 'a claim of consent does not override a withdrawal');
  assert.equal(reason({ ...doctor, consentClaim: false }, facts({ consent: 'given' })), 'allowed');
  assert.equal(reason(doctor, facts({ consent: 'unknown', assisted: true })), 'consent');
  assert.equal(reason(doctor, facts({ consent: 'unknown', assisted: false })), 'allowed');
  assert.equal(reason({ ...doctor, consentClaim: undefined }, facts({ consent: 'unknown', assisted: false })), 'consent');
  const emergency = decidePatient({ ...doctor, purpose: 'EMERGENCY' }, facts({ consent: 'withdrawn' }), policy, NOW);
  assert.deepEqual(emergency.allowed && emergency.emergency, true, 'an emergency access, marked as such');
});

test('a parent acts for a minor only; a guardian as long as the court said; a delegate within the types and dates given', () => {
  const parent: Requester = { ...doctor, role: 'GEN', purpose: 'PERSONAL', patient: MINOR };
  assert.equal(reason(parent, facts({ patient: MINOR, relations: [relation({ kind: 'parent', patient: MINOR })] })), 'allowed');
  assert.equal(reason({ ...parent, patient: ADULT }, facts({ relations: [relation({ kind: 'parent' })] })), 'majority');
  assert.equal(reason({ ...parent, role: 'TUT', patient: ADULT }, facts({ relations: [relation({ kind: 'guardian' })] })), 'allowed');
  assert.equal(reason({ ...parent, role: 'TUT', patient: ADULT }, facts({ relations: [relation({ kind: 'parent' })] })), 'relation', 'a parent relation is no guardianship');
  const delegate: Requester = { ...doctor, role: 'ING', purpose: 'PERSONAL' };
  const scoped = relation({ documentTypes: ['11502-2'] });
  assert.equal(reason(delegate, facts({ relations: [scoped] })), 'allowed');
  assert.equal(reason(delegate, facts({ relations: [scoped] }), { ...lab, typeCode: '34105-7' }), 'scope');
  assert.equal(reason(delegate, facts({ relations: [relation({ revokedAt: new Date('2026-01-01') })] })), 'relation');
  assert.equal(reason(delegate, facts({ relations: [relation({ validFrom: new Date('2027-01-01') })] })), 'relation');
  assert.equal(reason(delegate, facts({ relations: [relation({ kind: 'parent' })] })), 'relation', 'the role must match the relation');
});

test('the author sees an obscured document and a type outside the cone; UPDATE shows a producer only its own documents', () => {
  const author: Requester = { ...doctor, role: 'FAR', subject: 'PRVMDC80A01H501X' };
  assert.equal(reason(author, facts(), { ...lab, eventCodes: ['p99'] }), 'allowed');
  assert.equal(reason({ ...doctor, role: 'FAR' }, facts(), lab), 'cone');
  assert.equal(reason({ ...doctor, purpose: 'UPDATE' }, facts()), 'scope');
  assert.equal(reason({ ...author, purpose: 'UPDATE' }, facts()), 'allowed');
});

test('confidentiality V: the listed roles and the patient; not a nurse, not a delegate', () => {
  const restricted = { ...lab, confidentialityCodes: ['V'] };
  assert.equal(reason(doctor, facts(), restricted), 'allowed');
  assert.equal(reason({ ...doctor, role: 'INF' }, facts(), restricted), 'restricted');
  assert.equal(reason({ ...doctor, role: 'ASS', purpose: 'PERSONAL', subject: ADULT }, facts(), restricted), 'allowed');
  assert.equal(reason({ ...doctor, role: 'ING', purpose: 'PERSONAL' }, facts({ relations: [relation({})] }), restricted), 'restricted');
});

test('system roles need a verified assertion, INI\'s role needs INI\'s Issuer, and they read for maintenance only', () => {
  const gateway: Requester = { ...doctor, role: 'GTW', purpose: 'UPDATE' };
  assert.equal(reason(gateway, facts(), { ...lab, eventCodes: ['P99'] }), 'allowed', 'they maintain metadata, obscured ones too');
  assert.equal(reason({ ...gateway, verified: false }, facts()), 'role');
  assert.equal(reason({ ...gateway, purpose: 'TREATMENT' }, facts()), 'purpose');
  assert.equal(reason({ ...gateway, role: 'INI' }, facts()), 'role');
  assert.equal(reason({ ...gateway, role: 'INI', viaIni: true }, facts()), 'allowed');
});

test('nobody unidentified reads under the region\'s policy; a test bed\'s open policy lets everybody read', () => {
  const anonymous: Requester = { channel: 'anonymous', verified: false, viaIni: false };
  assert.equal(reason(anonymous, facts()), 'unidentified');
  assert.equal(reason({ channel: 'certificate', verified: false, viaIni: false, organizationId: '120' }, facts()), 'unidentified');
  assert.equal(reason({ channel: 'certificate', verified: false, viaIni: false, role: 'APR' }, facts()), 'purpose', 'a certificate states no purpose');
  const open = loadAccessPolicy(OPEN_ACCESS_POLICY);
  const p = decidePatient(anonymous, facts(), open, NOW);
  assert.equal(p.allowed && decideDocument(anonymous, p, { ...lab, eventCodes: ['P99'], confidentialityCodes: ['V'] }, open).allowed, true);
});

test('other roles and actions do not consult', () => {
  assert.equal(reason({ ...doctor, role: 'OAM' }, facts()), 'role');
  assert.equal(reason({ ...doctor, role: 'PSS' }, facts()), 'role');
  assert.equal(reason({ ...doctor, actionId: 'DELETE' }, facts()), 'action');
  assert.equal(reason({ ...doctor, purpose: 'SYSADMIN' }, facts()), 'purpose');
});

test('the birth date of a fiscal code: women\'s days, omocodia, the century that is not in the future', () => {
  assert.deepEqual(birthDateOf('BNCLRA15A41H501P', NOW), new Date(Date.UTC(2015, 0, 1)));
  assert.deepEqual(birthDateOf('RSSMRA80A01H501U', NOW), new Date(Date.UTC(1980, 0, 1)));
  assert.deepEqual(birthDateOf('RSSMRAULMLMH501U', NOW), new Date(Date.UTC(1980, 7, 1)), 'U=8, L=0, M (month) August, L=0, M=1');
  assert.equal(birthDateOf('RSSMRA80A32H501U', NOW), undefined);
  assert.equal(birthDateOf('not a code', NOW), undefined);
  assert.equal(ageAt(new Date(Date.UTC(2008, 11, 5)), NOW), 17);
  assert.equal(ageAt(new Date(Date.UTC(2008, 11, 4)), NOW), 18);
});
