import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Submission } from '../../src/domain/xds.js';
import { XdsError } from '../../src/errors/xds-codes.js';
import { checkSubmission } from '../../src/metadata/submission-checks.js';
import { claimsOf, gatewayRequestOf, xcnToCx, type RegionIdentity } from '../../src/metadata/submission-to-gateway.js';
import { ldoSubmission } from '../support/xds-submissions.js';

const REGION: RegionIdentity = { code: '120', name: 'Regione Lazio', repositoryUniqueId: '2.16.840.1.113883.2.9.2.120.4.5.1', defaultApplication: 'APP^VENDOR^1.0' };

function withEntry(submission: Submission, changes: Record<string, unknown>): Submission {
  const [doc] = submission.documents;
  if (!doc) throw new Error('no document');
  return { ...submission, documents: [{ ...doc, entry: { ...doc.entry, ...changes } }] };
}

const contexts = (submission: Submission, profile: 'italian' | 'ihe' = 'italian', transaction: 'iti41' | 'iti42' = 'iti41') =>
  checkSubmission(submission, { transaction, profile }).map((e) => `${e.code}: ${e.codeContext}`);

test('a coherent LDO submission passes both profiles', () => {
  assert.deepEqual(contexts(ldoSubmission('CHK-1')), []);
  assert.deepEqual(contexts(ldoSubmission('CHK-1'), 'ihe'), []);
});

test('the italian profile refuses codes outside the Affinity Domain value sets; the ihe profile accepts them', () => {
  const connectathon = withEntry(ldoSubmission('CHK-2'), {
    classCode: { code: 'History and Physical', scheme: 'Connect-a-thon classCodes' },
    healthcareFacilityTypeCode: { code: 'Emergency Department', scheme: 'Connect-a-thon healthcareFacilityTypeCodes' },
  });
  const italian = contexts(connectathon);
  assert.ok(italian.some((c) => /^XDSRegistryMetadataError: classCode History and Physical: codingScheme/.test(c)), italian.join('\n'));
  assert.ok(italian.some((c) => /healthcareFacilityTypeCode Emergency Department/.test(c)), italian.join('\n'));
  assert.deepEqual(contexts(connectathon, 'ihe'), []);
});

test('IHE rules: creationTime required and a DTM, hash/size/repository required in ITI-42, membership, one patient', () => {
  const broken = withEntry(ldoSubmission('CHK-3'), { creationTime: undefined, serviceStartTime: '2026-01-09', hash: 'xyz' });
  const errors = contexts(broken, 'ihe', 'iti42');
  for (const expected of [/creationTime is required/, /serviceStartTime '2026-01-09' is not a DTM/, /size is required/, /repositoryUniqueId is required/, /hash 'xyz' is not a SHA-1/]) {
    assert.ok(errors.some((e) => expected.test(e)), `${String(expected)} in\n${errors.join('\n')}`);
  }
  const orphan = { ...ldoSubmission('CHK-4'), associations: [] };
  assert.deepEqual(contexts(orphan, 'ihe'), [`XDSRegistryMetadataError: DocumentEntry ${orphan.documents[0]?.entry.uniqueId ?? ''} is not a member (HasMember) of the SubmissionSet`]);
});

test('sourceId: the ihe profile takes OIDs as IHE registries do (NIST 129.6.58.92.1.1), the italian one ISO OIDs only', () => {
  const withSource = (sourceId: string) => {
    const s = ldoSubmission('CHK-OID');
    return { ...s, submissionSet: { ...s.submissionSet, sourceId } };
  };
  const refused = (sourceId: string, profile: 'italian' | 'ihe') => contexts(withSource(sourceId), profile).some((c) => /sourceId .* is not an OID/.test(c));
  assert.equal(refused('129.6.58.92.1.1', 'ihe'), false);
  assert.equal(refused('129.6.58.92.1.1', 'italian'), true);
  for (const bad of ['1.02.3', '1..2', 'abc', '1', `1.${'2'.repeat(63)}`]) assert.equal(refused(bad, 'ihe'), true, bad);
  assert.equal(refused('2.16.840.1.113883.2.9.4.3.2', 'italian'), false);
});

test('patient identity domains: with FSE_XDS_PATIENT_DOMAINS a patient of another domain is XDSUnknownPatientId; unset, any', () => {
  const s = ldoSubmission('CHK-DOM');
  const authority = s.submissionSet.patientId.split('&')[1] ?? '';
  const check = (patientDomains?: readonly string[]) =>
    checkSubmission(s, { transaction: 'iti42', profile: 'ihe', patientDomains }).filter((e) => e.code === 'XDSUnknownPatientId');
  assert.deepEqual(check(), []);
  assert.deepEqual(check([authority, '1.3.6.1.4.1.21367.13.20.1000']), []);
  const [refused] = check(['1.3.6.1.4.1.21367.13.20.1000']);
  assert.match(refused?.codeContext ?? '', /not of the affinity domain's patient identity domains \(1\.3\.6\.1\.4\.1\.21367\.13\.20\.1000\)/);
});

test('an invalid codice fiscale of the MEF is XDSUnknownPatientId under the italian profile', () => {
  const submission = ldoSubmission('CHK-5');
  const patientId = 'RSSMRA80A01H501X^^^&2.16.840.1.113883.2.9.4.3.2&ISO';
  const bad = withEntry({ ...submission, submissionSet: { ...submission.submissionSet, patientId: patientId as Submission['submissionSet']['patientId'] } }, { patientId, sourcePatientId: patientId });
  assert.ok(contexts(bad).some((c) => c.startsWith('XDSUnknownPatientId:')));
});

test('SOAP to REST: enum spellings, padded dates, XCN to CX, per-operation action and purpose', () => {
  const submission = withEntry(ldoSubmission('MAP-1'), { healthcareFacilityTypeCode: { code: 'MdsPN-DGC', scheme: '2.16.840.1.113883.2.9.3.3.6.1.1' }, serviceStartTime: '2026' });
  const withTs = { ...submission, submissionSet: { ...submission.submissionSet, contentTypeCode: { code: 'Sistema TS', scheme: '2.16.840.1.113883.2.9.3.3.6.1.4' } } };
  const entry = withTs.documents[0]?.entry;
  assert.ok(entry);
  const { body, claims } = gatewayRequestOf(withTs, entry, { source: 'anonymous' }, REGION, 'create');
  assert.deepEqual([body.tipologiaStruttura, body.tipoAttivitaClinica, body.dataInizioPrestazione], ['MdsPN_DGC', 'Sistema_TS', '20260000000000']);
  assert.deepEqual([claims.subject_application_id, claims.subject_application_vendor, claims.subject_application_version], ['APP', 'VENDOR', '1.0']);
  assert.equal(xcnToCx('VRDGPP70A01H501S^Verdi^Giuseppe^^^^^^&2.16.840.1.113883.2.9.4.3.2&ISO'), 'VRDGPP70A01H501S^^^&2.16.840.1.113883.2.9.4.3.2&ISO');
  const deletion = claimsOf(entry, { source: 'anonymous' }, REGION, 'delete');
  assert.deepEqual([deletion.action_id, deletion.purpose_of_use, deletion.resource_hl7_type], ['DELETE', 'UPDATE', undefined]);
  const anonymous = { ...entry, authors: [] };
  assert.throws(() => claimsOf(anonymous, { source: 'anonymous' }, REGION, 'create'), (e: unknown) => e instanceof XdsError && e.code === 'XDSRepositoryMetadataError');
});
