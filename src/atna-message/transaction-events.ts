import type { ActiveParticipant, AuditMessage, CodedValue, EventActionCode, EventOutcomeIndicator, ParticipantObject } from './audit-message.js';

/**
 * IHE's audit message of each transaction the bridge answers, as a table (STYLE rule 4) and one builder. The bridge
 * is always the receiving actor: the Document Repository (ITI-41, ITI-43, ITI-86) or the Document Registry (ITI-18,
 * ITI-42, ITI-57, ITI-62). Codes per IHE ITI TF-2 (Rev. 19): 3.18.5.1 (Registry: Query 110112, E), 3.41.5.1
 * (Repository: Import 110107, C), 3.42.5.1 (Registry: Import, C), 3.43.6 (Repository: Export 110106, R), 3.57.6
 * (Registry: Import, U), 3.62.6 (Registry: Patient Record 110110, D), 3.86.6 (Repository: Patient Record 110110, D:
 * not DICOM's 110105 "DICOM Study Deleted", which is for DICOM studies). Participant object codes per the same
 * sections and DICOM PS3.15 A.5.2.
 */

const dcm = (code: string, originalText: string): CodedValue => ({ code, codeSystemName: 'DCM', originalText });
const ihe = (code: string, originalText: string): CodedValue => ({ code, codeSystemName: 'IHE Transactions', originalText });

export const DCM = {
  export: dcm('110106', 'Export'),
  import: dcm('110107', 'Import'),
  patientRecord: dcm('110110', 'Patient Record'),
  query: dcm('110112', 'Query'),
  securityAlert: dcm('110113', 'Security Alert'),
  nodeAuthentication: dcm('110126', 'Node Authentication'),
  source: dcm('110153', 'Source Role ID'),
  destination: dcm('110152', 'Destination Role ID'),
  /** Audit source type 4. See: DICOM PS3.15 A.5.1 (AuditSourceTypeCode), CID 20. */
  applicationServer: dcm('4', 'Application Server process tier in a multi-tier system'),
} as const;

/** The transactions the bridge audits, by IHE name. */
export type AuditedTransaction = 'ITI-18' | 'ITI-41' | 'ITI-42' | 'ITI-43' | 'ITI-57' | 'ITI-62' | 'ITI-86';

interface TransactionEvent {
  readonly eventId: CodedValue;
  readonly action: EventActionCode;
  readonly type: CodedValue;
  /** Which role the requesting system plays: `source` (it sends or asks) or `destination` (it receives documents). */
  readonly requester: 'source' | 'destination';
}

export const TRANSACTION_EVENTS: Readonly<Record<AuditedTransaction, TransactionEvent>> = {
  'ITI-18': { eventId: DCM.query, action: 'E', type: ihe('ITI-18', 'Registry Stored Query'), requester: 'source' },
  'ITI-41': { eventId: DCM.import, action: 'C', type: ihe('ITI-41', 'Provide and Register Document Set-b'), requester: 'source' },
  'ITI-42': { eventId: DCM.import, action: 'C', type: ihe('ITI-42', 'Register Document Set-b'), requester: 'source' },
  'ITI-43': { eventId: DCM.export, action: 'R', type: ihe('ITI-43', 'Retrieve Document Set'), requester: 'destination' },
  'ITI-57': { eventId: DCM.import, action: 'U', type: ihe('ITI-57', 'Update Document Set'), requester: 'source' },
  'ITI-62': { eventId: DCM.patientRecord, action: 'D', type: ihe('ITI-62', 'Delete Document Set'), requester: 'source' },
  'ITI-86': { eventId: DCM.patientRecord, action: 'D', type: ihe('ITI-86', 'Remove Documents'), requester: 'source' },
};

/**
 * The FSE 2.0 REST publication family (the Gateway API's operations, relayed by the bridge). IHE defines no
 * transaction for them; they are audited as their XDS counterparts are (ITI-41 Import for a publication, ITI-57
 * Import U for a metadata update, ITI-62 Patient Record D for a delete), with the operation as EventTypeCode in a
 * code system of the national API. See: Gateway API digest 3.3-3.8; docs/atna.md.
 */
export type RestPublication = 'create' | 'validate-and-create' | 'replace' | 'validate-and-replace' | 'delete' | 'metadata' | 'metadata-iti-57';

const fse = (code: RestPublication, originalText: string): CodedValue => ({ code, codeSystemName: 'FSE 2.0 Gateway API', originalText });

export const REST_EVENTS: Readonly<Record<RestPublication, TransactionEvent>> = {
  create: { eventId: DCM.import, action: 'C', type: fse('create', 'Publication'), requester: 'source' },
  'validate-and-create': { eventId: DCM.import, action: 'C', type: fse('validate-and-create', 'Validation and publication'), requester: 'source' },
  replace: { eventId: DCM.import, action: 'C', type: fse('replace', 'Replacement'), requester: 'source' },
  'validate-and-replace': { eventId: DCM.import, action: 'C', type: fse('validate-and-replace', 'Validation and replacement'), requester: 'source' },
  metadata: { eventId: DCM.import, action: 'U', type: fse('metadata', 'Metadata update'), requester: 'source' },
  'metadata-iti-57': { eventId: DCM.import, action: 'U', type: fse('metadata-iti-57', 'Metadata update (ITI-57)'), requester: 'source' },
  delete: { eventId: DCM.patientRecord, action: 'D', type: fse('delete', 'Deletion'), requester: 'source' },
};

const eventOf = (transaction: AuditedTransaction | RestPublication): TransactionEvent =>
  Object.hasOwn(TRANSACTION_EVENTS, transaction) ? TRANSACTION_EVENTS[transaction as AuditedTransaction] : REST_EVENTS[transaction as RestPublication];

const ID_TYPE = {
  patient: { code: '2', codeSystemName: 'RFC-3881', originalText: 'Patient Number' },
  document: { code: '9', codeSystemName: 'RFC-3881', originalText: 'Report Number' },
  submissionSet: { code: 'urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd', codeSystemName: 'IHE XDS Metadata', originalText: 'submission set classificationNode' },
  objectRef: { code: 'urn:ihe:iti:2017:ObjectRef', codeSystemName: 'IHE XDS Metadata', originalText: 'registry object reference' },
} as const satisfies Record<string, CodedValue>;

/** Who the bridge is, the same in every message. */
export interface AuditSourceContext {
  readonly auditSourceId: string;
  readonly enterpriseSiteId?: string;
  /** Process id: the bridge's AlternativeUserID. See: ITI TF-2 3.20.7 (AlternativeUserID of a process). */
  readonly processId: string;
}

/** What one answered transaction is about, read from the request and the answer. */
export interface TransactionFacts {
  readonly transaction: AuditedTransaction | RestPublication;
  readonly time: Date;
  readonly outcome: 'Success' | 'PartialSuccess' | 'Failure';
  readonly errorCodes?: readonly string[];
  /** The bridge's endpoint URI (wsa:To, or the address the request reached). */
  readonly endpoint: string;
  /** The requester: its wsa:ReplyTo (or anonymous), address, and the human user of its assertion. */
  readonly requester: { readonly replyTo: string; readonly address?: string; readonly userId?: string; readonly userName?: string };
  readonly patientId?: string;
  readonly submissionSetUniqueId?: string;
  readonly documents?: readonly { readonly uniqueId: string; readonly repositoryUniqueId?: string; readonly homeCommunityId?: string }[];
  /** entryUUIDs removed (ITI-62). */
  readonly objectIds?: readonly string[];
  /** The stored query (ITI-18): its id and the AdhocQueryRequest element (UTF-8). */
  readonly query?: { readonly id: string; readonly request: Uint8Array; readonly homeCommunityId?: string };
}

/** XDS RegistryResponse status to EventOutcomeIndicator. See: ITI TF-2 3.41.5.1 ("PartialSuccess" is 4, minor). */
export function outcomeIndicator(outcome: TransactionFacts['outcome']): EventOutcomeIndicator {
  return outcome === 'Success' ? '0' : outcome === 'PartialSuccess' ? '4' : '8';
}

/** The audit message of one answered transaction. */
export function transactionAuditMessage(facts: TransactionFacts, context: AuditSourceContext): AuditMessage {
  const event = eventOf(facts.transaction);
  const requester: ActiveParticipant = {
    userId: facts.requester.replyTo, userIsRequestor: true, networkAccessPointId: facts.requester.address,
    roleIdCodes: [event.requester === 'source' ? DCM.source : DCM.destination],
  };
  const bridge: ActiveParticipant = {
    userId: facts.endpoint, alternativeUserId: context.processId, userIsRequestor: false,
    roleIdCodes: [event.requester === 'source' ? DCM.destination : DCM.source],
  };
  const human: ActiveParticipant[] = facts.requester.userId ? [{ userId: facts.requester.userId, userName: facts.requester.userName, userIsRequestor: true }] : [];
  return {
    eventId: event.eventId,
    eventTypeCodes: [event.type],
    eventActionCode: event.action,
    eventDateTime: facts.time,
    eventOutcomeIndicator: outcomeIndicator(facts.outcome),
    eventOutcomeDescription: facts.errorCodes && facts.errorCodes.length > 0 ? facts.errorCodes.join(' ') : undefined,
    activeParticipants: event.requester === 'source' ? [requester, bridge, ...human] : [bridge, requester, ...human],
    auditSource: { id: context.auditSourceId, enterpriseSiteId: context.enterpriseSiteId, typeCodes: [DCM.applicationServer] },
    participantObjects: participantObjects(facts),
  };
}

function participantObjects(facts: TransactionFacts): ParticipantObject[] {
  const objects: ParticipantObject[] = [];
  if (facts.patientId) objects.push({ id: facts.patientId, typeCode: '1', typeCodeRole: '1', idTypeCode: ID_TYPE.patient });
  if (facts.submissionSetUniqueId) objects.push({ id: facts.submissionSetUniqueId, typeCode: '2', typeCodeRole: '20', idTypeCode: ID_TYPE.submissionSet });
  // 15, permanent erasure: removed documents and registry objects are gone, not flagged. See: DICOM PS3.15 A.5.1.2.3.
  const erased = facts.transaction === 'ITI-86' ? '15' : undefined;
  for (const d of facts.documents ?? []) {
    const details = [
      ...(d.repositoryUniqueId ? [{ type: 'Repository Unique Id', value: d.repositoryUniqueId }] : []),
      ...(d.homeCommunityId ? [{ type: 'ihe:homeCommunityID', value: d.homeCommunityId }] : []),
    ];
    objects.push({ id: d.uniqueId, typeCode: '2', typeCodeRole: '3', dataLifeCycle: erased, idTypeCode: ID_TYPE.document, details });
  }
  for (const id of facts.objectIds ?? []) objects.push({ id, typeCode: '2', typeCodeRole: '3', dataLifeCycle: '15', idTypeCode: ID_TYPE.objectRef });
  if (facts.query) {
    objects.push({
      id: facts.query.id, typeCode: '2', typeCodeRole: '24', idTypeCode: TRANSACTION_EVENTS['ITI-18'].type, query: facts.query.request,
      details: [{ type: 'QueryEncoding', value: 'UTF-8' }, ...(facts.query.homeCommunityId ? [{ type: 'ihe:homeCommunityID', value: facts.query.homeCommunityId }] : [])],
    });
  }
  return objects;
}
