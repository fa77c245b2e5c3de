import type { RepositoryUniqueId, UniqueId } from './ids.js';

/**
 * ITI-43 in the domain: which documents are asked for and what comes back. See: xds-ini digest 4.3; IHE ITI TF-2b
 * 3.43.4.
 */
export interface DocumentRequest {
  readonly repositoryUniqueId: RepositoryUniqueId;
  readonly documentUniqueId: UniqueId;
  readonly homeCommunityId?: string;
}

export interface RetrievedDocument extends DocumentRequest {
  readonly mimeType: string;
  readonly bytes: Uint8Array;
}
