import type { EntryUuid } from './ids.js';
import type { MetadataUpdateRequest } from './publication-request.js';
import type { Submission } from './xds.js';

/**
 * The change an operation makes to the regional registry once the national Gateway has taken it (or cannot be
 * reached), built once when the operation is submitted and kept with it, so the worker applies it without reading
 * the call again. A SOAP producer's is its own ebRIM (an XDS.b producer expects to find its entryUUIDs, slots and
 * associations); a REST producer's is built as the Gateway builds it for INI, from the body, the JWT and the CDA.
 * Changes that name a document by the path of the call are resolved when applied: the operation they follow (a
 * creation still in the queue) may not be indexed yet when they are submitted.
 * See: xds-ini digest 1.2 (local indexing), 4.1, 4.2, 4.5, 4.6; Gateway API digest 1.4, 8.2.
 */
export type RegistryAction =
  /**
   * A publication (ITI-41 or REST create, replace, validate-and-*): the submission; its one DocumentEntry's bytes are
   * the operation's PDF. `replacing` (REST replace): the uniqueId of the document replaced, whose Approved entry the
   * RPLC association points to when applied.
   */
  | { readonly kind: 'register'; readonly submission: Submission; readonly replacing?: string }
  /** ITI-57: new versions of DocumentEntries (lid and PreviousVersion on the HasMember), with their SubmissionSet. */
  | { readonly kind: 'update'; readonly submission: Submission }
  /**
   * A citizen's obscuring or un-obscuring (P99) of the document `target` (a uniqueId): the region's ITI-57 Submission
   * built when asked, applied to the Approved entry in force when applied (rebased when another version came first;
   * nothing to do when that entry already has the obscuring asked); `requestId` the visibility request the answer
   * settles. See: privacy digest 4.
   */
  | { readonly kind: 'visibility'; readonly target: string; readonly obscured: boolean; readonly submission: Submission; readonly requestId: string }
  /** REST metadata update: the request's fields, merged into the Approved entry of `target` (a uniqueId) when applied. */
  | { readonly kind: 'update-entry'; readonly target: string; readonly fields: MetadataUpdateRequest }
  /** ITI-62: the objects to remove, DocumentEntries with every association that references them. */
  | { readonly kind: 'remove'; readonly uuids: readonly EntryUuid[] }
  /** REST delete: the Approved entry of `target` (a uniqueId). */
  | { readonly kind: 'delete-entry'; readonly target: string }
  /**
   * One document's publication of a multi-document ITI-41: the operation alone indexes nothing. The whole submission
   * (every document, its Folders and Associations) is registered once, in one transaction, by the ITI-41 operation
   * when every publication is accepted: all or nothing. `submissionSetId` is the SubmissionSet's uniqueId.
   * See: IHE ITI TF-2 3.41.4.1.3; docs/multi-document.md.
   */
  | { readonly kind: 'with-submission'; readonly submissionSetId: string }
  /**
   * Nothing the registry can record: the bridge could not read the call (a body or a PDF it cannot decode). The call
   * still goes to the Gateway, which judges it (no regional check blocks a call); `reason` is what the bridge could
   * not read, reported if the Gateway accepts the call anyway. See: Gateway API digest 1.4.
   */
  | { readonly kind: 'unreadable'; readonly reason: string };
