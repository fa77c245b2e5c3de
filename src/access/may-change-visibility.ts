import { isRelationActive, OBSCURED_EVENT_CODE, type Relation } from '../domain/citizen-rights.js';
import type { AccessPolicy } from './access-policy.js';
import { decideDocument, type DocumentFacts, type Grant } from './decide.js';
import { samePerson, type Requester } from './requester.js';

/**
 * Who may obscure or un-obscure a document, as a pure function: the patient themselves, a guardian with an active
 * guardian relation, or an operator whose role the policy lists (`visibilityOperators`) acting on the citizen's
 * behalf. The patient and the guardian must be able to see the document, its obscuring aside (a P98 document is not
 * the patient's to discover; a guardian who obscured a document may undo it although P99 hides it from them); an
 * operator does not consult, so no document rule applies to them. Delegates and parents consult but do not decide
 * the obscuring (the digest gives the choice to the citizen; a guardian acts as the court decides).
 * See: privacy digest 4, 5; xds-ini digest 6.9, 6.13.
 */
export type VisibilityChanger = 'patient' | 'guardian' | 'operator';

export type VisibilityChangeDecision =
  | { readonly allowed: true; readonly capacity: VisibilityChanger }
  /** `hidden`: the requester may change the obscuring of this patient's documents, but may not see this one. */
  | { readonly allowed: false; readonly hidden: boolean; readonly reason: string };

export interface VisibilityChangeFacts {
  /** The document's patient, as `personKey` keys them. */
  readonly patient: string;
  /** The relations in which the requester acts for the patient, active or not. */
  readonly relations: readonly Relation[];
  readonly document: DocumentFacts;
}

const refuse = (reason: string, hidden = false): VisibilityChangeDecision => ({ allowed: false, hidden, reason });

/** The document's facts without the code whose change is asked: what the changer sees it by. */
function withoutObscuring(doc: DocumentFacts): DocumentFacts {
  return { ...doc, eventCodes: doc.eventCodes.filter((c) => c.toUpperCase() !== OBSCURED_EVENT_CODE) };
}

function seen(requester: Requester, grant: Grant, capacity: VisibilityChanger, doc: DocumentFacts, policy: AccessPolicy): VisibilityChangeDecision {
  const d = decideDocument(requester, grant, withoutObscuring(doc), policy);
  return d.allowed ? { allowed: true, capacity } : refuse(d.reason, true);
}

export function mayChangeVisibility(requester: Requester, facts: VisibilityChangeFacts, policy: AccessPolicy, now: Date): VisibilityChangeDecision {
  const { role, subject } = requester;
  if (!requester.verified) return refuse('the credential is not verified');
  if (role === undefined || subject === undefined) return refuse('the credential names no person or no role');
  if (policy.visibilityOperators.includes(role)) return { allowed: true, capacity: 'operator' };
  if (policy.citizenRoles.self.includes(role)) {
    if (!samePerson(subject, facts.patient)) return refuse(`role ${role} changes only the requester's own documents`);
    return seen(requester, { allowed: true, capacity: 'patient', emergency: false }, 'patient', facts.document, policy);
  }
  if (policy.citizenRoles.guardian.includes(role)) {
    const relation = facts.relations.find((r) => r.kind === 'guardian' && samePerson(r.patient, facts.patient) && isRelationActive(r, now));
    if (relation === undefined) return refuse('no active guardian relation with the patient');
    return seen(requester, { allowed: true, capacity: 'guardian', emergency: false, relation }, 'guardian', facts.document, policy);
  }
  return refuse(`role ${role} may not change a document's obscuring`);
}
