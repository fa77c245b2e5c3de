import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { EntryUuid, UniqueId } from '../../src/domain/ids.js';
import type { DocumentEntry, Submission } from '../../src/domain/xds.js';
import { decodeRegistryResponse } from '../../src/ebxml/registry-response.js';
import { encodeRemoveObjectsRequest } from '../../src/ebxml/remove-objects-request.js';
import { EBXML_NS } from '../../src/ebxml/rim-read.js';
import { encodeRegistryObjectList } from '../../src/ebxml/submit-objects-request.js';
import type { SoapCaller } from '../../src/soap-wire/soap-client.js';
import { SOAP_ACTION } from '../../src/metadata/vocabulary.js';
import { startIniSimulator, type IniSimulator } from '../../src/simulators/ini/ini-simulator.js';
import { startRegionStub, type RegionStub } from '../support/region-stub.js';
import {
  callerAssertion, callerTrust, CALLER_ISSUERS, callIni, eventually, iniSigner, OPERATOR, readResponseBody, testCaller,
  verifyIniAssertion,
} from '../support/region-stub-fixtures.js';
import { aDocumentEntry, anAssociation, aSubmission, aSubmissionSet, PATIENT } from '../support/xds-builders.js';

/**
 * The INI simulator's write services against real regions: ITI-42 indexed and forwarded to the patient's RDA (here
 * Lombardy, 030, while the documents come from Lazio, 120) with INI's own assertion, duplicates, pending forwards,
 * ITI-57 and INI delete. See: xds-ini digest 1.2, 4.2, 4.5-4.8.
 */

const HASH = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';

const submitBody = (submission: Submission) => (parent: Parameters<typeof encodeRegistryObjectList>[1]) =>
  void encodeRegistryObjectList(submission, parent.ele(EBXML_NS.lcm, 'lcm:SubmitObjectsRequest'));

/** A Gateway-style ITI-42: symbolic ids (`Document1`, `SubmissionSet1`), reused in every message. See: digest 4.2. */
function gatewaySubmission(entry: Partial<DocumentEntry> = {}, replaces?: EntryUuid): Submission {
  const doc = aDocumentEntry({ entryUuid: 'Document1' as EntryUuid, logicalId: 'Document1' as EntryUuid, hash: HASH, size: 1234, ...entry });
  const ss = aSubmissionSet({ entryUuid: 'SubmissionSet1' as EntryUuid });
  const associations = [{ ...anAssociation('HasMember', ss.entryUuid, doc.entryUuid, { SubmissionSetStatus: ['Original'] }), entryUuid: 'Association1' as EntryUuid }];
  if (replaces) associations.push({ ...anAssociation('RPLC', doc.entryUuid, replaces), entryUuid: 'SubmissionSet1_Association_1' as EntryUuid });
  return { submissionSet: ss, documents: [{ entry: doc }], folders: [], associations };
}

describe('INI simulator: ITI-42, ITI-57 and delete', () => {
  let ini: IniSimulator;
  let lazio: RegionStub;
  let lombardy: RegionStub;
  let caller: SoapCaller;

  before(async () => {
    lazio = await startRegionStub({ code: '120', verify: verifyIniAssertion });
    lombardy = await startRegionStub({ code: '030', verify: verifyIniAssertion });
    ini = await startIniSimulator({
      signer: iniSigner, trustedSigners: callerTrust, allowedIssuers: CALLER_ISSUERS,
      regions: [lazio.region, lombardy.region], patients: { [PATIENT]: '030' }, retry: { baseMs: 50, maxMs: 200 },
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
      stub.writeAnswer = () => ({ status: 'Success', errors: [] });
      await stub.up();
    }
  });

  const register = async (submission: Submission, assertion = callerAssertion(PATIENT)) =>
    readResponseBody(await callIni(caller, ini.services.registry, SOAP_ACTION.iti42, submitBody(submission), assertion), decodeRegistryResponse);

  test('ITI-42 is indexed under INI UUIDs and forwarded to the RDA with an assertion of INI that the region verifies', async () => {
    const submission = gatewaySubmission();
    const uniqueId = submission.documents[0]?.entry.uniqueId as UniqueId;
    const answer = await register(submission);
    assert.equal(answer.status, 'Success', JSON.stringify(answer.errors));

    const [indexed, ...more] = ini.index.versionsOf(uniqueId);
    assert.equal(more.length, 0);
    assert.match(indexed?.entryUuid ?? '', /^urn:uuid:/);
    assert.equal(indexed?.status, 'Approved');
    assert.equal(indexed?.version, 1);

    assert.equal(lazio.received.length, 0, 'the producing region is not the RDA');
    const [forward, ...others] = lombardy.received;
    assert.equal(others.length, 0);
    assert.equal(forward?.action, SOAP_ACTION.iti42);
    assert.equal(forward?.samlError, undefined);
    assert.equal(forward?.submission?.documents[0]?.entry.entryUuid, indexed?.entryUuid, 'the RDA gets the UUIDs INI assigned');
    const saml = forward?.saml;
    assert.equal(saml?.issuer, '000');
    assert.equal(saml?.identity.role, 'INI');
    assert.equal(saml?.identity.organizationId, '000');
    assert.equal(saml?.identity.organization, 'INI');
    assert.equal(saml?.identity.actionId, 'CREATE');
    assert.equal(saml?.identity.purposeOfUse, 'TREATMENT');
    assert.equal(saml?.identity.resourceId, PATIENT);
    assert.equal(saml?.attributes['urn:oasis:names:tc:xacml:1.0:subject:subject-id']?.[0], OPERATOR);

    const logged = ini.received.at(-1);
    assert.deepEqual([logged?.operation, logged?.samlIssuer, logged?.samlRole, logged?.samlPurpose, logged?.status], ['iti42', '120', 'AAS', 'TREATMENT', 'Success']);
    assert.equal(ini.control.forwards.at(-1)?.outcome, 'delivered');
  });

  test('a resend with the same hash is an idempotent Success; another hash is XDSDuplicateUniqueIdInRegistry', async () => {
    const uniqueId = `2.16.840.1.113883.2.9.2.120.4.4^DUP-${Date.now()}` as UniqueId;
    assert.equal((await register(gatewaySubmission({ uniqueId }))).status, 'Success');
    const again = await register(gatewaySubmission({ uniqueId }));
    assert.equal(again.status, 'Success');
    assert.equal(again.errors.length, 0);
    assert.equal(ini.index.versionsOf(uniqueId).length, 1);
    assert.equal(lombardy.received.length, 1, 'the resend is not forwarded again');

    const other = await register(gatewaySubmission({ uniqueId, hash: 'f'.repeat(40) }));
    assert.equal(other.status, 'Failure');
    assert.deepEqual(other.errors.map((e) => e.code), ['XDSDuplicateUniqueIdInRegistry']);
    assert.equal(ini.index.versionsOf(uniqueId)[0]?.hash, HASH);
    assert.equal(lombardy.received.length, 1);
  });

  test('an unreachable RDA: Success, the forwards wait in order and are delivered when it is back (flush and backoff)', async () => {
    await lombardy.down();
    const first = gatewaySubmission();
    const second = gatewaySubmission();
    assert.equal((await register(first)).status, 'Success');
    assert.equal((await register(second)).status, 'Success');
    assert.equal(ini.control.pendingCount, 2);
    assert.ok(ini.index.approvedOf(first.documents[0]?.entry.uniqueId ?? ''), 'INI indexed what it took');

    await lombardy.up();
    const flushed = await ini.control.flushPending();
    assert.deepEqual(flushed, { delivered: 2, pending: 0 });
    assert.deepEqual(lombardy.received.map((r) => r.submission?.documents[0]?.entry.uniqueId),
      [first.documents[0]?.entry.uniqueId, second.documents[0]?.entry.uniqueId]);

    await lombardy.down();
    const third = gatewaySubmission();
    assert.equal((await register(third)).status, 'Success');
    assert.equal(ini.control.pendingCount, 1);
    await lombardy.up();
    await eventually(() => ini.control.pendingCount === 0, 'the backoff retry');
    assert.equal(lombardy.received.at(-1)?.submission?.documents[0]?.entry.uniqueId, third.documents[0]?.entry.uniqueId);
    assert.ok((ini.control.forwards.at(-1)?.attempts ?? 0) >= 2);
  });

  test('an RDA answering Failure fails the ITI-42 with its error, and nothing is indexed', async () => {
    lombardy.writeAnswer = () => ({ status: 'Failure', errors: [{ code: 'XDSRegistryMetadataError', codeContext: 'refused by the RDA', severity: 'Error' }] });
    const submission = gatewaySubmission();
    const answer = await register(submission);
    assert.equal(answer.status, 'Failure');
    assert.deepEqual(answer.errors.map((e) => [e.code, e.codeContext]), [['XDSRegistryMetadataError', 'refused by the RDA']]);
    assert.equal(ini.index.versionsOf(submission.documents[0]?.entry.uniqueId ?? '').length, 0);
    assert.equal(ini.control.pendingCount, 0);
  });

  test('a patient with no assisting region is XDSUnknownPatientId', async () => {
    const stranger = 'BNCLRD80A01H501C^^^&2.16.840.1.113883.2.9.4.3.2&ISO';
    const doc = aDocumentEntry({ patientId: stranger as DocumentEntry['patientId'], hash: HASH, size: 1 });
    const submission = aSubmission([{ entry: doc }]);
    const answer = await register({ ...submission, submissionSet: { ...submission.submissionSet, patientId: doc.patientId } }, callerAssertion(stranger));
    assert.equal(answer.status, 'Failure');
    assert.deepEqual(answer.errors.map((e) => e.code), ['XDSUnknownPatientId']);
    assert.equal(lazio.received.length + lombardy.received.length, 0);
  });

  test('replace (RPLC), ITI-57 and INI delete: INI versions the entries and the RDA hears each, with the right action-id', async () => {
    const original = gatewaySubmission();
    assert.equal((await register(original)).status, 'Success');
    const oldId = original.documents[0]?.entry.uniqueId ?? '';
    const old = ini.index.approvedOf(oldId) as DocumentEntry;

    const replacement = gatewaySubmission({}, old.entryUuid);
    const replaced = await register(replacement, callerAssertion(PATIENT, { actionId: 'UPDATE', purposeOfUse: 'UPDATE' }));
    assert.equal(replaced.status, 'Success', JSON.stringify(replaced.errors));
    assert.equal(ini.index.entry(old.entryUuid)?.status, 'Deprecated');
    assert.equal(lombardy.received.at(-1)?.saml?.identity.actionId, 'UPDATE');
    assert.equal(lombardy.received.at(-1)?.submission?.associations.find((a) => a.type === 'RPLC')?.targetUuid, old.entryUuid);

    const newId = replacement.documents[0]?.entry.uniqueId ?? '';
    const current = ini.index.approvedOf(newId) as DocumentEntry;
    const ss = aSubmissionSet({ entryUuid: 'SubmissionSet1' as EntryUuid });
    const next = { ...current, entryUuid: 'Document1' as EntryUuid, title: 'Titolo aggiornato' };
    const update: Submission = {
      submissionSet: ss, documents: [{ entry: next }], folders: [],
      associations: [anAssociation('HasMember', ss.entryUuid, next.entryUuid, { SubmissionSetStatus: ['Original'], PreviousVersion: ['1'] })],
    };
    const updateAssertion = callerAssertion(PATIENT, { actionId: 'UPDATE', purposeOfUse: 'UPDATE' });
    const updated = readResponseBody(await callIni(caller, ini.services.update, SOAP_ACTION.iti57, submitBody(update), updateAssertion), decodeRegistryResponse);
    assert.equal(updated.status, 'Success', JSON.stringify(updated.errors));
    const versions = ini.index.versionsOf(newId);
    assert.deepEqual(versions.map((v) => [v.version, v.status, v.title]), [[2, 'Approved', 'Titolo aggiornato'], [1, 'Deprecated', current.title]]);
    const sentUpdate = lombardy.received.at(-1);
    assert.equal(sentUpdate?.action, SOAP_ACTION.iti57);
    assert.equal(sentUpdate?.saml?.identity.actionId, 'UPDATE');
    assert.equal(sentUpdate?.submission?.documents[0]?.entry.logicalId, current.logicalId);
    assert.deepEqual(sentUpdate?.submission?.associations[0]?.slots.PreviousVersion, ['1']);

    const stale = readResponseBody(await callIni(caller, ini.services.update, SOAP_ACTION.iti57, submitBody(update), updateAssertion), decodeRegistryResponse);
    assert.deepEqual(stale.errors.map((e) => e.code), ['XDSMetadataVersionError']);

    const uuids = versions.map((v) => v.entryUuid);
    const deleteAssertion = callerAssertion(PATIENT, { actionId: 'DELETE', purposeOfUse: 'UPDATE' });
    const remove = () => callIni(caller, ini.services.delete, SOAP_ACTION.iniDelete, (p) => encodeRemoveObjectsRequest(uuids, p), deleteAssertion);
    const deleted = readResponseBody(await remove(), decodeRegistryResponse);
    assert.equal(deleted.status, 'Success', JSON.stringify(deleted.errors));
    assert.equal(ini.index.versionsOf(newId).length, 0);
    assert.equal(ini.index.associationsOf(uuids).length, 0, 'their associations went with them');
    const sentDelete = lombardy.received.at(-1);
    assert.equal(sentDelete?.action, SOAP_ACTION.iniDelete);
    assert.deepEqual(sentDelete?.removed, uuids);
    assert.equal(sentDelete?.saml?.identity.actionId, 'DELETE');

    const count = lombardy.received.length;
    assert.equal(readResponseBody(await remove(), decodeRegistryResponse).status, 'Success', 'a repeated delete is idempotent');
    assert.equal(lombardy.received.length, count);
    const unknown = readResponseBody(await callIni(caller, ini.services.delete, SOAP_ACTION.iniDelete,
      (p) => encodeRemoveObjectsRequest(['urn:uuid:00000000-0000-4000-8000-000000000000' as EntryUuid], p), deleteAssertion), decodeRegistryResponse);
    assert.deepEqual(unknown.errors.map((e) => e.code), ['UnresolvedReferenceException']);
  });
});
