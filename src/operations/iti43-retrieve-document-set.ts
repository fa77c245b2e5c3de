import type { DocumentRequest, RetrievedDocument } from '../domain/retrieve.js';
import { registryError, type RegistryError } from '../errors/xds-codes.js';
import type { RepositoryStore } from '../stores/repository-store.js';

/**
 * ITI-43 Retrieve Document Set from the regional repository: every requested document that is here, an error for
 * each one that is not (XDSDocumentUniqueIdError for an unknown document of a repository the bridge holds,
 * XDSUnknownRepositoryId for a repository it does not), one request at a time so that the answer keeps the request's
 * order; `iti43-federated-retrieve.ts` applies the access decision and asks INI for other regions' documents. See: xds-ini digest 4.3; IHE ITI TF-2b 3.43.4.2.3.
 */
export interface RetrieveDeps {
  readonly repository: RepositoryStore;
}

/** The error of a document the repository does not hold: also the answer for one the requester may not see. */
export function notInRepository(request: DocumentRequest): RegistryError {
  return registryError('XDSDocumentUniqueIdError', `document ${request.documentUniqueId} is not in repository ${request.repositoryUniqueId}`, request.documentUniqueId);
}

/** One request's answer: the document, or the error saying why it is not here. */
export async function retrieveOne(request: DocumentRequest, deps: RetrieveDeps): Promise<RetrievedDocument | RegistryError> {
  const stored = await deps.repository.getDocument(request.repositoryUniqueId, request.documentUniqueId);
  if (stored) return { ...request, mimeType: stored.mimeType, bytes: stored.bytes };
  if (await deps.repository.holdsRepository(request.repositoryUniqueId)) return notInRepository(request);
  return registryError('XDSUnknownRepositoryId', `repository ${request.repositoryUniqueId} is not served here`, request.repositoryUniqueId);
}

export const isRetrieved = (r: RetrievedDocument | RegistryError): r is RetrievedDocument => 'bytes' in r;
