import { writeXml, type XmlBuilder } from '../xml/xml-writer.js';

/**
 * The DICOM audit message, as a plain value, and its one encoder. Element and attribute names, their order and the
 * coded-value attributes (`csd-code`, `codeSystemName`, `originalText`) are those of the schema of DICOM PS3.15
 * A.5.1 (2024 edition); the per-transaction content is IHE's (see `transaction-events.ts`). The AuditMessage has no
 * namespace. Written with the project's XML writer, never with strings. See: DICOM PS3.15 A.5; STYLE rule 15.
 */

/** A DICOM coded value (PS3.15 A.5.1 CodedValueType): `originalText` is required, `displayName` optional. */
export interface CodedValue {
  readonly code: string;
  readonly codeSystemName: string;
  readonly originalText: string;
}

/** EventActionCode: Create, Read, Update, Delete, Execute. See: DICOM PS3.15 A.5.1. */
export type EventActionCode = 'C' | 'R' | 'U' | 'D' | 'E';

/** EventOutcomeIndicator: success, minor failure, serious failure, major failure. See: DICOM PS3.15 A.5.1. */
export type EventOutcomeIndicator = '0' | '4' | '8' | '12';

export interface ActiveParticipant {
  readonly userId: string;
  readonly alternativeUserId?: string;
  readonly userName?: string;
  readonly userIsRequestor: boolean;
  readonly roleIdCodes?: readonly CodedValue[];
  /** Host name or IP address of the participant's end of the connection. */
  readonly networkAccessPointId?: string;
}

export interface ParticipantObject {
  readonly id: string;
  /** 1 person, 2 system object, 3 organization, 4 other. */
  readonly typeCode: '1' | '2' | '3' | '4';
  /** ParticipantObjectTypeCodeRole (1 patient, 3 report, 13 security resource, 20 job, 24 query, ...). */
  readonly typeCodeRole: string;
  /** ParticipantObjectDataLifeCycle (15: permanent erasure). See: DICOM PS3.15 A.5.1.2.3. */
  readonly dataLifeCycle?: string;
  readonly idTypeCode: CodedValue;
  /** The query, as sent (bytes, written base64). */
  readonly query?: Uint8Array;
  /** ParticipantObjectDetail pairs; values are written base64. */
  readonly details?: readonly { readonly type: string; readonly value: string }[];
}

export interface AuditMessage {
  readonly eventId: CodedValue;
  readonly eventTypeCodes: readonly CodedValue[];
  readonly eventActionCode: EventActionCode;
  readonly eventDateTime: Date;
  readonly eventOutcomeIndicator: EventOutcomeIndicator;
  readonly eventOutcomeDescription?: string;
  readonly activeParticipants: readonly ActiveParticipant[];
  readonly auditSource: { readonly id: string; readonly enterpriseSiteId?: string; readonly typeCodes: readonly CodedValue[] };
  readonly participantObjects: readonly ParticipantObject[];
}

function coded(parent: XmlBuilder, name: string, value: CodedValue): void {
  parent.ele('', name, { 'csd-code': value.code, codeSystemName: value.codeSystemName, originalText: value.originalText });
}

const base64 = (s: string | Uint8Array): string => Buffer.from(s).toString('base64');

/** The AuditMessage XML (UTF-8 text with its declaration). */
export function encodeAuditMessage(message: AuditMessage): string {
  return writeXml((doc) => {
    const root = doc.ele('', 'AuditMessage');
    const event = root.ele('', 'EventIdentification', {
      EventActionCode: message.eventActionCode,
      EventDateTime: message.eventDateTime.toISOString(),
      EventOutcomeIndicator: message.eventOutcomeIndicator,
    });
    coded(event, 'EventID', message.eventId);
    for (const type of message.eventTypeCodes) coded(event, 'EventTypeCode', type);
    if (message.eventOutcomeDescription !== undefined) event.ele('', 'EventOutcomeDescription').txt(message.eventOutcomeDescription);
    for (const p of message.activeParticipants) {
      const el = root.ele('', 'ActiveParticipant', {
        UserID: p.userId,
        AlternativeUserID: p.alternativeUserId,
        UserName: p.userName,
        UserIsRequestor: String(p.userIsRequestor),
        NetworkAccessPointID: p.networkAccessPointId,
        // 1: machine name, 2: IP address. See: DICOM PS3.15 A.5.1 (NetworkAccessPointTypeCode).
        NetworkAccessPointTypeCode: p.networkAccessPointId === undefined ? undefined : isIpAddress(p.networkAccessPointId) ? '2' : '1',
      });
      for (const role of p.roleIdCodes ?? []) coded(el, 'RoleIDCode', role);
    }
    const source = root.ele('', 'AuditSourceIdentification', { AuditEnterpriseSiteID: message.auditSource.enterpriseSiteId, AuditSourceID: message.auditSource.id });
    for (const type of message.auditSource.typeCodes) coded(source, 'AuditSourceTypeCode', type);
    for (const o of message.participantObjects) {
      const el = root.ele('', 'ParticipantObjectIdentification', {
        ParticipantObjectID: o.id,
        ParticipantObjectTypeCode: o.typeCode,
        ParticipantObjectTypeCodeRole: o.typeCodeRole,
        ParticipantObjectDataLifeCycle: o.dataLifeCycle,
      });
      coded(el, 'ParticipantObjectIDTypeCode', o.idTypeCode);
      if (o.query) el.ele('', 'ParticipantObjectQuery').txt(base64(o.query));
      for (const d of o.details ?? []) el.ele('', 'ParticipantObjectDetail', { type: d.type, value: base64(d.value) });
    }
  });
}

function isIpAddress(s: string): boolean {
  return /^[\d.]+$/.test(s) || s.includes(':');
}
