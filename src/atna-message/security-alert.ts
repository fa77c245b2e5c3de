import type { AuditMessage } from './audit-message.js';
import { DCM, type AuditSourceContext } from './transaction-events.js';

/**
 * A refused credential: a SAML assertion that does not verify, a missing or unregistered client certificate, a TLS
 * handshake refused. IHE audits a node authentication failure as DICOM's Security Alert (110113) with event type
 * Node Authentication (110126), outcome "minor failure" (4): the request was refused, nothing was disclosed. XUA
 * names no event of its own for a refused assertion, so the X-Service Provider reports it the same way. The alert
 * subject is the endpoint refused; the reason (the WS-Security fault subcode) is its "Alert Description".
 * See: ITI TF-2 3.20.4.1.1.1 (Node-Authentication-failure); DICOM PS3.15 A.5.3.11 (Security Alert), CID 403.
 */
export interface SecurityAlertFacts {
  readonly time: Date;
  /** The endpoint (URI) whose access was refused. */
  readonly endpoint: string;
  /** The remote end: its address, and the identity it claimed when it claimed one. */
  readonly peer: { readonly address?: string; readonly claimed?: string };
  /** Why: the fault subcode and reason, or the TLS error. */
  readonly reason: string;
}

export function securityAlertMessage(facts: SecurityAlertFacts, context: AuditSourceContext): AuditMessage {
  return {
    eventId: DCM.securityAlert,
    eventTypeCodes: [DCM.nodeAuthentication],
    eventActionCode: 'E',
    eventDateTime: facts.time,
    eventOutcomeIndicator: '4',
    eventOutcomeDescription: facts.reason,
    activeParticipants: [
      { userId: facts.endpoint, alternativeUserId: context.processId, userIsRequestor: false },
      { userId: facts.peer.claimed ?? 'unverified', userIsRequestor: true, networkAccessPointId: facts.peer.address },
    ],
    auditSource: { id: context.auditSourceId, enterpriseSiteId: context.enterpriseSiteId, typeCodes: [DCM.applicationServer] },
    participantObjects: [{
      id: facts.endpoint, typeCode: '2', typeCodeRole: '13',
      idTypeCode: { code: '12', codeSystemName: 'RFC-3881', originalText: 'URI' },
      details: [{ type: 'Alert Description', value: facts.reason }],
    }],
  };
}
