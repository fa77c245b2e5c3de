import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideRead, isVisible } from '../../src/access/read-policy.js';
import type { CallerIdentity } from '../../src/domain/caller.js';
import { aDocumentEntry, anAuthor, PATIENT } from '../support/xds-builders.js';

const doctor: CallerIdentity = { source: 'saml', verified: true, subjectId: 'VRDGPP70A01H501S^^^&2.16.840.1.113883.2.9.4.3.2&ISO', role: 'AAS', purposeOfUse: 'TREATMENT', actionId: 'READ', patientConsent: true };
const patientSelf: CallerIdentity = { source: 'saml', verified: true, subjectId: PATIENT, role: 'ASS', purposeOfUse: 'PERSONAL', actionId: 'READ' };
const code = (c: string) => ({ code: c, scheme: '2.16.840.1.113883.2.9.3.3.6.1.3' });

test('consultation needs a reading purpose, a reading role, READ, and consent for TREATMENT', () => {
  assert.deepEqual(decideRead(doctor, PATIENT), { allowed: true });
  assert.equal(decideRead({ ...doctor, patientConsent: false }, PATIENT).allowed, false);
  assert.equal(decideRead({ ...doctor, patientConsent: undefined }, PATIENT).allowed, false);
  assert.equal(decideRead({ ...doctor, purposeOfUse: 'EMERGENCY', patientConsent: undefined }, PATIENT).allowed, true, 'emergencies need no consent');
  assert.equal(decideRead({ ...doctor, purposeOfUse: 'HACKING' }, PATIENT).allowed, false);
  assert.equal(decideRead({ ...doctor, role: 'OAM' }, PATIENT).allowed, false, 'administrative operators do not consult');
  assert.equal(decideRead({ ...doctor, actionId: 'DELETE' }, PATIENT).allowed, false);
  assert.equal(decideRead({ ...doctor, purposeOfUse: 'PERSONAL' }, PATIENT).allowed, false, 'PERSONAL is for the patient only');
  assert.equal(decideRead(patientSelf, PATIENT).allowed, true);
  assert.equal(decideRead({ source: 'anonymous' }, PATIENT).allowed, true, 'a region without caller identity lets queries through');
});

test('P99 hides a document from everybody but the patient and its author, anonymous callers included', () => {
  const obscured = aDocumentEntry({ eventCodes: [code('P99')], authors: [anAuthor({ person: 'MDCFRN70A01H501Z^^^^^^^^&2.16.840.1.113883.2.9.4.3.2&ISO' })] });
  assert.equal(isVisible(obscured, doctor), false);
  assert.equal(isVisible(obscured, { source: 'anonymous' }), false);
  assert.equal(isVisible(obscured, patientSelf), true);
  assert.equal(isVisible(obscured, { ...doctor, subjectId: 'MDCFRN70A01H501Z^^^&2.16.840.1.113883.2.9.4.3.2&ISO' }), true, 'the author sees it');
  assert.equal(isVisible(aDocumentEntry({ eventCodes: [code('P00')] }), doctor), true);
});

test('P97 hides from parents and guardians, P98 from the patient, V from roles outside the list', () => {
  assert.equal(isVisible(aDocumentEntry({ eventCodes: [code('p97')] }), { ...doctor, role: 'GEN' }), false, 'codes compare case-insensitively');
  assert.equal(isVisible(aDocumentEntry({ eventCodes: [code('P97')] }), doctor), true);
  assert.equal(isVisible(aDocumentEntry({ eventCodes: [code('P98')] }), patientSelf), false);
  assert.equal(isVisible(aDocumentEntry({ eventCodes: [code('P98')] }), doctor), true);
  const restricted = aDocumentEntry({ eventCodes: [], confidentialityCodes: [{ code: 'V', scheme: '2.16.840.1.113883.5.25' }] });
  assert.equal(isVisible(restricted, doctor), true);
  assert.equal(isVisible(restricted, { ...doctor, role: 'FAR' }), false);
  assert.equal(isVisible(restricted, patientSelf), true);
});
