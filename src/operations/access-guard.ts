import type { AccessDecision } from '../access/access-decision.js';
import type { AccessPolicy } from '../access/access-policy.js';
import { decideDocument, decidePatient, type DocumentFacts, type PatientFacts } from '../access/decide.js';
import { personKey, type PatientId } from '../domain/ids.js';
import type { Requester } from '../access/requester.js';
import type { DocumentEntry } from '../domain/xds.js';
import type { AssistedPatientStore } from '../stores/assisted-patient-store.js';
import type { ConsentStore } from '../stores/consent-store.js';
import type { RelationStore } from '../stores/relation-store.js';
import type { VisibilityRequestStore } from '../stores/visibility-request-store.js';
import { effectiveObscured } from '../access/effective-obscuring.js';
import { OBSCURED_EVENT_CODE, hasObscuringCode, type VisibilityRequest } from '../domain/citizen-rights.js';

/**
 * The one access decision of every read path, with the facts it needs fetched once per request: the patient's
 * consent, whether the region is their RDA, the requester's relations to them. Every path (ITI-18, ITI-43, INI's
 * inbound calls, federated answers, the REST status API, the citizen API) asks a guard made for its request, and
 * records `refusals` in the access log. A document a citizen asked to obscure counts as obscured from the request on,
 * and one they asked to un-obscure only once the Gateway confirmed it (`effectiveObscured`). See: privacy digest 2-5.
 */
export interface AccessGuardDeps {
  readonly policy: AccessPolicy;
  readonly consents: ConsentStore;
  readonly relations: RelationStore;
  readonly patients: AssistedPatientStore;
  /** Citizens' obscuring requests: the latest of each document, read once per patient and request. */
  readonly visibility: VisibilityRequestStore;
}

export interface AccessGuard {
  readonly requester: Requester;
  /** May the requester consult this patient's record at all (CX)? Decided once per patient and request. */
  patient(patientId: string): Promise<AccessDecision>;
  /** The decision for one document: the patient's decision, then the document's own rules. */
  entry(entry: DocumentEntry): Promise<AccessDecision>;
  /** The entries the requester may see, in their order; every hidden one adds to `refusals`. */
  visible<T extends DocumentEntry>(entries: readonly T[]): Promise<T[]>;
  /** Why something was refused or hidden during this request, for the access log (no document ids, no metadata). */
  readonly refusals: readonly string[];
  /** True when a grant was an emergency access (EMERGENCY, PUBEMERGENCY without consent rules). */
  readonly emergency: boolean;
}

const codesOf = (codes: readonly { code: string }[]) => codes.map((c) => c.code);

/**
 * The facts of one document the decision reads; with the patient's visibility requests, P99 is among its event codes
 * whenever the document counts as obscured (a request not yet confirmed), whatever the entry says.
 */
export function documentFacts(entry: DocumentEntry, requests: readonly VisibilityRequest[] = []): DocumentFacts {
  const eventCodes = codesOf(entry.eventCodes);
  const stricter = !hasObscuringCode(entry.eventCodes) && effectiveObscured(entry, requests);
  return {
    typeCode: entry.typeCode.code, eventCodes: stricter ? [...eventCodes, OBSCURED_EVENT_CODE] : eventCodes,
    confidentialityCodes: codesOf(entry.confidentialityCodes), authors: entry.authors.flatMap((a) => (a.person ? [a.person] : [])),
  };
}

/** The guard of one request: facts fetched once per patient, each refusal counted once per rule and reason. */
export function createAccessGuard(requester: Requester, deps: AccessGuardDeps, now: Date = new Date()): AccessGuard {
  const decisions = new Map<string, Promise<AccessDecision>>();
  const requests = new Map<string, Promise<VisibilityRequest[]>>();
  /** The patient's visibility requests, fetched once per patient and request. */
  const requestsOf = (patientId: string): Promise<VisibilityRequest[]> => {
    const key = personKey(patientId);
    let found = requests.get(key);
    if (found === undefined) {
      found = deps.visibility.latestOfPatient(key);
      requests.set(key, found);
    }
    return found;
  };
  const refusals: string[] = [];
  let emergency = false;
  const note = (d: AccessDecision) => {
    if (d.allowed) return;
    const text = `${d.rule}: ${d.reason}`;
    if (!refusals.includes(text)) refusals.push(text);
  };
  const facts = async (patientId: string): Promise<PatientFacts> => {
    const patient = personKey(patientId);
    const role = requester.role;
    const agent = role !== undefined && [...deps.policy.citizenRoles.delegate, ...deps.policy.citizenRoles.parent, ...deps.policy.citizenRoles.guardian].includes(role);
    const [consent, assisted, relations] = await Promise.all([
      deps.policy.consentRequiredFor.length > 0 ? deps.consents.stateOf(patient) : Promise.resolve('unknown' as const),
      deps.patients.isAssisted(patientId as PatientId),
      agent && requester.subject !== undefined ? deps.relations.between(requester.subject, patient) : Promise.resolve([]),
    ]);
    return { patient, consent, assisted, relations };
  };
  const patient = (patientId: string): Promise<AccessDecision> => {
    let decision = decisions.get(patientId);
    if (decision === undefined) {
      decision = deps.policy.open ? Promise.resolve(decidePatient(requester, { patient: patientId, consent: 'unknown', assisted: false, relations: [] }, deps.policy, now))
        : facts(patientId).then((f) => decidePatient(requester, f, deps.policy, now));
      decision = decision.then((d) => {
        note(d);
        if (d.allowed && d.emergency) emergency = true;
        return d;
      });
      decisions.set(patientId, decision);
    }
    return decision;
  };
  const entry = async (e: DocumentEntry): Promise<AccessDecision> => {
    const granted = await patient(e.patientId);
    if (!granted.allowed) return granted;
    // Open and system readers see every document, obscured or not: no request to read for them.
    const pending = granted.capacity === 'open' || granted.capacity === 'system' ? [] : await requestsOf(e.patientId);
    const d = decideDocument(requester, granted, documentFacts(e, pending), deps.policy);
    note(d);
    return d;
  };
  return {
    requester, patient, entry,
    async visible(entries) {
      const kept = [];
      for (const e of entries) if ((await entry(e)).allowed) kept.push(e);
      return kept;
    },
    get refusals() { return refusals; },
    get emergency() { return emergency; },
  };
}
