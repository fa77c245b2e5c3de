import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parsePatientId, personKey, type RepositoryUniqueId } from '../../src/domain/ids.js';
import type { Submission } from '../../src/domain/xds.js';
import { createPgConsentStore } from '../../src/stores/pg-consent-store.js';
import { startBridge, type Harness } from '../support/bridge-harness.js';
import { doctorAttributes, samlParty, securityHeader, signedAssertion, trustFile } from '../support/saml-identities.js';
import { retrieve, storedQuery, type SoapCallOptions } from '../support/soap-calls.js';
import { docUniqueId, ldoSubmission, SAMPLE_PATIENT } from '../support/xds-submissions.js';

/*
 * The access decision at the SOAP front door, over real HTTP with signed assertions: an assertion's own patient binds
 * what it reads, nobody unidentified reads, INI's relays of another region's doctor get the same decision as a local
 * doctor, and every refusal and emergency is in the access log. See: privacy digest 3-5; xds-ini digest 4.8, 7.6.
 */
const hospital = samlParty('hospital-access');
const ini = samlParty('ini-access');
const OTHER_PATIENT = 'BNCLRA15A41H501P^^^&2.16.840.1.113883.2.9.4.3.2&ISO';
const REPOSITORY = '2.16.840.1.113883.2.9.2.120.4.5.1' as RepositoryUniqueId;
/** A doctor who is not the author of the test documents (VRDGPP70A01H501S, who sees what they wrote). */
const COLLEAGUE = 'BNCMRA70A01H501Y^^^&2.16.840.1.113883.2.9.4.3.2&ISO';
const findDocuments = { returnType: 'LeafClass' as const, query: { type: 'FindDocuments' as const, patientId: SAMPLE_PATIENT, statuses: ['Approved' as const] } };

describe('the access decision at the SOAP front door', () => {
  let h: Harness;
  const as = (assertion: string): SoapCallOptions => ({ header: securityHeader(assertion) });
  const ids = (r: Awaited<ReturnType<typeof storedQuery>>) => (r.result.kind === 'LeafClass' ? r.result.documentEntries.map((e) => String(e.uniqueId)) : []);
  const lastRecord = async () => (await h.app.resources().federation.audit.listByPatient(parsePatientId(SAMPLE_PATIENT), { limit: 1 }))[0];

  before(async () => {
    h = await startBridge({ FSE_SAML_TRUST: trustFile([{ party: hospital, issuers: ['120'] }, { party: ini, issuers: ['000'] }]) });
    const registry = h.app.resources().registry;
    const add = async (ext: string, eventCodes: string[]) => {
      const s: Submission = ldoSubmission(ext, { eventCodes });
      const doc = s.documents[0]!;
      await registry.registerSubmission({ ...s, documents: [{ entry: { ...doc.entry, hash: 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3', size: 4, repositoryUniqueId: REPOSITORY } }] });
      await h.app.resources().db.pool.query(
        'INSERT INTO repository_document (repository_unique_id, unique_id, mime_type, size, hash, content) VALUES ($1, $2, $3, 4, $4, $5)',
        [REPOSITORY, doc.entry.uniqueId, doc.entry.mimeType, 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3', Buffer.from('test')]);
    };
    await add('ACCESS-OPEN', []);
    await add('ACCESS-P99', ['P99']);
  });
  after(async () => h.stop());

  test('an assertion for another patient reads nothing of this one, by query or by retrieve', async () => {
    const forOther = signedAssertion(hospital, doctorAttributes({ resourceId: OTHER_PATIENT }));
    const query = await storedQuery(h, findDocuments, as(forOther));
    assert.equal(query.status, 'Failure');
    assert.match(query.errors[0]?.codeContext ?? '', /access denied: the assertion is for another patient/);
    const fetched = await retrieve(h, [{ repositoryUniqueId: REPOSITORY, documentUniqueId: docUniqueId('ACCESS-OPEN') }], as(forOther));
    assert.equal(fetched.documents.length, 0);
    assert.equal(fetched.errors[0]?.code, 'XDSDocumentUniqueIdError');
    const own = await retrieve(h, [{ repositoryUniqueId: REPOSITORY, documentUniqueId: docUniqueId('ACCESS-OPEN') }], as(signedAssertion(hospital, doctorAttributes())));
    assert.equal(own.documents.length, 1, 'the same retrieve with the right patient');
  });

  test('nobody unidentified reads: a query without an assertion is refused, and the log says why', async () => {
    const answer = await storedQuery(h, findDocuments);
    assert.equal(answer.status, 'Failure');
    assert.match(answer.errors[0]?.codeContext ?? '', /not identified/);
    const record = await lastRecord();
    assert.deepEqual(record?.errorCodes, ['XDSRegistryError', 'access:unidentified: the caller is not identified']);
  });

  test('INI relaying another region\'s doctor: the same cone, consent and obscuring as a local doctor', async () => {
    const relay = (over = {}) => signedAssertion(ini, doctorAttributes({ subjectId: COLLEAGUE, organizationId: '000', organization: 'INI', ...over }), { issuer: '000' });
    const found = await storedQuery(h, findDocuments, as(relay()));
    assert.deepEqual(ids(found), [docUniqueId('ACCESS-OPEN')], 'P99 stays hidden from a doctor of another region');
    const pharmacist = await storedQuery(h, findDocuments, as(relay({ role: 'FAR' })));
    assert.deepEqual(ids(pharmacist), [], 'a discharge letter is outside a pharmacist\'s cone');
    const asIni = await storedQuery(h, findDocuments, as(relay({ role: 'INI', purposeOfUse: 'UPDATE' })));
    assert.deepEqual(ids(asIni).sort(), [docUniqueId('ACCESS-OPEN'), docUniqueId('ACCESS-P99')].sort(), 'INI itself maintains metadata, obscured ones too');
    const hospitalAsIni = await storedQuery(h, findDocuments, as(signedAssertion(hospital, doctorAttributes({ role: 'INI', purposeOfUse: 'UPDATE' }))));
    assert.equal(hospitalAsIni.status, 'Failure', 'role INI under a hospital\'s Issuer is no INI');
  });

  test('a consent the region recorded beats the assertion; an emergency passes and is logged as one', async () => {
    const consents = createPgConsentStore(h.app.resources().db.pool);
    await consents.record(personKey(SAMPLE_PATIENT), false, { subject: personKey(SAMPLE_PATIENT), role: 'ASS', channel: 'citizen-portal' });
    const refused = await storedQuery(h, findDocuments, as(signedAssertion(hospital, doctorAttributes({ patientConsent: true }))));
    assert.equal(refused.status, 'Failure');
    assert.deepEqual((await lastRecord())?.errorCodes, ['XDSRegistryError', 'access:consent: the patient withdrew the consultation consent']);
    const emergency = await storedQuery(h, findDocuments, as(signedAssertion(hospital, doctorAttributes({ subjectId: COLLEAGUE, purposeOfUse: 'EMERGENCY' }))));
    assert.deepEqual(ids(emergency), [docUniqueId('ACCESS-OPEN')]);
    const record = await lastRecord();
    assert.equal(record?.purposeOfUse, 'EMERGENCY');
    assert.deepEqual(record?.documentIds, [docUniqueId('ACCESS-OPEN')]);
    assert.ok(record?.errorCodes.includes('access:obscured: P99 obscures the document'), JSON.stringify(record?.errorCodes));
    await consents.record(personKey(SAMPLE_PATIENT), true, { subject: personKey(SAMPLE_PATIENT), role: 'ASS', channel: 'citizen-portal' });
  });
});
