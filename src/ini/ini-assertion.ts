import type { CallerIdentity } from '../domain/caller.js';
import type { RegionIdentity } from '../metadata/submission-to-gateway.js';
import { buildSignedAssertion } from '../saml/assertion-signer.js';
import type { SamlSigner } from '../saml/saml-signer.js';

/**
 * The assertion the region sends INI for one call: Issuer = the region's organization code, the operator and role of
 * the person on whose behalf the call is made (a regional consumer's own identity, never a system role for
 * consultations), the purpose of use and action of the operation, the patient. Attributes the caller's identity does
 * not state come from the region (organization, facility, application). See: xds-ini digest 7.2, 7.3 (last
 * paragraph), pitfall 20.
 */
export interface IniRequester {
  readonly identity: CallerIdentity;
  /** Patient CX (`resource-id`). */
  readonly patientId: string;
  readonly purposeOfUse: string;
  /** CREATE, READ, UPDATE, DELETE. See: xds-ini digest 6.15. */
  readonly actionId: string;
  /** `resource:hl7:type`, e.g. `('11502-2^^2.16.840.1.113883.6.1')`. */
  readonly documentTypes?: string;
}

/** What the region puts in an assertion when the operator's own identity is silent. */
export interface RegionAssertionDefaults extends RegionIdentity {
  /** XON of the region's facility for `environment:locality`. */
  readonly locality: string;
  /** The region's system identity (CX) for messages made by the region itself (reconciliation). */
  readonly systemSubject: string;
  readonly signer: SamlSigner;
}

export function iniAssertion(requester: IniRequester, region: RegionAssertionDefaults, now = new Date()): { id: string; xml: string } {
  const who = requester.identity;
  const [appId, vendor, version] = region.defaultApplication.split('^');
  const subject = who.subjectId ?? region.systemSubject;
  return buildSignedAssertion({
    issuer: region.code,
    subjectNameId: subject,
    now,
    attributes: {
      ...(who.patientConsent === undefined ? {} : { patientConsent: who.patientConsent }),
      role: who.role ?? 'NOR',
      subjectId: subject,
      ...(requester.documentTypes ?? who.documentTypes ? { documentTypes: requester.documentTypes ?? who.documentTypes } : {}),
      locality: who.locality ?? region.locality,
      purposeOfUse: requester.purposeOfUse,
      organizationId: region.code,
      organization: region.name,
      resourceId: requester.patientId,
      actionId: requester.actionId,
      applicationId: who.applicationId ?? appId ?? 'FSEBRIDGE',
      applicationVendor: who.applicationVendor ?? vendor ?? 'FSE BRIDGE',
      applicationVersion: who.applicationVersion ?? version ?? '0',
    },
  }, region.signer);
}
