import { isRelationActive, type ConsentState, type Relation, type RelationKind } from '../domain/citizen-rights.js';
import { deny, type AccessDecision, type Capacity } from './access-decision.js';
import type { AccessPolicy } from './access-policy.js';
import { ageAt, birthDateOf } from './birth-date.js';
import { samePerson, type Requester } from './requester.js';

/**
 * The access decision, as pure functions of the requester, the facts the region holds and the policy file: first
 * whether the requester may consult this patient at all, then, for each document, whether this one is visible.
 * No I/O here: `operations/access-guard.ts` fetches the facts once per request. See: privacy digest 2-6;
 * xds-ini digest 4.8, 6.9, 6.10, 6.13-6.15, 7.6.
 */
export interface PatientFacts {
  /** The patient, as `personKey` keys them. */
  readonly patient: string;
  readonly consent: ConsentState;
  /** The region is the patient's RDA (it holds their consents and relations). */
  readonly assisted: boolean;
  /** The relations in which the requester acts for this patient, active or not. */
  readonly relations: readonly Relation[];
}

export interface DocumentFacts {
  readonly typeCode?: string;
  readonly eventCodes: readonly string[];
  readonly confidentialityCodes: readonly string[];
  /** The authors' person ids (XCN or CX). */
  readonly authors: readonly string[];
}

export type Grant = Extract<AccessDecision, { allowed: true }>;

/** The requester with the role and purpose the policy gives callers who state none; or why they are refused. */
export function effectiveRequester(r: Requester, policy: AccessPolicy): Requester | AccessDecision {
  if (r.channel === 'anonymous' || (r.channel === 'certificate' && r.role === undefined)) {
    const as = policy.unidentified[r.channel === 'anonymous' ? 'anonymous' : 'certificate'];
    if (policy.open) return r;
    if (as === null) {
      return deny('unidentified', r.channel === 'anonymous' ? 'the caller is not identified' : 'the client certificate maps to no role');
    }
    return { ...r, role: r.role ?? as.role, purpose: r.purpose ?? as.purpose };
  }
  if (r.channel === 'certificate' && r.purpose === undefined) {
    const as = policy.unidentified.certificate;
    if (as === null && !policy.open) return deny('purpose', 'the client certificate states no purpose of use');
    return as === null ? r : { ...r, purpose: as.purpose };
  }
  return r;
}

export function categoryOf(role: string | undefined, policy: AccessPolicy): string | undefined {
  if (role === undefined) return undefined;
  return Object.entries(policy.categories).find(([, roles]) => roles.includes(role))?.[0];
}

function agentKind(role: string, policy: AccessPolicy): RelationKind | undefined {
  if (policy.citizenRoles.delegate.includes(role)) return 'delegate';
  if (policy.citizenRoles.parent.includes(role)) return 'parent';
  if (policy.citizenRoles.guardian.includes(role)) return 'guardian';
  return undefined;
}

const grant = (capacity: Capacity, emergency = false, relation?: Relation): Grant => ({ allowed: true, capacity, emergency, relation });

function decideSystem(r: Requester, role: string, purpose: string, policy: AccessPolicy): AccessDecision {
  if (!r.verified) return deny('role', `system role ${role} needs a verified assertion`);
  if (role === 'INI' && !r.viaIni) return deny('role', 'role INI is only INI\'s, signed with INI\'s Issuer');
  if (!policy.systemRoles.purposes.includes(purpose)) return deny('purpose', `system role ${role} reads for ${policy.systemRoles.purposes.join('/')} only`);
  return grant('system');
}

function decideAgent(r: Requester, kind: RelationKind, facts: PatientFacts, policy: AccessPolicy, now: Date): AccessDecision {
  if (r.patient !== undefined && !samePerson(r.patient, facts.patient)) return deny('patient-mismatch', 'the credential is for another patient');
  const active = facts.relations.filter((rel) => rel.kind === kind && isRelationActive(rel, now));
  if (active.length === 0) return deny('relation', `no active ${kind} relation with the patient`);
  if (kind === 'parent') {
    const birth = birthDateOf(facts.patient, now);
    if (birth === undefined) return deny('majority', 'the patient\'s age cannot be established from their id');
    if (ageAt(birth, now) >= policy.majorityAge) return deny('majority', `the patient is ${policy.majorityAge} or older: a parent no longer acts for them`);
  }
  // An unrestricted relation wins over a scoped one; among scoped ones, the first (relations add, never narrow).
  const relation = active.find((rel) => rel.documentTypes === undefined) ?? {
    ...active[0]!, documentTypes: [...new Set(active.flatMap((rel) => rel.documentTypes ?? []))],
  };
  return grant(kind, false, relation);
}

function decideProfessional(r: Requester, purpose: string, facts: PatientFacts, policy: AccessPolicy): AccessDecision {
  if (!policy.professionalPurposes.includes(purpose)) return deny('purpose', `purpose of use ${purpose} does not allow a professional to read`);
  if (r.channel === 'saml' && r.patient === undefined) return deny('patient-mismatch', 'the assertion names no patient (resource-id)');
  if (r.patient !== undefined && !samePerson(r.patient, facts.patient)) return deny('patient-mismatch', 'the assertion is for another patient');
  if (policy.consentRequiredFor.includes(purpose)) {
    if (facts.consent === 'withdrawn') return deny('consent', 'the patient withdrew the consultation consent');
    if (facts.consent === 'unknown') {
      if (facts.assisted && policy.assistedWithoutConsentRecord === 'missing') return deny('consent', 'the region holds no consultation consent of its patient');
      if (r.consentClaim !== true) return deny('consent', 'the credential does not state the patient\'s consent');
    }
  }
  return grant('professional', policy.emergencyPurposes.includes(purpose));
}

/** May the requester consult this patient's record at all? */
export function decidePatient(requester: Requester, facts: PatientFacts, policy: AccessPolicy, now: Date): AccessDecision {
  if (policy.open) return grant('open');
  const r = effectiveRequester(requester, policy);
  if ('allowed' in r) return r;
  if (r.actionId !== undefined && r.actionId !== 'READ') return deny('action', `action-id ${r.actionId} is not READ`);
  const { role, purpose } = r;
  if (role === undefined) return deny('role', 'the credential states no role');
  if (purpose === undefined) return deny('purpose', 'the credential states no purpose of use');
  if (policy.systemRoles.roles.includes(role)) return decideSystem(r, role, purpose, policy);
  const citizen = policy.citizenRoles.self.includes(role) || agentKind(role, policy) !== undefined;
  if (citizen && !policy.citizenPurposes.includes(purpose)) return deny('purpose', `purpose of use ${purpose} does not allow a citizen to read`);
  if (policy.citizenRoles.self.includes(role)) {
    return samePerson(r.subject, facts.patient) ? grant('patient') : deny('patient-mismatch', `role ${role} reads only the requester's own record`);
  }
  const kind = agentKind(role, policy);
  if (kind !== undefined) return decideAgent(r, kind, facts, policy, now);
  if (categoryOf(role, policy) !== undefined) return decideProfessional(r, purpose, facts, policy);
  return deny('role', `role ${role} may not consult the FSE`);
}

/** Whether one document of a patient the requester was granted is visible to them. */
export function decideDocument(requester: Requester, granted: Grant, doc: DocumentFacts, policy: AccessPolicy): AccessDecision {
  if (granted.capacity === 'open' || granted.capacity === 'system') return granted;
  const r = effectiveRequester(requester, policy) as Requester;
  const author = doc.authors.some((a) => samePerson(a, r.subject));
  const type = doc.typeCode ?? '(none)';
  if (granted.capacity === 'professional') {
    if (r.purpose !== undefined && policy.authorOnlyPurposes.includes(r.purpose) && !author) return deny('scope', `purpose ${r.purpose} shows only the requester's own documents`);
    const category = categoryOf(r.role, policy);
    const cone = (doc.typeCode !== undefined ? policy.cones[doc.typeCode] : undefined) ?? policy.defaultCone;
    if (!author && (category === undefined || !cone.includes(category))) return deny('cone', `category ${category ?? r.role} may not read type ${type}`);
  }
  const scope = granted.relation?.documentTypes;
  if (scope !== undefined && (doc.typeCode === undefined || !scope.includes(doc.typeCode))) return deny('scope', `the ${granted.capacity} relation does not cover type ${type}`);
  for (const code of doc.eventCodes) {
    const rule = policy.obscuring[code.toUpperCase()];
    if (!rule) continue;
    const party = granted.capacity;
    const exempt = rule.visibleTo?.some((p) => (p === 'author' ? author : p === party));
    if (rule.visibleTo && !exempt) return deny('obscured', `${code.toUpperCase()} obscures the document`);
    if (rule.hiddenFrom?.some((p) => p === party)) return deny('obscured', `${code.toUpperCase()} hides the document from the ${party}`);
  }
  for (const code of doc.confidentialityCodes) {
    const rule = policy.restricted[code];
    if (rule && granted.capacity !== 'patient' && !author && !(r.role !== undefined && rule.roles.includes(r.role))) {
      return deny('restricted', `confidentiality ${code} is for the patient and ${rule.roles.join('/')}`);
    }
  }
  return granted;
}
