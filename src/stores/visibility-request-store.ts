import type { RecordedBy, VisibilityRequest } from '../domain/citizen-rights.js';

/**
 * Citizens' requests to obscure or un-obscure a document, and what the Gateway made of each: the access decision
 * reads the latest request of each document of a patient, once per patient and request, and applies the stricter
 * visibility while it is not confirmed. Patients are keyed by `personKey`. See: privacy digest 4.
 */
export interface NewVisibilityRequest {
  /** A UUID chosen by the caller: the Gateway operation that carries the request derives from it. */
  readonly id: string;
  readonly uniqueId: string;
  readonly patient: string;
  readonly obscured: boolean;
  readonly requestedBy: RecordedBy;
  /** `confirmed` at once when nothing has to be sent upstream; `pending` by default. */
  readonly state?: 'pending' | 'confirmed';
  readonly operationId?: string;
}

export interface VisibilityRequestStore {
  /**
   * Records a request, unless the latest request of the same document is pending and asks the same: then that one,
   * with `created` false (a citizen pressing twice makes one request). Atomic per document.
   */
  record(request: NewVisibilityRequest): Promise<{ request: VisibilityRequest; created: boolean }>;
  get(id: string): Promise<VisibilityRequest | undefined>;
  /** The latest request of each of these documents (none for a document never asked about). */
  latestOf(uniqueIds: readonly string[]): Promise<VisibilityRequest[]>;
  /** The latest request of each document of the patient. */
  latestOfPatient(patient: string): Promise<VisibilityRequest[]>;
  /** Every request of the patient, newest first. */
  history(patient: string, limit: number): Promise<VisibilityRequest[]>;
  /** Settles a pending request (once: a settled one is returned as it is); undefined when there is no such request. */
  settle(id: string, state: 'confirmed' | 'refused', reason?: string): Promise<VisibilityRequest | undefined>;
}
