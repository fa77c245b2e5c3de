/**
 * What a citizen's rights rest on, as the region records them: consultation consent and the relations through which
 * one person acts for another (delegate, parent, guardian). Stored by `stores/consent-store.ts` and
 * `stores/relation-store.ts`, read by the access decision (`access/decide.ts`). See: privacy digest 3, 5.
 */

/** Who recorded a consent or a relation, and through which channel. */
export interface RecordedBy {
  /** Fiscal code (bare, upper case) of the person who recorded it: the citizen, or the consent operator. */
  readonly subject: string;
  /** Their role as the credential said it (ASS, OGC, ...). */
  readonly role: string;
  /** `citizen-portal` (the citizen API), `operator` (the consent API), or another channel the region names. */
  readonly channel: string;
}

/** The latest consultation consent of a patient. */
export interface ConsentRecord {
  /** Bare fiscal code, upper case. */
  readonly patient: string;
  readonly consultation: boolean;
  readonly recordedAt: Date;
  readonly recordedBy: RecordedBy;
}

/** What the region knows of a patient's consultation consent: `unknown` when it holds no record. */
export type ConsentState = 'given' | 'withdrawn' | 'unknown';

export type RelationKind = 'delegate' | 'parent' | 'guardian';

/** A person (`agent`) acting for a patient. Both are bare upper-case fiscal codes. */
export interface Relation {
  readonly id: string;
  readonly kind: RelationKind;
  readonly patient: string;
  readonly agent: string;
  /** LOINC type codes the relation covers; absent means all of them. */
  readonly documentTypes?: readonly string[];
  readonly validFrom: Date;
  /** End of validity, exclusive; absent means open-ended. */
  readonly validTo?: Date;
  readonly revokedAt?: Date;
  /** Who revoked it (the patient, the delegate renouncing, an operator). */
  readonly revokedBy?: RecordedBy;
  readonly recordedAt: Date;
  readonly recordedBy: RecordedBy;
}

/** The relation holds at `now`: started, not ended, not revoked. */
export function isRelationActive(relation: Relation, now: Date): boolean {
  if (relation.revokedAt !== undefined && relation.revokedAt <= now) return false;
  if (relation.validFrom > now) return false;
  return relation.validTo === undefined || now < relation.validTo;
}
