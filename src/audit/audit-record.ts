/**
 * The access log's record, transport-neutral: the SOAP front door, the INI client and the REST routes each fill one
 * per message. Field names are English; the values are the ones the message carried (SAML attributes, JWT claims).
 * See: xds-ini digest 1.3 (transactions), 6.12 (organizations), 6.13 (roles), 6.14 (purposeofuse), 7.2 (attributes).
 */

/** `inbound`: a system called the bridge; `outbound`: the bridge called a system (INI, another region through INI). */
export type AuditDirection = 'inbound' | 'outbound';

/** The XDS RegistryResponse status, short form. See: xds-ini digest 3.6. */
export type AuditOutcome = 'Success' | 'PartialSuccess' | 'Failure';

/**
 * Names of the audited transactions: the IHE ones, INI's delete, and the REST operations. An open list, as the
 * REST operation names belong to the REST adapter; the log stores whatever name it is given.
 */
export type AuditTransaction =
  | 'ITI-18' | 'ITI-43' | 'ITI-42' | 'ITI-57' | 'ITI-62' | 'INI-delete' | 'REST-audit-accesses' | (string & {});

/** What the caller of {@link AuditLog.record} supplies. Absent optional fields are stored as NULL. */
export interface AuditEntry {
  readonly direction: AuditDirection;
  readonly transaction: AuditTransaction;
  /**
   * The other end: for inbound messages the calling system (SAML Issuer, certificate subject, JWT `iss`), for
   * outbound ones the system called (`INI`, a region code such as `030`).
   */
  readonly counterpart: string;
  /** Operator CX (`CF^^^&2.16.840.1.113883.2.9.4.3.2&ISO`): SAML subject-id, JWT `sub`. */
  readonly subjectId?: string;
  /** `urn:oasis:names:tc:xacml:2.0:subject:role` (AAS, APR, ASS, INI, ...). */
  readonly subjectRole?: string;
  /** `urn:oasis:names:tc:xspa:1.0:subject:organization-id` (120, 000, ...). */
  readonly organizationId?: string;
  /** `urn:oasis:names:tc:xspa:1.0:subject:organization` (Regione Lazio, INI, ...). */
  readonly organizationName?: string;
  /** `urn:oasis:names:tc:xspa:1.0:subject:purposeofuse` (TREATMENT, EMERGENCY, PERSONAL, ...). */
  readonly purposeOfUse?: string;
  /**
   * The patient CX the message is about, as the request named it (`resource-id`, `$XDSDocumentEntryPatientId`, or the
   * patient of the retrieved documents). Only records with a patient show in {@link AuditLog.listByPatient}.
   */
  readonly patientId?: string;
  /**
   * uniqueIds of the documents the message read, returned or changed: what the requester actually got, after the
   * obscuring filters (xds-ini digest 10 item 21). Never metadata: the log must not leak obscured attributes.
   */
  readonly documentIds?: readonly string[];
  readonly outcome: AuditOutcome;
  /** `rs:RegistryError/@errorCode` values, or problem types of REST answers. */
  readonly errorCodes?: readonly string[];
  /** The correlation trace id of the call. */
  readonly traceId?: string;
  /** SAML assertion ID or client certificate SHA-256 fingerprint: which credential the call was made with. */
  readonly credentialId?: string;
}

/** A stored record: the entry, normalised (see `normalise-entry.ts`), with its chain position and hashes. */
export interface AuditRecord extends Omit<AuditEntry, 'documentIds' | 'errorCodes'> {
  /** Position in the chain: 1, 2, 3, ... without gaps. */
  readonly id: number;
  /** Version of the canonical form the record was hashed with. */
  readonly canonicalVersion: number;
  /** Database clock at append, millisecond precision; non-decreasing along the chain. */
  readonly recordedAt: Date;
  readonly documentIds: readonly string[];
  readonly errorCodes: readonly string[];
  /** Hash of the previous record (64 zeros for the genesis record, id 1). Lowercase hex SHA-256. */
  readonly prevHash: string;
  /** `sha256(prevHash || canonical form)`, lowercase hex. See: `canonical-form.ts`. */
  readonly hash: string;
}
