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

/**
 * The event code that obscures a document (oscuramento): only the patient and the author see it. P00 states the
 * opposite at feeding time ("not obscured"), so it cannot stand beside P99. See: privacy digest 4; xds-ini digest 6.9.
 */
export const OBSCURED_EVENT_CODE = 'P99';
export const NOT_OBSCURED_EVENT_CODE = 'P00';

/** Whether a DocumentEntry's event codes obscure it (P99, matched case-insensitively as the Gateway does). */
export function hasObscuringCode(eventCodes: readonly { readonly code: string }[]): boolean {
  return eventCodes.some((c) => c.code.toUpperCase() === OBSCURED_EVENT_CODE);
}

/**
 * pending: sent upstream, the Gateway has not confirmed it (the stricter visibility applies locally); confirmed: the
 * Gateway took it (or the document is the region's alone, or there was nothing to send); refused: the Gateway refused
 * it (an obscuring stays in force locally, an un-obscuring does not take effect).
 */
export type VisibilityRequestState = 'pending' | 'confirmed' | 'refused';

/** A citizen's request (or an operator's on their behalf) to obscure or un-obscure one published document. */
export interface VisibilityRequest {
  readonly id: string;
  /** The document's uniqueId. */
  readonly uniqueId: string;
  /** The patient, as `personKey` keys them. */
  readonly patient: string;
  /** What was asked: true obscures (adds P99), false un-obscures (removes it). */
  readonly obscured: boolean;
  readonly requestedAt: Date;
  readonly requestedBy: RecordedBy;
  readonly state: VisibilityRequestState;
  readonly settledAt?: Date;
  /** The Gateway operation that carries it; absent when nothing had to be sent. */
  readonly operationId?: string;
  /** Why the Gateway refused it, as its answer says. */
  readonly reason?: string;
}
