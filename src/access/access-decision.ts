import type { Relation } from '../domain/citizen-rights.js';

/**
 * The outcome of one access decision. A grant says in which capacity the requester reads (what the access log shows
 * next to both identities) and whether it is an emergency access; a refusal says which rule refused and why, in words
 * the access log and an operator can read. See: privacy digest 2-5.
 */
export type Capacity = 'patient' | 'professional' | 'delegate' | 'parent' | 'guardian' | 'system' | 'open';

export type DenyRule =
  | 'unidentified' | 'purpose' | 'action' | 'role' | 'patient-mismatch' | 'consent' | 'relation' | 'majority'
  | 'cone' | 'scope' | 'obscured' | 'restricted';

export type AccessDecision =
  | { readonly allowed: true; readonly capacity: Capacity; readonly emergency: boolean; readonly relation?: Relation }
  | { readonly allowed: false; readonly rule: DenyRule; readonly reason: string };

export const deny = (rule: DenyRule, reason: string): AccessDecision => ({ allowed: false, rule, reason });

/**
 * How refusals go into the access log: one `access:<rule>: <reason>` per distinct refusal among the record's error
 * codes. Reasons name rules, codes and types, never a document id or metadata (the log is shown to the patient).
 */
export function refusalCodes(refusals: readonly string[]): string[] {
  return refusals.map((r) => `access:${r}`);
}
