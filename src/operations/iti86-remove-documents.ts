import type { DocumentRequest } from '../domain/retrieve.js';
import type { RegistryResponse } from '../domain/registry-response.js';
import { statusFor } from '../ebxml/registry-error-list.js';
import { registryError, type RegistryError } from '../errors/xds-codes.js';
import type { RegistryStore } from '../stores/registry-store.js';
import type { RepositoryStore } from '../stores/repository-store.js';

/**
 * ITI-86 Remove Documents on the regional repository: removes the bytes of each requested document, never its
 * metadata (that is ITI-62, `iti62-delete-document-set.ts`). Each request stands alone, as the RMD supplement's
 * response allows: Success when every document went, PartialSuccess when some did, Failure when none did
 * (IHE ITI RMD 3.86.4.2). Per request: a repository the bridge does not serve is XDSUnknownRepositoryId, a document it
 * does not hold XDSDocumentUniqueIdError (the ITI-43 codes for the same facts, IHE ITI TF-2b 3.43.4.2.3).
 *
 * Regional policy: bytes whose DocumentEntry is still in the registry are not removed (XDSRemoveDocumentsError). In
 * the FSE a delete is the cancellation of the index entry, through the Gateway and INI (ITI-62), and only then are
 * the bytes removed from the repository (xds-ini digest 4.6, "Italian semantics"); removing them first would leave a
 * DocumentEntry, nationally indexed, that no ITI-43 can serve. So the authorisation of a removal is the ITI-62 that
 * came before it, checked by the Gateway; the SOAP door adds the SAML action-id DELETE of ITI-62 (xds-ini digest 7.6).
 * A later ITI-43 of a removed document answers XDSDocumentUniqueIdError, as for any document the repository lacks.
 */
export interface RemoveDocumentsDeps {
  readonly repository: RepositoryStore;
  readonly registry: RegistryStore;
}

export interface RemoveDocumentsResult extends RegistryResponse {
  /** The documents whose bytes were removed, for the access log. */
  readonly removed: readonly DocumentRequest[];
}

async function removeOne(request: DocumentRequest, deps: RemoveDocumentsDeps): Promise<RegistryError | undefined> {
  const { repositoryUniqueId, documentUniqueId } = request;
  if (!(await deps.repository.holdsRepository(repositoryUniqueId))) {
    return registryError('XDSUnknownRepositoryId', `repository ${repositoryUniqueId} is not served here`, repositoryUniqueId);
  }
  if ((await deps.repository.getDocument(repositoryUniqueId, documentUniqueId)) === undefined) {
    return registryError('XDSDocumentUniqueIdError', `document ${documentUniqueId} is not in repository ${repositoryUniqueId}`, documentUniqueId);
  }
  const entry = await deps.registry.getDocumentEntry({ uniqueId: documentUniqueId });
  if (entry !== undefined) {
    return registryError('XDSRemoveDocumentsError',
      `document ${documentUniqueId} is still registered (DocumentEntry ${entry.entryUuid}, ${entry.status}): remove its metadata first (ITI-62)`, documentUniqueId);
  }
  // Another removal between the read and the delete leaves nothing to remove: the same answer as an absent document.
  if (!(await deps.repository.removeDocument(repositoryUniqueId, documentUniqueId))) {
    return registryError('XDSDocumentUniqueIdError', `document ${documentUniqueId} is not in repository ${repositoryUniqueId}`, documentUniqueId);
  }
  return undefined;
}

export async function removeDocuments(requests: readonly DocumentRequest[], deps: RemoveDocumentsDeps): Promise<RemoveDocumentsResult> {
  const errors: RegistryError[] = [];
  const removed: DocumentRequest[] = [];
  for (const request of requests) {
    const error = await removeOne(request, deps);
    if (error) errors.push(error);
    else removed.push(request);
  }
  return { status: statusFor(errors, removed.length > 0), errors, removed };
}
