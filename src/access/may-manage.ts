import { deny, type AccessDecision } from './access-decision.js';
import type { AccessPolicy } from './access-policy.js';
import { samePerson, type Requester } from './requester.js';

/**
 * Who may change a patient's rights records, as opposed to reading the record (`decide.ts`): the consultation
 * consent, the delegations the patient gives, and the parent and guardian relations the region records.
 * - The patient (ASS, purpose PERSONAL) gives or withdraws their consent and delegates access to others.
 * - A guardian (TUT) acts for the person under guardianship in both, through an active relation; a parent (GEN)
 *   states a minor's consent but does not delegate the minor's record to third persons.
 * - A delegate (ING) reads within the delegation and changes nothing.
 * - The region's rights operators (`rightsOperators`: OGC with purpose CONSENT, verified credential) record all of
 *   them on the citizen's behalf, and are the only ones who record parents and guardians (a court's or a registry
 *   office's fact, not the citizen's statement).
 * `grant` is the patient-level read decision for the same requester (it carries the relation a guardian or parent
 * acts through). See: privacy digest 3, 5.
 */
export type ManagedRight = 'consent' | 'delegation' | 'relation';

export function isRightsOperator(r: Requester, policy: AccessPolicy): boolean {
  return r.verified && r.role !== undefined && policy.rightsOperators.roles.includes(r.role)
    && r.purpose !== undefined && policy.rightsOperators.purposes.includes(r.purpose);
}

export function mayManage(r: Requester, right: ManagedRight, patient: string, grant: AccessDecision, policy: AccessPolicy): AccessDecision {
  if (isRightsOperator(r, policy)) return { allowed: true, capacity: 'system', emergency: false };
  if (right === 'relation') return deny('role', 'parents and guardians are recorded by the region\'s rights operators');
  if (!r.verified) return deny('unidentified', 'the credential is not verified');
  if (!grant.allowed) return grant;
  if ((grant.capacity === 'patient' || grant.capacity === 'open') && samePerson(r.subject, patient)) return grant;
  if (grant.capacity === 'guardian') return grant;
  if (grant.capacity === 'parent' && right === 'consent') return grant;
  return deny('role', `a ${grant.capacity} may not change the patient's ${right === 'consent' ? 'consent' : 'delegations'}`);
}
