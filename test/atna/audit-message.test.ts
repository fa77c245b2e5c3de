import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { encodeAuditMessage } from '../../src/atna-message/audit-message.js';
import { securityAlertMessage } from '../../src/atna-message/security-alert.js';
import { REST_EVENTS, TRANSACTION_EVENTS, transactionAuditMessage, type AuditedTransaction, type RestPublication, type TransactionFacts } from '../../src/atna-message/transaction-events.js';
import { withXml } from '../../src/xml/xml-toolkit.js';
import { assertDicomAuditMessage } from '../support/atna-receiver.js';

const CONTEXT = { auditSourceId: 'FSE-BRIDGE-120', enterpriseSiteId: '120', processId: '4242' };
const PATIENT = 'RSSMRA80A01H501U^^^&2.16.840.1.113883.2.9.4.3.2&ISO';

function facts(transaction: AuditedTransaction | RestPublication, extra: Partial<TransactionFacts> = {}): TransactionFacts {
  return {
    transaction, time: new Date('2026-01-09T08:00:00.000Z'), outcome: 'Success', endpoint: 'https://bridge/xds/registry',
    requester: { replyTo: 'http://www.w3.org/2005/08/addressing/anonymous', address: '10.0.0.7', userId: 'VRDGPP70A01H501S' },
    patientId: PATIENT, ...extra,
  };
}

/** Reads the values a test checks, by XPath on the encoded message. */
function read(xml: string) {
  return withXml(xml, (doc) => {
    const all = (xpath: string) => doc.find(xpath).map((n) => n.content);
    return {
      eventId: all('/AuditMessage/EventIdentification/EventID/@csd-code'),
      action: all('/AuditMessage/EventIdentification/@EventActionCode'),
      outcome: all('/AuditMessage/EventIdentification/@EventOutcomeIndicator'),
      type: all('/AuditMessage/EventIdentification/EventTypeCode/@csd-code'),
      requestorRoles: all('/AuditMessage/ActiveParticipant[@UserIsRequestor="true"]/RoleIDCode/@csd-code'),
      bridgeRoles: all('/AuditMessage/ActiveParticipant[@UserIsRequestor="false"]/RoleIDCode/@csd-code'),
      objects: all('/AuditMessage/ParticipantObjectIdentification').map((_, i) => i),
      objectRoles: all('/AuditMessage/ParticipantObjectIdentification/@ParticipantObjectTypeCodeRole'),
      objectIdTypes: all('/AuditMessage/ParticipantObjectIdentification/ParticipantObjectIDTypeCode/@csd-code'),
      query: all('/AuditMessage/ParticipantObjectIdentification/ParticipantObjectQuery'),
      details: all('/AuditMessage/ParticipantObjectIdentification/ParticipantObjectDetail/@type'),
      lifeCycle: all('/AuditMessage/ParticipantObjectIdentification/@ParticipantObjectDataLifeCycle'),
    };
  });
}

const SUBMISSION_SET_TYPE = 'urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd';

describe('ATNA audit messages: IHE ITI TF-2 per transaction, valid against DICOM PS3.15 A.5.1', () => {
  const cases: [AuditedTransaction, Partial<TransactionFacts>, { eventId: string; action: string; requestor: string; roles: string[]; idTypes: string[] }][] = [
    ['ITI-41', { submissionSetUniqueId: '2.16.840.1.113883.2.9.2.120.4.3.1' }, { eventId: '110107', action: 'C', requestor: '110153', roles: ['1', '20'], idTypes: ['2', SUBMISSION_SET_TYPE] }],
    ['ITI-42', { submissionSetUniqueId: '2.16.840.1.113883.2.9.2.120.4.3.2' }, { eventId: '110107', action: 'C', requestor: '110153', roles: ['1', '20'], idTypes: ['2', SUBMISSION_SET_TYPE] }],
    ['ITI-57', { submissionSetUniqueId: '2.16.840.1.113883.2.9.2.120.4.3.3' }, { eventId: '110107', action: 'U', requestor: '110153', roles: ['1', '20'], idTypes: ['2', SUBMISSION_SET_TYPE] }],
    ['ITI-43', { documents: [{ uniqueId: '2.16.840.1.113883.2.9.2.120.4.4^A', repositoryUniqueId: '2.16.840.1.113883.2.9.2.120.4.5.1' }] }, { eventId: '110106', action: 'R', requestor: '110152', roles: ['1', '3'], idTypes: ['2', '9'] }],
    ['ITI-18', { query: { id: 'urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d', request: Buffer.from('<query:AdhocQueryRequest/>') } }, { eventId: '110112', action: 'E', requestor: '110153', roles: ['1', '24'], idTypes: ['2', 'ITI-18'] }],
    ['ITI-62', { objectIds: ['urn:uuid:9f0b1c68-63a6-4a77-a0b4-6cd1d1e1d2f0'] }, { eventId: '110110', action: 'D', requestor: '110153', roles: ['1', '3'], idTypes: ['2', 'urn:ihe:iti:2017:ObjectRef'] }],
    ['ITI-86', { documents: [{ uniqueId: '2.16.840.1.113883.2.9.2.120.4.4^B', repositoryUniqueId: '2.16.840.1.113883.2.9.2.120.4.5.1' }] }, { eventId: '110110', action: 'D', requestor: '110153', roles: ['1', '3'], idTypes: ['2', '9'] }],
  ];
  for (const [transaction, extra, expected] of cases) {
    test(`${transaction}: EventID ${expected.eventId} ${expected.action}, requester ${expected.requestor}, objects ${expected.roles.join('/')}`, () => {
      const xml = encodeAuditMessage(transactionAuditMessage(facts(transaction, extra), CONTEXT));
      assertDicomAuditMessage(xml);
      const m = read(xml);
      assert.deepEqual([m.eventId, m.action, m.outcome, m.type], [[expected.eventId], [expected.action], ['0'], [transaction]]);
      assert.deepEqual(m.requestorRoles, [expected.requestor]);
      assert.deepEqual(m.bridgeRoles, [expected.requestor === '110153' ? '110152' : '110153']);
      assert.deepEqual(m.objectRoles, expected.roles);
      assert.deepEqual(m.objectIdTypes, expected.idTypes);
    });
  }

  test('ITI-18 carries the query base64 with its QueryEncoding; ITI-86 documents are permanently erased (15)', () => {
    const q = read(encodeAuditMessage(transactionAuditMessage(facts('ITI-18', { query: { id: 'urn:uuid:x', request: Buffer.from('<q>é</q>') } }), CONTEXT)));
    assert.deepEqual(q.query.map((b) => Buffer.from(b, 'base64').toString('utf8')), ['<q>é</q>']);
    assert.deepEqual(q.details, ['QueryEncoding']);
    const r = read(encodeAuditMessage(transactionAuditMessage(facts('ITI-86', { documents: [{ uniqueId: 'u', repositoryUniqueId: 'r', homeCommunityId: 'urn:oid:1.2' }] }), CONTEXT)));
    assert.deepEqual([r.lifeCycle, r.details], [['15'], ['Repository Unique Id', 'ihe:homeCommunityID']]);
  });

  test('outcomes: PartialSuccess is minor (4), Failure serious (8), with the error codes as description', () => {
    const partial = encodeAuditMessage(transactionAuditMessage(facts('ITI-43', { outcome: 'PartialSuccess' }), CONTEXT));
    const failure = encodeAuditMessage(transactionAuditMessage(facts('ITI-41', { outcome: 'Failure', errorCodes: ['XDSRepositoryError'] }), CONTEXT));
    assertDicomAuditMessage(failure);
    assert.deepEqual([read(partial).outcome, read(failure).outcome], [['4'], ['8']]);
    assert.match(failure, /<EventOutcomeDescription>XDSRepositoryError<\/EventOutcomeDescription>/);
  });

  test('the security alert of a refused credential: 110113 with Node Authentication 110126, minor failure', () => {
    const xml = encodeAuditMessage(securityAlertMessage({ time: new Date(), endpoint: 'https://bridge/xds/registry', peer: { address: '10.0.0.9' }, reason: 'wsse:FailedAuthentication: bad signature' }, CONTEXT));
    assertDicomAuditMessage(xml);
    const m = read(xml);
    assert.deepEqual([m.eventId, m.type, m.action, m.outcome, m.objectRoles, m.details], [['110113'], ['110126'], ['E'], ['4'], ['13'], ['Alert Description']]);
  });

  test('the REST publication family: Import for publications and metadata, Patient Record for a delete, all valid', () => {
    const seen = Object.keys(REST_EVENTS).map((kind) => {
      const xml = encodeAuditMessage(transactionAuditMessage(facts(kind as RestPublication, { documents: [{ uniqueId: 'u' }] }), CONTEXT));
      assertDicomAuditMessage(xml);
      const m = read(xml);
      return `${m.type[0]} ${m.eventId[0]} ${m.action[0]}`;
    });
    assert.deepEqual(seen, ['create 110107 C', 'validate-and-create 110107 C', 'replace 110107 C', 'validate-and-replace 110107 C', 'metadata 110107 U', 'metadata-iti-57 110107 U', 'delete 110110 D']);
  });

  test('every transaction of the table has its message (nothing left to a default)', () => {
    assert.deepEqual(Object.keys(TRANSACTION_EVENTS).sort(), ['ITI-18', 'ITI-41', 'ITI-42', 'ITI-43', 'ITI-57', 'ITI-62', 'ITI-86']);
  });
});

describe('the schema refuses what DICOM refuses (it can fail)', () => {
  const valid = encodeAuditMessage(transactionAuditMessage(facts('ITI-41', { submissionSetUniqueId: '1.2.3' }), CONTEXT));
  const refusals: [string, string][] = [
    ['a coded value without originalText', valid.replace(' originalText="Import"', '')],
    ['an outcome outside 0/4/8/12', valid.replace('EventOutcomeIndicator="0"', 'EventOutcomeIndicator="1"')],
    ['an EventDateTime that is not xsd:dateTime', valid.replace(/EventDateTime="[^"]*"/, 'EventDateTime="yesterday"')],
    ['no ActiveParticipant', valid.replace(/<ActiveParticipant .*?<\/ActiveParticipant>/g, '').replace(/<ActiveParticipant [^>]*\/>/g, '')],
    ['UserIsRequestor not a boolean', valid.replace('UserIsRequestor="true"', 'UserIsRequestor="yes"')],
    ['participant objects before the audit source', valid.replace(/(<AuditSourceIdentification.*?<\/AuditSourceIdentification>)(.*)(<\/AuditMessage>)/, '$2$1$3')],
    ['an unknown element', valid.replace('</EventIdentification>', '<Extra/></EventIdentification>')],
    ['an EventActionCode outside C/R/U/D/E', valid.replace('EventActionCode="C"', 'EventActionCode="X"')],
    ['a ParticipantObjectTypeCodeRole outside the table', valid.replace('ParticipantObjectTypeCodeRole="20"', 'ParticipantObjectTypeCodeRole="99"')],
  ];
  test('the valid message passes', () => assertDicomAuditMessage(valid));
  for (const [what, xml] of refusals) {
    test(`refused: ${what}`, () => {
      assert.notEqual(xml, valid, 'the mutation applied');
      assert.throws(() => assertDicomAuditMessage(xml));
    });
  }
});
