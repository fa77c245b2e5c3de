import type { AccessDecision } from '../access/access-decision.js';
import type { AccessPolicy } from '../access/access-policy.js';
import type { Requester } from '../access/requester.js';
import type { DocumentEntry } from '../domain/xds.js';
import type { AssistedPatientStore } from '../stores/assisted-patient-store.js';
import type { ConsentStore } from '../stores/consent-store.js';
import type { RelationStore } from '../stores/relation-store.js';

/**
 * The one access decision of every read path, with the facts it needs fetched once per request: the patient's
 * consent, whether the region is their RDA, the requester's relations to them. Every path (ITI-18, ITI-43, INI's
 * inbound calls, federated answers, the REST status API, the citizen API) asks a guard made for its request, and
 * records `refusals` in the access log. See: privacy digest 2-5.
 */
export interface AccessGuardDeps {
  readonly policy: AccessPolicy;
  readonly consents: ConsentStore;
  readonly relations: RelationStore;
  readonly patients: AssistedPatientStore;
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
