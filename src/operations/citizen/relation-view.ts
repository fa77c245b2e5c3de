import { isRelationActive, type Relation } from '../../domain/citizen-rights.js';

/** A relation as the APIs show it: persons as bare fiscal codes, times as ISO 8601, whether it holds now. */
export interface RelationView {
  readonly id: string;
  readonly kind: Relation['kind'];
  readonly patient: string;
  /** The person acting for the patient (for a delegation, the delegate). */
  readonly delegate: string;
  readonly documentTypes?: readonly string[];
  readonly from: string;
  readonly to?: string;
  readonly revokedAt?: string;
  readonly revokedBy?: { readonly subject: string; readonly role: string; readonly channel: string };
  readonly active: boolean;
  readonly recordedAt: string;
  readonly recordedBy: { readonly subject: string; readonly role: string; readonly channel: string };
}

export function relationViewOf(r: Relation, now: Date = new Date()): RelationView {
  return {
    id: r.id, kind: r.kind, patient: r.patient, delegate: r.agent,
    ...(r.documentTypes ? { documentTypes: [...r.documentTypes] } : {}),
    from: r.validFrom.toISOString(), ...(r.validTo ? { to: r.validTo.toISOString() } : {}),
    ...(r.revokedAt ? { revokedAt: r.revokedAt.toISOString() } : {}),
    ...(r.revokedBy ? { revokedBy: { ...r.revokedBy } } : {}),
    active: isRelationActive(r, now), recordedAt: r.recordedAt.toISOString(), recordedBy: { ...r.recordedBy },
  };
}
