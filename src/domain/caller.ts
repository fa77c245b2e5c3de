/**
 * Who called the bridge over SOAP, as far as the request tells: the attributes of a SAML assertion (XUA, the INI
 * style), or a client certificate mapped in configuration. The SOAP front door records it and builds the Gateway's
 * JWT claims from it; the federation issue adds the signature checks. See: xds-ini digest 2.6, 7.2, 8.3.
 */
export interface CallerIdentity {
  /** How the identity was established. */
  readonly source: 'saml' | 'certificate' | 'anonymous';
  /** True when a SAML assertion's signature was verified against the trust store (else it is only a statement). */
  readonly verified?: boolean;
  /** Operator CX (`CF^^^&2.16.840.1.113883.2.9.4.3.2&ISO`): SAML subject-id or NameID. */
  readonly subjectId?: string;
  /** `urn:oasis:names:tc:xacml:2.0:subject:role` (AAS, APR, ...). */
  readonly role?: string;
  readonly organizationId?: string;
  readonly organization?: string;
  /** XON of the operator's facility (`environment:locality`). */
  readonly locality?: string;
  readonly purposeOfUse?: string;
  readonly actionId?: string;
  /** Patient CX the call is about (`resource:resource-id`). */
  readonly resourceId?: string;
  readonly patientConsent?: boolean;
  /** `resource:hl7:type`, as sent (`('CODE^^2.16.840.1.113883.6.1')`). */
  readonly documentTypes?: string;
  readonly applicationId?: string;
  readonly applicationVendor?: string;
  readonly applicationVersion?: string;
  /** SAML Issuer, or the certificate subject. */
  readonly issuer?: string;
  /** Assertion ID or certificate SHA-256 fingerprint: what the access log records as the credential. */
  readonly credentialId?: string;
}

export const ANONYMOUS_CALLER: CallerIdentity = { source: 'anonymous' };
