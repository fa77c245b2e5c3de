import type { RegistryError } from '../errors/xds-codes.js';
import type { RepositoryUniqueId, UniqueId } from './ids.js';
import type { ResponseStatus } from './registry-response.js';

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

/** What ITI-43 answers: the documents found and an error for each one that was not. See: IHE ITI TF-2b 3.43.4.2. */
export interface RetrieveResponse {
  readonly status: ResponseStatus;
  readonly errors: readonly RegistryError[];
  readonly documents: readonly RetrievedDocument[];
}
