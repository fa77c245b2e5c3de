import type { XmlElement } from 'libxml2-wasm';
import type { CallerIdentity } from '../domain/caller.js';
import { NS } from '../xml/xml-toolkit.js';

/**
 * Reads the identity a SAML 2.0 assertion states: Issuer, Subject NameID and the attributes INI defines. No trust is
 * implied by reading: `verifyAssertion` (assertion-verifier.ts) checks signature, time and values, and applies these
 * readers to the signed content only. See: xds-ini digest 7.1, 7.2, 7.6.
 */

/** Attribute names of the INI assertion. See: xds-ini digest 7.2. */
export const SAML_ATTRIBUTE = {
  patientConsent: 'urn:oasis:names:tc:xspa:1.0:resource:patient:consent',
  role: 'urn:oasis:names:tc:xacml:2.0:subject:role',
  subjectId: 'urn:oasis:names:tc:xacml:1.0:subject:subject-id',
  documentTypes: 'urn:oasis:names:tc:xspa:1.0:resource:hl7:type',
  locality: 'urn:oasis:names:tc:xspa:1.0:environment:locality',
  purposeOfUse: 'urn:oasis:names:tc:xspa:1.0:subject:purposeofuse',
  organizationId: 'urn:oasis:names:tc:xspa:1.0:subject:organization-id',
  organization: 'urn:oasis:names:tc:xspa:1.0:subject:organization',
  resourceId: 'urn:oasis:names:tc:xacml:1.0:resource:resource-id',
  actionId: 'urn:oasis:names:tc:xacml:1.0:action:action-id',
  applicationId: 'SubjectApplicationId',
  applicationVendor: 'SubjectApplicationVendor',
  applicationVersion: 'SubjectApplicationVersion',
  /** The authenticating system (`GTW_950` for the Gateway); not part of {@link CallerIdentity}. */
  subjectAuthenticator: 'SubjectAuthenticator',
} as const;

/** Keys of {@link SAML_ATTRIBUTE}. */
export type SamlAttributeKey = keyof typeof SAML_ATTRIBUTE;

const ns = { saml2: NS.saml2, wsse: NS.wsse };

function textOf(el: XmlElement, xpath: string): string | undefined {
  const found = el.find(xpath, ns)[0];
  const value = found?.content.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** The assertion inside a `wsse:Security` header, if any. */
export function findAssertion(security: XmlElement): XmlElement | undefined {
  const found = security.find('saml2:Assertion', ns)[0];
  return found && 'attrs' in found ? (found as XmlElement) : undefined;
}

/** The identity an assertion states (values trimmed; absent attributes left out). */
export function identityOfAssertion(assertion: XmlElement): CallerIdentity {
  const attribute = (name: string): string | undefined => {
    for (const a of assertion.find('saml2:AttributeStatement/saml2:Attribute', ns)) {
      if (!('attrs' in a)) continue;
      const el = a as XmlElement;
      if (el.attr('Name')?.value === name) return textOf(el, 'saml2:AttributeValue');
    }
    return undefined;
  };
  const consent = attribute(SAML_ATTRIBUTE.patientConsent);
  const identity: Record<string, unknown> = {
    source: 'saml',
    subjectId: attribute(SAML_ATTRIBUTE.subjectId) ?? textOf(assertion, 'saml2:Subject/saml2:NameID'),
    role: attribute(SAML_ATTRIBUTE.role),
    organizationId: attribute(SAML_ATTRIBUTE.organizationId),
    organization: attribute(SAML_ATTRIBUTE.organization),
    locality: attribute(SAML_ATTRIBUTE.locality),
    purposeOfUse: attribute(SAML_ATTRIBUTE.purposeOfUse),
    actionId: attribute(SAML_ATTRIBUTE.actionId),
    resourceId: attribute(SAML_ATTRIBUTE.resourceId),
    patientConsent: consent === undefined ? undefined : consent.toLowerCase() === 'true',
    documentTypes: attribute(SAML_ATTRIBUTE.documentTypes),
    applicationId: attribute(SAML_ATTRIBUTE.applicationId),
    applicationVendor: attribute(SAML_ATTRIBUTE.applicationVendor),
    applicationVersion: attribute(SAML_ATTRIBUTE.applicationVersion),
    issuer: textOf(assertion, 'saml2:Issuer'),
    credentialId: assertion.attr('ID')?.value,
  };
  return Object.fromEntries(Object.entries(identity).filter(([, v]) => v !== undefined)) as unknown as CallerIdentity;
}
