import { FISCAL_CODE_OID } from '../../domain/ids.js';
import { SAML_ATTRIBUTE } from '../../saml/assertion-attributes.js';
import type { AssertionInput } from '../../saml/assertion-builder.js';
import type { VerifiedAssertion } from '../../saml/assertion-verifier.js';
import { buildSignedAssertion } from '../../saml/assertion-signer.js';
import type { SamlSigner } from '../../saml/saml-signer.js';

/**
 * The assertions INI signs for its own calls to the regions. What INI presents is an open question (Appendix B item 2);
 * the simulator's answer, documented here:
 * - forwards (ITI-42 "comunicazione metadati", ITI-57, INI delete): INI speaks for itself: Issuer and organization-id
 *   `000`, organization `INI`, role `INI`; the operation's action-id; the purposeofuse, locality, consent and document
 *   types of the message it received; resource-id the patient; NameID and subject-id the original operator when the
 *   received assertion named one;
 * - relays (ITI-18, ITI-43 routed to a region): Issuer `000` (INI signs), but the requester's attributes — role,
 *   purposeofuse, subject-id, consent, organization-id and organization of the requesting region, locality,
 *   document types, application — with action-id READ.
 * See: xds-ini digest 1.4 F, 4.8, 7.1-7.3, 7.6.
 */

/** INI's own identity in its assertions. See: xds-ini digest 1.4 F, 6.12 (`000` INI), 6.13 (role INI). */
export const INI_IDENTITY = {
  issuer: '000',
  role: 'INI',
  organizationId: '000',
  organization: 'INI',
  /** INI's facility when the message it relays names none. */
  locality: 'INI^^^^^&2.16.840.1.113883.2.9.4.1.3&ISO^^^^000',
  /** INI's system subject, when the message it relays names no operator. */
  subject: `INI00000000000000^^^&${FISCAL_CODE_OID}&ISO`,
  applicationId: 'INI',
  applicationVendor: 'SOGEI',
  applicationVersion: 'SIM-1',
} as const;

export type AssertionTemplate = Omit<AssertionInput, 'now'>;

/** INI's assertion for a forward to the RDA. */
export function forwardAssertion(inbound: VerifiedAssertion, actionId: string, patientId: string): AssertionTemplate {
  const who = inbound.identity;
  const subjectId = inbound.attributes[SAML_ATTRIBUTE.subjectId]?.[0];
  return {
    issuer: INI_IDENTITY.issuer,
    subjectNameId: subjectId ?? inbound.subject.nameId,
    attributes: {
      ...(who.patientConsent === undefined ? {} : { patientConsent: who.patientConsent }),
      role: INI_IDENTITY.role,
      ...(subjectId === undefined ? {} : { subjectId }),
      ...(who.documentTypes === undefined ? {} : { documentTypes: who.documentTypes }),
      locality: who.locality ?? INI_IDENTITY.locality,
      purposeOfUse: who.purposeOfUse ?? 'TREATMENT',
      organizationId: INI_IDENTITY.organizationId,
      organization: INI_IDENTITY.organization,
      resourceId: patientId,
      actionId,
      applicationId: INI_IDENTITY.applicationId,
      applicationVendor: INI_IDENTITY.applicationVendor,
      applicationVersion: INI_IDENTITY.applicationVersion,
    },
  };
}

/** INI's assertion for a query or retrieve it routes to a region, carrying the requester's attributes. */
export function relayAssertion(inbound: VerifiedAssertion): AssertionTemplate {
  const who = inbound.identity;
  const subjectId = inbound.attributes[SAML_ATTRIBUTE.subjectId]?.[0];
  return {
    issuer: INI_IDENTITY.issuer,
    subjectNameId: inbound.subject.nameId || INI_IDENTITY.subject,
    attributes: {
      ...(who.patientConsent === undefined ? {} : { patientConsent: who.patientConsent }),
      role: who.role ?? INI_IDENTITY.role,
      ...(subjectId === undefined ? {} : { subjectId }),
      ...(who.documentTypes === undefined ? {} : { documentTypes: who.documentTypes }),
      locality: who.locality ?? INI_IDENTITY.locality,
      purposeOfUse: who.purposeOfUse ?? 'TREATMENT',
      organizationId: who.organizationId ?? INI_IDENTITY.organizationId,
      organization: who.organization ?? INI_IDENTITY.organization,
      resourceId: who.resourceId ?? '',
      actionId: 'READ',
      applicationId: who.applicationId ?? INI_IDENTITY.applicationId,
      applicationVendor: who.applicationVendor ?? INI_IDENTITY.applicationVendor,
      applicationVersion: who.applicationVersion ?? INI_IDENTITY.applicationVersion,
    },
  };
}

/** Signs a template now (a forward retried later is signed again, with a fresh validity window). */
export function signTemplate(template: AssertionTemplate, signer: SamlSigner): string {
  return buildSignedAssertion({ ...template, now: new Date() }, signer).xml;
}
