import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { PatientId, RepositoryUniqueId } from '../../src/domain/ids.js';
import type { DocumentEntry, Submission } from '../../src/domain/xds.js';
import { decodeRegistryResponse } from '../../src/ebxml/registry-response.js';
import { EBXML_NS } from '../../src/ebxml/rim-read.js';
import { encodeRegistryObjectList } from '../../src/ebxml/submit-objects-request.js';
import { SOAP_ACTION } from '../../src/metadata/vocabulary.js';
import type { XmlBuilder } from '../../src/xml/xml-writer.js';
import { startBridge, type Harness } from '../support/bridge-harness.js';
import { callSoap, faultOf, storedQuery, withBody, type SoapCallOptions } from '../support/soap-calls.js';
import { doctorAttributes, samlParty, securityHeader, signedAssertion, trustFile } from '../support/saml-identities.js';
import { docUniqueId, ldoSubmission, SAMPLE_PATIENT } from '../support/xds-submissions.js';

/*
 * SAML at the front door with a trust store: verified identities query, hostile assertions are refused with
 * WS-Security faults and recorded, consultation is checked (consent, obscuring), and INI's metadata messages
 * (Issuer 000) overwrite the regional entries. See: xds-ini digest 4.8, 7.6, pitfall 21.
 */
const hospital = samlParty('hospital');
const ini = samlParty('ini');
const attacker = samlParty('attacker');
const OTHER_REPOSITORY = '2.16.840.1.113883.2.9.2.120.4.5.7' as RepositoryUniqueId;

function registered(ext: string, overrides: Partial<DocumentEntry> = {}): Submission {
  const s = ldoSubmission(ext);
  const [doc] = s.documents;
  if (!doc) throw new Error('no document');
  return { ...s, documents: [{ entry: { ...doc.entry, hash: 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3', size: 1234, repositoryUniqueId: OTHER_REPOSITORY, ...overrides } }] };
}

const sor = (submission: Submission) => (parent: XmlBuilder) => { encodeRegistryObjectList(submission, parent.ele(EBXML_NS.lcm, 'lcm:SubmitObjectsRequest')); };
const findDocuments = { returnType: 'LeafClass' as const, query: { type: 'FindDocuments' as const, patientId: SAMPLE_PATIENT, statuses: ['Approved' as const] } };

describe('SAML at the front door, with a trust store', () => {
  let h: Harness;
  before(async () => {
    h = await startBridge({ FSE_SAML_TRUST: trustFile([{ party: hospital, issuers: ['120'] }, { party: ini, issuers: ['000'] }]) });
  });
  after(async () => h.stop());

  const as = (assertion: string): SoapCallOptions => ({ header: securityHeader(assertion) });
  const register = async (submission: Submission, assertion: string) =>
    withBody(await callSoap(h, 'registry', SOAP_ACTION.iti42, sor(submission), as(assertion)), decodeRegistryResponse);

  test('a verified doctor queries; the access is in the log with who, why and which documents', async () => {
    const created = await register(registered('SAML-1'), signedAssertion(hospital, doctorAttributes({ actionId: 'CREATE' })));
    assert.equal(created.status, 'Success', JSON.stringify(created.errors));
    const answer = await storedQuery(h, findDocuments, as(signedAssertion(hospital, doctorAttributes())));
    assert.equal(answer.status, 'Success', JSON.stringify(answer.errors));
    assert.deepEqual(answer.result.kind === 'LeafClass' ? answer.result.documentEntries.map((e) => e.uniqueId) : [], [docUniqueId('SAML-1')]);
    const [last] = await h.app.resources().federation.audit.listByPatient(SAMPLE_PATIENT, { limit: 1 });
    assert.deepEqual([last?.transaction, last?.direction, last?.subjectId, last?.subjectRole, last?.purposeOfUse, last?.documentIds, last?.outcome],
      ['ITI-18', 'inbound', 'VRDGPP70A01H501S^^^&2.16.840.1.113883.2.9.4.3.2&ISO', 'AAS', 'TREATMENT', [docUniqueId('SAML-1')], 'Success']);
  });

  test('hostile assertions are WS-Security faults, recorded: unsigned, untrusted signer, tampered, expired, wrong action, wrong issuer', async () => {
    const good = signedAssertion(hospital, doctorAttributes());
    const cases: [string, string][] = [
      [good.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, ''), 'wsse:InvalidSecurityToken'],
      [signedAssertion(attacker, doctorAttributes()), 'wsse:FailedAuthentication'],
      [good.replace('>TREATMENT<', '>EMERGENCY<'), 'wsse:FailedAuthentication'],
      [signedAssertion(hospital, doctorAttributes(), { notBefore: new Date(Date.now() - 7_200_000), notOnOrAfter: new Date(Date.now() - 3_600_000) }), 'wsse:InvalidSecurityToken'],
      [signedAssertion(hospital, doctorAttributes({ actionId: 'DELETE' })), 'wsse:FailedAuthentication'],
      [signedAssertion(hospital, doctorAttributes(), { issuer: '999999' }), 'wsse:FailedAuthentication'],
    ];
    const before = (await h.app.resources().db.pool.query("SELECT count(*)::int AS n FROM audit_record WHERE transaction = 'WS-Security'")).rows[0] as { n: number };
    for (const [assertion, subcode] of cases) {
      const answer = await callSoap(h, 'registry', SOAP_ACTION.iti18, (p) => { p.ele('urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0', 'query:AdhocQueryRequest'); }, as(assertion));
      assert.equal(answer.status, 400);
      assert.equal(faultOf(answer)?.subcode, subcode, answer.raw.toString('utf8').slice(0, 800));
    }
    const after = (await h.app.resources().db.pool.query("SELECT count(*)::int AS n FROM audit_record WHERE transaction = 'WS-Security'")).rows[0] as { n: number };
    assert.equal(after.n - before.n, cases.length, 'every refusal is in the access log');
  });

  test('consultation without the patient\'s consent is refused; an obscured document is shown to the patient only', async () => {
    const refused = await storedQuery(h, findDocuments, as(signedAssertion(hospital, doctorAttributes({ patientConsent: false }))));
    assert.equal(refused.status, 'Failure');
    assert.match(refused.errors[0]?.codeContext ?? '', /consent/);
    const obscured = registered('SAML-P99', { eventCodes: [{ code: 'P99', scheme: '2.16.840.1.113883.2.9.3.3.6.1.3' }] });
    const stored = await register(obscured, signedAssertion(hospital, doctorAttributes({ actionId: 'CREATE' })));
    assert.equal(stored.status, 'Success', JSON.stringify(stored.errors));
    const ids = (r: Awaited<ReturnType<typeof storedQuery>>): string[] =>
      r.result.kind === 'LeafClass' ? r.result.documentEntries.map((e) => String(e.uniqueId)) : r.result.refs.map(String);
    // Another doctor than the document's author (VRDGPP70A01H501S, who may see it).
    const colleague = doctorAttributes({ subjectId: 'BNCMRA70A01H501Y^^^&2.16.840.1.113883.2.9.4.3.2&ISO' });
    const colleagueView = await storedQuery(h, findDocuments, as(signedAssertion(hospital, colleague)));
    assert.ok(!ids(colleagueView).includes(docUniqueId('SAML-P99')), `a colleague sees ${JSON.stringify(ids(colleagueView))}`);
    assert.ok(ids(await storedQuery(h, findDocuments, as(signedAssertion(hospital, doctorAttributes())))).includes(docUniqueId('SAML-P99')), 'the author sees it');
    const asObjectRef = await storedQuery(h, { ...findDocuments, returnType: 'ObjectRef' }, as(signedAssertion(hospital, colleague)));
    assert.ok(!ids(asObjectRef).includes(obscured.documents[0]?.entry.entryUuid ?? ''), 'not leaked through ObjectRef either');
    const patient = doctorAttributes({ role: 'ASS', purposeOfUse: 'PERSONAL', subjectId: SAMPLE_PATIENT });
    const own = await storedQuery(h, findDocuments, as(signedAssertion(hospital, patient)));
    assert.ok(ids(own).includes(docUniqueId('SAML-P99')), JSON.stringify([own.status, own.errors, ids(own)]));
  });

  test('INI\'s metadata message (Issuer 000) overwrites the regional entry and makes the patient one the region assists', async () => {
    const local = registered('SAML-INI', { title: 'Indicizzato localmente' });
    assert.equal((await register(local, signedAssertion(hospital, doctorAttributes({ actionId: 'CREATE' })))).status, 'Success');
    const fromIni = registered('SAML-INI', { title: 'Metadati INI' });
    const iniAssertion = signedAssertion(ini, doctorAttributes({ actionId: 'CREATE', role: 'INI', organizationId: '000', organization: 'INI' }), { issuer: '000' });
    const answer = await register(fromIni, iniAssertion);
    assert.equal(answer.status, 'Success', JSON.stringify(answer.errors));
    const entry = await h.app.resources().registry.getDocumentEntry({ uniqueId: docUniqueId('SAML-INI') });
    assert.deepEqual([entry?.title, entry?.entryUuid], ['Metadati INI', fromIni.documents[0]?.entry.entryUuid]);
    assert.equal(await h.app.resources().federation.patients.isAssisted(SAMPLE_PATIENT as PatientId), true);
    assert.equal((await register(fromIni, iniAssertion)).status, 'Success', 'INI retries are idempotent');
  });
});
