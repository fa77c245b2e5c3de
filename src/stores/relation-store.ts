import type { RecordedBy, Relation, RelationKind } from '../domain/citizen-rights.js';

/**
 * Who acts for whom: delegations a citizen gives (ING), parents of minors (GEN), guardians the court appoints (TUT).
 * Nothing is deleted: a revocation is recorded with its time. Persons are keyed by `personKey`. See: privacy digest 5.
 */
export interface NewRelation {
  readonly kind: RelationKind;
  readonly patient: string;
  readonly agent: string;
  readonly documentTypes?: readonly string[];
  readonly validFrom: Date;
  readonly validTo?: Date;
  readonly recordedBy: RecordedBy;
}

export interface RelationStore {
  create(relation: NewRelation): Promise<Relation>;
  get(id: string): Promise<Relation | undefined>;
  /** Marks a relation revoked now; undefined when there is no such relation, the relation as it was if already revoked. */
  revoke(id: string, by: RecordedBy): Promise<Relation | undefined>;
  /** Every relation (active or not) in which `agent` acts for `patient`. */
  between(agent: string, patient: string): Promise<Relation[]>;
  /** The relations of a patient (who acts for them), newest first. */
  ofPatient(patient: string): Promise<Relation[]>;
  /** The relations in which a person acts for others, newest first. */
  ofAgent(agent: string): Promise<Relation[]>;
}
