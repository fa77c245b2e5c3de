import type { RepositoryUniqueId } from '../domain/ids.js';
import type { DocumentEntry } from '../domain/xds.js';
import { registryError, type RegistryError } from '../errors/xds-codes.js';
import { digestOf } from '../stores/repository-store.js';

/**
 * Sets the repository's hash, size and repositoryUniqueId of a submitted DocumentEntry, refusing submitted values that
 * disagree with the document's bytes. See: IHE ITI TF-3 4.2.3.2.9; xds-ini digest 4.1 step 2.
 */
export function withDigest(entry: DocumentEntry, bytes: Uint8Array, repositoryUniqueId: string): { entry: DocumentEntry; errors: RegistryError[] } {
  const digest = digestOf(bytes);
  const errors: RegistryError[] = [];
  if (entry.hash !== undefined && entry.hash.toLowerCase() !== digest.hash) {
    errors.push(registryError('XDSRepositoryMetadataError', `hash ${entry.hash} of ${entry.uniqueId} does not match the document (${digest.hash})`, entry.uniqueId));
  }
  if (entry.size !== undefined && entry.size !== digest.size) {
    errors.push(registryError('XDSRepositoryMetadataError', `size ${entry.size} of ${entry.uniqueId} does not match the document (${digest.size} bytes)`, entry.uniqueId));
  }
  return { entry: { ...entry, ...digest, repositoryUniqueId: repositoryUniqueId as RepositoryUniqueId }, errors };
}
