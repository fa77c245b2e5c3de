import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import type { XmlElement } from 'libxml2-wasm';
import { buildSampleCda } from '../../src/dev/sample-cda.js';
import type { Submission } from '../../src/domain/xds.js';
import { encodeProvideAndRegister } from '../../src/ebxml/provide-and-register.js';
import { decodeRegistryResponse, type DecodedRegistryResponse } from '../../src/ebxml/registry-response.js';
import { SOAP_ACTION } from '../../src/metadata/vocabulary.js';
import { sha1Hex, sha256Hex } from '../../src/pdf/hashes.js';
import { NS } from '../../src/xml/xml-toolkit.js';
import { samplePdf, startBridge, type Harness } from '../support/bridge-harness.js';
import { mutateCda, removeAll } from '../support/cda-mutations.js';
import { cxfEnvelope, cxfMtom } from '../support/cxf-messages.js';
import { callSoap, postRaw, withBody, type SoapCallOptions } from '../support/soap-calls.js';
import { docUniqueId, ldoSubmission, REGION_REPOSITORY } from '../support/xds-submissions.js';

const pdfFor = (ext: string, cda = buildSampleCda({ docExtension: ext })) => samplePdf(cda);

async function provide(h: Harness, submission: Submission, options: SoapCallOptions & { mtom: boolean }): Promise<DecodedRegistryResponse> {
  const { xml, attachments } = encodeProvideAndRegister(submission, { mtom: options.mtom });
  const answer = await callSoap(h, 'repository', SOAP_ACTION.iti41, xml, { ...options, attachments });
  assert.equal(answer.status, 200, answer.raw.toString('utf8').slice(0, 2000));
  return withBody(answer, decodeRegistryResponse);
}

/** The last call the simulated Gateway received for an operation, with its requestBody and decoded signature claims. */
function lastGatewayCall(h: Harness, operation: string) {
  const received = h.simulator?.received.filter((r) => r.operation === operation) ?? [];
  const call = received[received.length - 1];
  assert.ok(call, `the Gateway received a ${operation}`);
  const body = JSON.parse(call.parts?.find((p) => p.name === 'requestBody')?.text ?? 'null') as Record<string, unknown>;
  return { call, body, claims: decodeJwt(call.headers['fse-jwt-signature'] ?? '') };
}

const gatewayCalls = (h: Harness) => h.simulator?.received.length ?? 0;

describe('ITI-41 Provide and Register through the pipeline', () => {
  let h: Harness;
  before(async () => {
    h = await startBridge();
  });
  after(async () => h.stop());

  test('MTOM: validated and published by the Gateway, stored with the repository digest, the producer\'s ids kept', async () => {
    const pdf = await pdfFor('SOAP-41-1');
    const submission = ldoSubmission('SOAP-41-1', { bytes: pdf });
    const { xml, attachments } = encodeProvideAndRegister(submission, { mtom: true });
    const answer = await callSoap(h, 'repository', SOAP_ACTION.iti41, xml, { mtom: true, attachments });
    assert.equal(answer.status, 200);
    assert.match(answer.contentType, /^multipart\/related/, 'an MTOM request gets an MTOM answer');
    assert.equal(answer.action, SOAP_ACTION.iti41Response);
    assert.equal(answer.relatesTo, answer.messageId);
    const response = withBody(answer, decodeRegistryResponse);
    assert.equal(response.status, 'Success', JSON.stringify(response.errors));
    assert.ok(response.slots.workflowInstanceId?.[0], 'the national workflowInstanceId is returned');
    const { registry } = h.app.resources();
    const entry = await registry.getDocumentEntry({ uniqueId: docUniqueId('SOAP-41-1') });
    assert.equal(entry?.status, 'Approved');
    assert.equal(entry?.size, pdf.length);
    assert.equal(entry?.hash, sha1Hex(pdf));
    assert.equal(entry?.repositoryUniqueId, REGION_REPOSITORY);
    assert.equal(entry?.entryUuid, submission.documents[0]?.entry.entryUuid, 'the producer\'s entryUUID is kept');
    assert.deepEqual(entry?.extraSlots['urn:ita:2022:administrativeRequest'], ['SSN^Regime SSN']);
    assert.equal(h.simulator?.documents.get(docUniqueId('SOAP-41-1'))?.publications, 1);
  });

  test('a CXF-shaped package (attachment before the root, unquoted start, percent-encoded cid, action in the Content-Type) maps to the Gateway call', async () => {
    const pdf = await pdfFor('SOAP-41-CXF');
    const { xml, uniqueId } = cxfEnvelope('SOAP-41-CXF');
    const pkg = cxfMtom(xml, pdf);
    const response = withBody(await postRaw(`${h.baseUrl}/xds/repository`, pkg.contentType, pkg.body), decodeRegistryResponse);
    assert.equal(response.status, 'Success', JSON.stringify(response.errors));
    const { body, claims } = lastGatewayCall(h, 'validate-and-create');
    assert.deepEqual(
      [body.identificativoDoc, body.identificativoRep, body.tipoDocumentoLivAlto, body.assettoOrganizzativo, body.tipologiaStruttura, body.tipoAttivitaClinica, body.mode],
      [uniqueId, REGION_REPOSITORY, 'LDO', 'AD_PSC026', 'Ospedale', 'DIS', 'ATTACHMENT']);
    assert.equal(body.dataInizioPrestazione, '20260109080000', 'DTM padded to 14 digits');
    assert.deepEqual(body.descriptions, ['019655^Bentelan^2.16.840.1.113883.2.9.6.1.5']);
    assert.deepEqual(body.administrativeRequest, ['SSN']);
    assert.equal(claims.sub, 'VRDGPP70A01H501S^^^&2.16.840.1.113883.2.9.4.3.2&ISO', 'operator from authorPerson (XCN -> CX)');
    assert.equal(claims.person_id, 'RSSMRA80A01H501U^^^&2.16.840.1.113883.2.9.4.3.2&ISO');
    assert.equal(claims.resource_hl7_type, "('34105-7^^2.16.840.1.113883.6.1')");
    assert.equal(claims.attachment_hash, sha256Hex(pdf));
    assert.deepEqual([claims.action_id, claims.purpose_of_use, claims.subject_organization_id, claims.subject_organization], ['CREATE', 'TREATMENT', '120', 'Regione Lazio']);
    assert.equal((await h.app.resources().registry.getDocumentEntry({ uniqueId: docUniqueId('SOAP-41-CXF') }))?.practiceSettingCode.code, 'AD_PSC026');
  });

  test('inline base64 (no MTOM) is accepted and answered as plain SOAP', async () => {
    const pdf = await pdfFor('SOAP-41-B64');
    const { xml } = encodeProvideAndRegister(ldoSubmission('SOAP-41-B64', { bytes: pdf }), { mtom: false });
    const answer = await callSoap(h, 'repository', SOAP_ACTION.iti41, xml);
    assert.match(answer.contentType, /^application\/soap\+xml/);
    assert.equal(withBody(answer, decodeRegistryResponse).status, 'Success');
    assert.equal((await h.app.resources().registry.getDocumentEntry({ uniqueId: docUniqueId('SOAP-41-B64') }))?.size, pdf.length);
  });

  test('an RPLC replaces through validate-and-replace: the old entry is Deprecated, the new Approved', async () => {
    const first = ldoSubmission('SOAP-41-R1', { bytes: await pdfFor('SOAP-41-R1') });
    assert.equal((await provide(h, first, { mtom: true })).status, 'Success');
    const oldUuid = first.documents[0]?.entry.entryUuid;
    assert.ok(oldUuid);
    const second = ldoSubmission('SOAP-41-R2', { bytes: await pdfFor('SOAP-41-R2'), replaces: oldUuid });
    const response = await provide(h, second, { mtom: true });
    assert.equal(response.status, 'Success', JSON.stringify(response.errors));
    const { call, claims } = lastGatewayCall(h, 'validate-and-replace');
    assert.match(call.path, /validate-and-replace\/2\.16\.840\.1\.113883\.2\.9\.2\.120\.4\.4%5ESOAP-41-R1$/);
    assert.equal(claims.action_id, 'UPDATE');
    const { registry } = h.app.resources();
    assert.equal((await registry.getDocumentEntry({ uniqueId: docUniqueId('SOAP-41-R1') }))?.status, 'Deprecated');
    assert.equal((await registry.getDocumentEntry({ uniqueId: docUniqueId('SOAP-41-R2') }))?.status, 'Approved');
    assert.equal(h.simulator?.documents.get(docUniqueId('SOAP-41-R1'))?.state, 'replaced');
  });

  test('hash or size that do not match the document: XDSRepositoryMetadataError, the Gateway is not called, nothing stored', async () => {
    const pdf = await pdfFor('SOAP-41-HASH');
    for (const [ext, override] of [['SOAP-41-HASH', { hash: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' }], ['SOAP-41-SIZE', { size: 17 }]] as const) {
      const submission = ldoSubmission(ext, { bytes: pdf });
      const [doc] = submission.documents;
      assert.ok(doc);
      const before = gatewayCalls(h);
      const response = await provide(h, { ...submission, documents: [{ entry: { ...doc.entry, ...override }, bytes: pdf }] }, { mtom: true });
      assert.equal(response.status, 'Failure');
      assert.deepEqual(response.errors.map((e) => e.code), ['XDSRepositoryMetadataError']);
      assert.match(response.errors[0]?.codeContext ?? '', /does not match the document/);
      assert.equal(gatewayCalls(h), before);
      assert.equal(await h.app.resources().registry.getDocumentEntry({ uniqueId: docUniqueId(ext) }), undefined);
    }
  });

  test('the same uniqueId with other bytes is XDSNonIdenticalHash; an identical resubmission gets the same answer, one publication', async () => {
    const pdf = await pdfFor('SOAP-41-DUP');
    const submission = ldoSubmission('SOAP-41-DUP', { bytes: pdf });
    assert.equal((await provide(h, submission, { mtom: true })).status, 'Success');
    const again = await provide(h, submission, { mtom: true });
    assert.equal(again.status, 'Success');
    assert.equal(h.simulator?.documents.get(docUniqueId('SOAP-41-DUP'))?.publications, 1);
    const other = ldoSubmission('SOAP-41-DUP', { bytes: await pdfFor('SOAP-41-DUP-OTHER') });
    const refused = await provide(h, other, { mtom: true });
    assert.deepEqual(refused.errors.map((e) => e.code), ['XDSNonIdenticalHash']);
  });

  test('metadata errors are all reported with IHE\'s codes: patient mismatch, value sets, typeCode/classCode coherence', async () => {
    const pdf = await pdfFor('SOAP-41-META');
    const submission = ldoSubmission('SOAP-41-META', { bytes: pdf });
    const [doc] = submission.documents;
    assert.ok(doc);
    const entry = {
      ...doc.entry, patientId: 'BNCLRA80A41H501D^^^&2.16.840.1.113883.2.9.4.3.2&ISO' as typeof doc.entry.patientId,
      classCode: { code: 'REF', scheme: '2.16.840.1.113883.2.9.3.3.6.1.5' },
      practiceSettingCode: { code: 'AD_PSC999999', scheme: '2.16.840.1.113883.2.9.3.3.6.1.2' },
    };
    const before = gatewayCalls(h);
    const response = await provide(h, { ...submission, documents: [{ entry, bytes: pdf }] }, { mtom: true });
    assert.equal(response.status, 'Failure');
    const codes = response.errors.map((e) => `${e.code}:${e.codeContext}`);
    assert.ok(codes.some((c) => c.startsWith('XDSPatientIdDoesNotMatch:')), codes.join('\n'));
    assert.ok(codes.some((c) => /^XDSRegistryMetadataError:practiceSettingCode AD_PSC999999/.test(c)), codes.join('\n'));
    assert.ok(codes.some((c) => /^XDSRegistryMetadataError:typeCode 34105-7 requires classCode LDO/.test(c)), codes.join('\n'));
    assert.equal(gatewayCalls(h), before);
  });

  test('a document without metadata, metadata without a document, two documents of one CDA: refused, nothing stored', async () => {
    const pdf = await pdfFor('SOAP-41-MISS');
    const removeDocument = cxfEnvelope('SOAP-41-MISS', (root) => { for (const n of root.find('//xds:Document', { xds: NS.xdsb })) n.remove(); });
    const renameDocument = cxfEnvelope('SOAP-41-ORPHAN', (root) => {
      const [el] = root.find('//xds:Document', { xds: NS.xdsb }) as XmlElement[];
      const id = el?.attr('id');
      if (id) id.value = 'Document99';
    });
    const answers = [];
    for (const { xml } of [removeDocument, renameDocument]) {
      const pkg = cxfMtom(xml, pdf);
      answers.push(withBody(await postRaw(`${h.baseUrl}/xds/repository`, pkg.contentType, pkg.body), decodeRegistryResponse));
    }
    assert.deepEqual(answers.map((a) => [a.status, a.errors[0]?.code]), [['Failure', 'XDSMissingDocument'], ['Failure', 'XDSMissingDocumentMetadata']]);
    const two = ldoSubmission('SOAP-41-TWO-A', { bytes: pdf });
    const extra = ldoSubmission('SOAP-41-TWO-B', { bytes: pdf });
    const both: Submission = { ...two, documents: [...two.documents, ...extra.documents], associations: [...two.associations, ...extra.associations.map((a) => ({ ...a, sourceUuid: two.submissionSet.entryUuid }))] };
    // Two documents are one all-or-nothing submission (see iti41-multi-document.test.ts): the same CDA twice is
    // published once by the Gateway and refused the second time (/msg/cda-match), so the first is withdrawn.
    const response = await provide(h, both, { mtom: true });
    assert.equal(response.status, 'Failure');
    assert.deepEqual(response.errors.map((e) => e.location).sort(), [docUniqueId('SOAP-41-TWO-A'), docUniqueId('SOAP-41-TWO-B')]);
    for (const ext of ['SOAP-41-MISS', 'SOAP-41-ORPHAN', 'SOAP-41-TWO-A', 'SOAP-41-TWO-B']) assert.equal(await h.app.resources().registry.getDocumentEntry({ uniqueId: docUniqueId(ext) }), undefined);
  });

  test('a CDA the Gateway finds invalid: Failure with InvalidDocumentContent carrying the Gateway\'s findings, nothing indexed', async () => {
    const cda = mutateCda(buildSampleCda({ docExtension: 'SOAP-41-BAD' }), (doc) => removeAll(doc, '/hl7:ClinicalDocument/hl7:realmCode'));
    const response = await provide(h, ldoSubmission('SOAP-41-BAD', { bytes: await samplePdf(cda) }), { mtom: true });
    assert.equal(response.status, 'Failure');
    assert.equal(response.errors[0]?.code, 'InvalidDocumentContent');
    assert.match(response.errors[0]?.codeContext ?? '', /\/msg\/semantic: .*HDR-001/);
    assert.equal(await h.app.resources().registry.getDocumentEntry({ uniqueId: docUniqueId('SOAP-41-BAD') }), undefined);
  });

  test('a SAML assertion names the operator and the application of the Gateway\'s tokens', async () => {
    const pdf = await pdfFor('SOAP-41-SAML');
    const attribute = (parent: Parameters<NonNullable<SoapCallOptions['header']>>[0], name: string, value: string) =>
      parent.ele(NS.saml2, 'saml2:Attribute', { Name: name }).ele(NS.saml2, 'saml2:AttributeValue').txt(value);
    const response = await provide(h, ldoSubmission('SOAP-41-SAML', { bytes: pdf }), {
      mtom: true,
      header: (header) => {
        const assertion = header.ele(NS.wsse, 'wsse:Security').ele(NS.saml2, 'saml2:Assertion', { ID: '_saml41', Version: '2.0' });
        assertion.ele(NS.saml2, 'saml2:Issuer').txt('120');
        const statement = assertion.ele(NS.saml2, 'saml2:AttributeStatement');
        attribute(statement, 'urn:oasis:names:tc:xacml:1.0:subject:subject-id', 'BNCMRA70A01H501Y^^^&2.16.840.1.113883.2.9.4.3.2&ISO');
        attribute(statement, 'urn:oasis:names:tc:xacml:2.0:subject:role', 'APR');
        attribute(statement, 'SubjectApplicationId', 'HISX');
        attribute(statement, 'SubjectApplicationVendor', 'HIS VENDOR');
        attribute(statement, 'SubjectApplicationVersion', '7.1');
      },
    });
    assert.equal(response.status, 'Success', JSON.stringify(response.errors));
    const { claims } = lastGatewayCall(h, 'validate-and-create');
    assert.deepEqual([claims.sub, claims.subject_role, claims.subject_application_id, claims.subject_application_vendor, claims.subject_application_version],
      ['BNCMRA70A01H501Y^^^&2.16.840.1.113883.2.9.4.3.2&ISO', 'APR', 'HISX', 'HIS VENDOR', '7.1']);
  });

  test('Gateway down: Success with a warning, indexed locally, then replayed once it is back', async () => {
    const sim = h.simulator;
    assert.ok(sim);
    const pdf = await pdfFor('SOAP-41-OUT');
    await sim.control.setOutage('refuse');
    let response: DecodedRegistryResponse;
    try {
      response = await provide(h, ldoSubmission('SOAP-41-OUT', { bytes: pdf }), { mtom: true });
    } finally {
      await sim.control.setOutage(false);
    }
    assert.equal(response.status, 'Success');
    assert.deepEqual(response.errors.map((e) => [e.code, e.severity]), [['XDSRegistryNotAvailable', 'Warning']]);
    assert.equal((await h.app.resources().registry.getDocumentEntry({ uniqueId: docUniqueId('SOAP-41-OUT') }))?.status, 'Approved');
    for (let i = 0; i < 400 && !sim.documents.get(docUniqueId('SOAP-41-OUT')); i += 1) await sleep(25);
    assert.equal(sim.documents.get(docUniqueId('SOAP-41-OUT'))?.publications, 1, 'replayed exactly once, region-signed afresh');
  });
});
