import type { EntryUuid } from './ids.js';
import type { Submission } from './xds.js';

/**
 * The change an operation makes to the regional registry once the national Gateway has taken it (or cannot be
 * reached): what a SOAP producer submitted in ebRIM, kept with the operation so the registry records the producer's
 * own metadata. REST operations carry none; their metadata is built from the body, the JWT and the CDA.
 * See: xds-ini digest 1.2 (local indexing), 4.1, 4.5, 4.6.
 */
export type RegistryAction =
  /** ITI-41: the submission; its one DocumentEntry's bytes are the operation's PDF. */
  | { readonly kind: 'register'; readonly submission: Submission }
  /** ITI-57: new versions of DocumentEntries (lid and PreviousVersion on the HasMember), with their SubmissionSet. */
  | { readonly kind: 'update'; readonly submission: Submission }
  /** ITI-62: the objects to remove, DocumentEntries with every association that references them. */
  | { readonly kind: 'remove'; readonly uuids: readonly EntryUuid[] };
