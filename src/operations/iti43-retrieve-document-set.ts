import { type DocumentRequest, type RetrievedDocument, type RetrieveResponse } from '../domain/retrieve.js';
import { registryError, type RegistryError } from '../errors/xds-codes.js';
import { statusFor } from '../ebxml/registry-error-list.js';
import type { RepositoryStore } from '../stores/repository-store.js';

/**
 * ITI-43 Retrieve Document Set from the regional repository: every requested document that is here, an error for
 * each one that is not (XDSDocumentUniqueIdError for an unknown document of a repository the bridge holds,
 * XDSUnknownRepositoryId for a repository it does not), and PartialSuccess when only some came back. Documents of
 * other regions reach INI from the federation issue on. See: xds-ini digest 4.3; IHE ITI TF-2b 3.43.4.2.3.
 */
export interface RetrieveDeps {
  readonly repository: RepositoryStore;
}

/** The error of a document the repository does not hold: also the answer for one the requester may not see. */
export function notInRepository(request: DocumentRequest): RegistryError {
  return registryError('XDSDocumentUniqueIdError', `document ${request.documentUniqueId} is not in repository ${request.repositoryUniqueId}`, request.documentUniqueId);
}

export async function retrieveDocumentSet(requests: readonly DocumentRequest[], deps: RetrieveDeps): Promise<RetrieveResponse> {
  const documents: RetrievedDocument[] = [];
  const errors: RegistryError[] = [];
  for (const request of requests) {
    const stored = await deps.repository.getDocument(request.repositoryUniqueId, request.documentUniqueId);
    if (stored) {
      documents.push({ ...request, mimeType: stored.mimeType, bytes: stored.bytes });
    } else if (await deps.repository.holdsRepository(request.repositoryUniqueId)) {
      errors.push(notInRepository(request));
    } else {
      errors.push(registryError('XDSUnknownRepositoryId', `repository ${request.repositoryUniqueId} is not served here`, request.repositoryUniqueId));
    }
  }
  return { status: statusFor(errors, documents.length > 0), errors, documents };
}
