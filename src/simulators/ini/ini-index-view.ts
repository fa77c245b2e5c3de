import type { EntryUuid } from '../../domain/ids.js';
import type { Association, DocumentEntry, SubmissionSet } from '../../domain/xds.js';
import type { RegistryError } from '../../errors/xds-codes.js';

/**
 * What the simulated INI index shows and plans, apart from the index itself, so the write checks can read the index
 * without importing it (the index runs the checks). See: ini-index.ts.
 */

/** A planned write: refused, already done (an identical resend), or to do. */
export type Planned<P> =
  | { readonly kind: 'errors'; readonly errors: readonly RegistryError[] }
  | { readonly kind: 'already' }
  | { readonly kind: 'plan'; readonly plan: P };

/** What a delete removes, and the DocumentEntries of each patient (whose RDA hears of it). */
export interface RemovePlan {
  readonly entries: readonly EntryUuid[];
  readonly associations: readonly EntryUuid[];
  readonly submissionSets: readonly EntryUuid[];
  readonly entriesByPatient: ReadonlyMap<string, readonly EntryUuid[]>;
  /** The UUIDs as requested (an identical resend is recognised by them). */
  readonly requested: readonly EntryUuid[];
}

/** Read access to the index, for tests and for the query handlers. */
export interface IniIndexView {
  /** Every version of a document: the Approved one first, then the others newest first. See: xds-ini digest 4.4, 4.7. */
  versionsOf(uniqueId: string): DocumentEntry[];
  approvedOf(uniqueId: string): DocumentEntry | undefined;
  entry(entryUuid: string): DocumentEntry | undefined;
  /** Every version sharing a logicalID, oldest first. */
  versionsOfLogicalId(logicalId: string): DocumentEntry[];
  submissionSet(entryUuid: string): SubmissionSet | undefined;
  submissionSets(): SubmissionSet[];
  association(entryUuid: string): Association | undefined;
  /** Associations whose source or target is one of `uuids`. */
  associationsOf(uuids: readonly string[]): Association[];
  /** The uniqueIds indexed, in order of first registration. */
  uniqueIds(): string[];
  /** Number of DocumentEntry objects (all versions). */
  readonly entryCount: number;
}
