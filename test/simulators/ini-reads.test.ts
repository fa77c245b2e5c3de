import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { EntryUuid, RepositoryUniqueId, UniqueId } from '../../src/domain/ids.js';
import type { DocumentRequest } from '../../src/domain/retrieve.js';
import type { StoredQueryRequest } from '../../src/domain/stored-query.js';
import type { DocumentEntry, Submission } from '../../src/domain/xds.js';
import { encodeAdhocQueryRequest } from '../../src/ebxml/adhoc-query-request.js';
import { decodeAdhocQueryResponse } from '../../src/ebxml/adhoc-query-response.js';
import { decodeRegistryResponse } from '../../src/ebxml/registry-response.js';
import { decodeRetrieveResponse, encodeRetrieveRequest } from '../../src/ebxml/retrieve-document-set.js';
import { EBXML_NS } from '../../src/ebxml/rim-read.js';
import { encodeRegistryObjectList } from '../../src/ebxml/submit-objects-request.js';
import type { SoapCaller } from '../../src/soap-wire/soap-client.js';
import { SOAP_ACTION } from '../../src/metadata/vocabulary.js';
import { startIniSimulator, type IniSimulator } from '../../src/simulators/ini/ini-simulator.js';
import { startRegionStub, type RegionStub } from '../support/region-stub.js';
import {
  callerAssertion, callerTrust, CALLER_ISSUERS, callIni, iniSigner, OPERATOR, readResponseBody, testCaller, verifyIniAssertion,
} from '../support/region-stub-fixtures.js';
import { aDocumentEntry, anAssociation, aSubmission, aSubmissionSet, PATIENT } from '../support/xds-builders.js';

/**
 * The INI simulator's read services against real regions: ITI-18 answered from INI's index (GetDocuments, what the
 * Gateway sends) or routed to the patient's RDA and relayed (FindDocuments), ITI-43 routed by repositoryUniqueId
 * and merged. See: xds-ini digest 1.4 E, 4.3, 4.4.
 */

const READ = { actionId: 'READ', role: 'APR', organizationId: '190', organization: 'Regione Sicilia' } as const;

describe('INI simulator: ITI-18 and ITI-43', () => {
  let ini: IniSimulator;
  let lazio: RegionStub;
  let lombardy: RegionStub;
  let caller: SoapCaller;

  before(async () => {
    lazio = await startRegionStub({ code: '120', verify: verifyIniAssertion });
    lombardy = await startRegionStub({ code: '030', verify: verifyIniAssertion });
    ini = await startIniSimulator({
      signer: iniSigner, trustedSigners: callerTrust, allowedIssuers: CALLER_ISSUERS,
      regions: [lazio.region, lombardy.region], patients: { [PATIENT]: '030' },
    });
    caller = testCaller();
  });
  after(async () => {
    await caller.close();
    await ini.stop();
    await lazio.stop();
    await lombardy.stop();
  });
  beforeEach(async () => {
    await ini.control.reset();
    for (const stub of [lazio, lombardy]) {
      stub.received.length = 0;
      stub.documents.clear();
      await stub.up();
    }
  });

  const query = async (url: string, request: StoredQueryRequest, assertion = callerAssertion(PATIENT, READ)) =>
    readResponseBody(await callIni(caller, url, SOAP_ACTION.iti18, (p) => void encodeAdhocQueryRequest(request, p), assertion),
      (el) => decodeAdhocQueryResponse(el, request.returnType));

  const publish = async (submission: Submission) => {
    const body = (p: Parameters<typeof encodeRegistryObjectList>[1]) => void encodeRegistryObjectList(submission, p.ele(EBXML_NS.lcm, 'lcm:SubmitObjectsRequest'));
    const answer = readResponseBody(await callIni(caller, ini.services.registry, SOAP_ACTION.iti42, body, callerAssertion(PATIENT)), decodeRegistryResponse);
    assert.equal(answer.status, 'Success', JSON.stringify(answer.errors));
  };

  test('FindDocuments goes to the RDA with INI relaying the requester, and its answer comes back as it was', async () => {
    const held = aDocumentEntry({ hash: 'a'.repeat(40), size: 10 });
    lombardy.queryAnswer = () => ({ status: 'Success', errors: [], result: { kind: 'LeafClass', documentEntries: [held], submissionSets: [], folders: [], associations: [] } });
    const request: StoredQueryRequest = { returnType: 'LeafClass', query: { type: 'FindDocuments', patientId: PATIENT, statuses: ['Approved'] } };
    const answer = await query(ini.services.registry, request);
    assert.equal(answer.status, 'Success');
    assert.equal(answer.result.kind, 'LeafClass');
    assert.deepEqual(answer.result.kind === 'LeafClass' ? answer.result.documentEntries.map((e) => [e.entryUuid, e.uniqueId]) : [], [[held.entryUuid, held.uniqueId]]);

    assert.equal(lazio.received.length, 0);
    const [routed, ...more] = lombardy.received;
    assert.equal(more.length, 0);
    assert.equal(routed?.query?.query.type, 'FindDocuments');
    assert.equal(routed?.query?.query.type === 'FindDocuments' ? routed.query.query.patientId : undefined, PATIENT);
    const saml = routed?.saml;
    assert.equal(saml?.issuer, '000', 'INI signs the relay');
    assert.deepEqual([saml?.identity.role, saml?.identity.organizationId, saml?.identity.organization, saml?.identity.actionId, saml?.identity.purposeOfUse],
      ['APR', '190', 'Regione Sicilia', 'READ', 'TREATMENT']);
    assert.equal(saml?.attributes['urn:oasis:names:tc:xacml:1.0:subject:subject-id']?.[0], OPERATOR);
    assert.equal(saml?.identity.patientConsent, true);
    assert.equal(saml?.identity.resourceId, PATIENT);
  });

  test('FindDocuments of a patient INI knows no RDA for: Success with an empty list, no region asked', async () => {
    const stranger = 'BNCLRD80A01H501C^^^&2.16.840.1.113883.2.9.4.3.2&ISO' as DocumentEntry['patientId'];
    const answer = await query(ini.services.registry, { returnType: 'ObjectRef', query: { type: 'FindDocuments', patientId: stranger, statuses: ['Approved'] } },
      callerAssertion(stranger, READ));
    assert.equal(answer.status, 'Success');
    assert.deepEqual(answer.result, { kind: 'ObjectRef', refs: [] });
    assert.equal(lazio.received.length + lombardy.received.length, 0);
  });

  test('GetDocuments by uniqueId is answered from the index: every version, the Approved one first, ObjectRef and LeafClass', async () => {
    const v1 = aDocumentEntry({ hash: 'b'.repeat(40), size: 20 });
    await publish(aSubmission([{ entry: v1 }]));
    const ss = aSubmissionSet();
    const v2 = { ...v1, entryUuid: `urn:uuid:${crypto.randomUUID()}` as EntryUuid, title: 'Versione 2' };
    const update: Submission = {
      submissionSet: ss, documents: [{ entry: v2 }], folders: [],
      associations: [anAssociation('HasMember', ss.entryUuid, v2.entryUuid, { SubmissionSetStatus: ['Original'], PreviousVersion: ['1'] })],
    };
    const body = (p: Parameters<typeof encodeRegistryObjectList>[1]) => void encodeRegistryObjectList(update, p.ele(EBXML_NS.lcm, 'lcm:SubmitObjectsRequest'));
    const updated = readResponseBody(await callIni(caller, ini.services.update, SOAP_ACTION.iti57, body,
      callerAssertion(PATIENT, { actionId: 'UPDATE', purposeOfUse: 'UPDATE' })), decodeRegistryResponse);
    assert.equal(updated.status, 'Success', JSON.stringify(updated.errors));
    lombardy.received.length = 0;

    const gtw = callerAssertion(PATIENT, { role: 'GTW', actionId: 'READ', purposeOfUse: 'UPDATE', subjectId: undefined });
    const documents = { uniqueIds: [v1.uniqueId] };
    const refs = await query(ini.services.references, { returnType: 'ObjectRef', query: { type: 'GetDocuments', documents } }, gtw);
    assert.equal(refs.status, 'Success');
    assert.deepEqual(refs.result, { kind: 'ObjectRef', refs: [v2.entryUuid, v1.entryUuid] });

    const leaf = await query(ini.services.registry, { returnType: 'LeafClass', query: { type: 'GetDocuments', documents } }, gtw);
    assert.equal(leaf.result.kind, 'LeafClass');
    const entries = leaf.result.kind === 'LeafClass' ? leaf.result.documentEntries : [];
    assert.deepEqual(entries.map((e) => [e.entryUuid, e.version, e.status, e.logicalId]),
      [[v2.entryUuid, 2, 'Approved', v1.entryUuid], [v1.entryUuid, 1, 'Deprecated', v1.entryUuid]]);

    const none = await query(ini.services.references, { returnType: 'ObjectRef', query: { type: 'GetDocuments', documents: { uniqueIds: ['2.16.840.1.113883.2.9.2.120.4.4^NOPE' as UniqueId] } } }, gtw);
    assert.deepEqual(none.result, { kind: 'ObjectRef', refs: [] });
    assert.equal(lazio.received.length + lombardy.received.length, 0, 'no region is asked');
  });

  test('ITI-43 goes to each region named by repositoryUniqueId, one call each, merged; an unknown region is PartialSuccess', async () => {
    const fromLazio: DocumentRequest = { repositoryUniqueId: '2.16.840.1.113883.2.9.2.120.4.5.1' as RepositoryUniqueId, documentUniqueId: '2.16.840.1.113883.2.9.2.120.4.4^A' as UniqueId };
    const alsoLazio: DocumentRequest = { repositoryUniqueId: '2.16.840.1.113883.2.9.2.120.4.5.1' as RepositoryUniqueId, documentUniqueId: '2.16.840.1.113883.2.9.2.120.4.4^B' as UniqueId };
    const fromLombardy: DocumentRequest = { repositoryUniqueId: '2.16.840.1.113883.2.9.2.30.4.5.7' as RepositoryUniqueId, documentUniqueId: '2.16.840.1.113883.2.9.2.30.4.4^C' as UniqueId };
    const fromSicily: DocumentRequest = { repositoryUniqueId: '2.16.840.1.113883.2.9.2.190.4.5.1' as RepositoryUniqueId, documentUniqueId: '2.16.840.1.113883.2.9.2.190.4.4^D' as UniqueId };
    const pdf = (text: string) => Buffer.from(`%PDF-1.7 ${text}`);
    lazio.documents.set(fromLazio.documentUniqueId, { bytes: pdf('A'), mimeType: 'application/pdf' });
    lazio.documents.set(alsoLazio.documentUniqueId, { bytes: pdf('B'), mimeType: 'application/pdf' });
    lombardy.documents.set(fromLombardy.documentUniqueId, { bytes: pdf('C'), mimeType: 'application/pdf' });

    const retrieve = async (requests: DocumentRequest[]) => {
      const res = await callIni(caller, ini.services.retrieve, SOAP_ACTION.iti43, (p) => encodeRetrieveRequest(requests, p), callerAssertion(PATIENT, READ));
      assert.match(res.contentType, /^multipart\/related/);
      return readResponseBody(res, (el) => decodeRetrieveResponse(el, res.parts));
    };
    const answer = await retrieve([fromLazio, fromLombardy, alsoLazio, fromSicily]);
    assert.equal(answer.status, 'PartialSuccess');
    assert.deepEqual(answer.documents.map((d) => [d.documentUniqueId, Buffer.from(d.bytes).toString()]).sort(),
      [[fromLazio.documentUniqueId, '%PDF-1.7 A'], [alsoLazio.documentUniqueId, '%PDF-1.7 B'], [fromLombardy.documentUniqueId, '%PDF-1.7 C']].sort());
    assert.deepEqual(answer.errors.map((e) => [e.code, e.location]), [['XDSUnknownRepositoryId', fromSicily.documentUniqueId]]);
    assert.deepEqual(lazio.received.map((r) => r.retrieve?.map((d) => d.documentUniqueId)), [[fromLazio.documentUniqueId, alsoLazio.documentUniqueId]]);
    assert.deepEqual(lombardy.received.map((r) => r.retrieve?.length), [1]);
    assert.deepEqual([lazio.received[0]?.saml?.issuer, lazio.received[0]?.saml?.identity.actionId, lazio.received[0]?.saml?.identity.organizationId], ['000', 'READ', '190']);

    await lombardy.down();
    const partial = await retrieve([fromLazio, fromLombardy]);
    assert.equal(partial.status, 'PartialSuccess');
    assert.deepEqual(partial.documents.map((d) => d.documentUniqueId), [fromLazio.documentUniqueId]);
    assert.deepEqual(partial.errors.map((e) => [e.code, e.location]), [['XDSRepositoryError', fromLombardy.documentUniqueId]]);

    const none = await retrieve([fromLombardy]);
    assert.equal(none.status, 'Failure');
  });
});
