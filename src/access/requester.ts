import type { CallerIdentity } from '../domain/caller.js';
import { fiscalCodeOf, personKey } from '../domain/ids.js';

/**
 * Who asks to read, in the terms the access decision uses, whatever door the request came through: a SAML assertion
 * (a hospital, another region through INI), a mapped TLS client certificate, the citizen API's token, or nobody.
 * See: privacy digest 1; xds-ini digest 6.13-6.15, 7.2.
 */
export interface Requester {
  /** How the identity was established; `token` is a verified JWT of the REST doors (citizen API, status API). */
  readonly channel: 'saml' | 'certificate' | 'token' | 'anonymous';
  /** The credential's signature was checked against the region's trust store. */
  readonly verified: boolean;
  /** The request came from INI (a verified assertion with INI's Issuer): a relay for another region's requester. */
  readonly viaIni: boolean;
  /** The person asking, as {@link personKey} keys them (fiscal code when the id is the MEF's). */
  readonly subject?: string;
  /** `subject:role` (APR, INF, ASS, GEN, ...). */
  readonly role?: string;
  /** `purposeofuse` (TREATMENT, EMERGENCY, PERSONAL, ...). */
  readonly purpose?: string;
  readonly actionId?: string;
  readonly organizationId?: string;
  /** The patient the credential is about (SAML `resource-id`, the token's `person_id`), as {@link personKey} keys them. */
  readonly patient?: string;
  /** What the credential claims of the patient's consent (`resource:patient:consent`); a claim, never proof. */
  readonly consentClaim?: boolean;
}

const key = (cx: string | undefined) => (cx === undefined || cx === '' ? undefined : personKey(cx));

/** The requester a SOAP caller identity describes. `viaIni` is the front door's verdict on the Issuer. */
export function requesterOfCaller(caller: CallerIdentity, viaIni: boolean): Requester {
  return {
    channel: caller.source, verified: caller.verified === true, viaIni,
    subject: key(caller.subjectId), role: caller.role, purpose: caller.purposeOfUse, actionId: caller.actionId,
    organizationId: caller.organizationId, patient: key(caller.resourceId), consentClaim: caller.patientConsent,
  };
}

/** The same person, compared by fiscal code when both ids are the MEF's. */
export function samePerson(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const fa = fiscalCodeOf(a) ?? a;
  const fb = fiscalCodeOf(b) ?? b;
  return fa === fb;
}
