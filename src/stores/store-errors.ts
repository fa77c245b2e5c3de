import { registryError, type RegistryError, type XdsErrorCode } from '../errors/xds-codes.js';

/**
 * Control-signal errors of the registry and repository stores. Each carries the IHE error code it maps to, so the
 * SOAP and REST adapters map them mechanically (STYLE rule 9). See: IHE ITI TF-3 4.2.4.1 (registry error codes).
 */
export type XdsStoreErrorCode = Extract<XdsErrorCode,
  | 'XDSDuplicateUniqueIdInRegistry'
  | 'UnresolvedReferenceException'
  | 'ReferencesExistException'
  | 'XDSRegistryMetadataError'
  | 'XDSRegistryDeprecatedDocumentError'
  | 'XDSMetadataVersionError'
  | 'XDSMetadataUpdateError'
  | 'XDSMetadataUpdateOperationError'
  | 'XDSRepositoryMetadataError'
  | 'XDSPatientIdDoesNotMatch'>;

export abstract class RegistryStoreError extends Error {
  abstract readonly xdsCode: XdsStoreErrorCode;

  /** This error as a RegistryErrorList entry. */
  toRegistryError(): RegistryError {
    return registryError(this.xdsCode, this.message);
  }
}

export function isRegistryStoreError(value: unknown): value is RegistryStoreError {
  return value instanceof RegistryStoreError;
}

/** A DocumentEntry or SubmissionSet uniqueId already registered, or a document already in the repository. */
export class DuplicateUniqueIdError extends RegistryStoreError {
  override name = 'DuplicateUniqueIdError';
  readonly xdsCode = 'XDSDuplicateUniqueIdInRegistry' as const;
  constructor(readonly where: 'registry' | 'repository', detail: string, options?: ErrorOptions) {
    super(`duplicate uniqueId in the ${where}: ${detail}`, options);
  }
}

/** An entryUUID already used by another registry object (a submitter's urn:uuid id that is taken). */
export class DuplicateEntryUuidError extends RegistryStoreError {
  override name = 'DuplicateEntryUuidError';
  readonly xdsCode = 'XDSRegistryMetadataError' as const;
}

/** A removal would leave an association pointing at a removed object (IHE ITI-62). */
export class ReferencesExistError extends RegistryStoreError {
  override name = 'ReferencesExistError';
  readonly xdsCode = 'ReferencesExistException' as const;
}

/** ITI-57: an unsupported operation or status transition (OriginalStatus not the current one). */
export class MetadataUpdateOperationError extends RegistryStoreError {
  override name = 'MetadataUpdateOperationError';
  readonly xdsCode = 'XDSMetadataUpdateOperationError' as const;
}

/** A referenced object (association end, replaced entry, logicalID, entry to delete) is not in the registry. */
export class UnresolvedReferenceError extends RegistryStoreError {
  override name = 'UnresolvedReferenceError';
  readonly xdsCode = 'UnresolvedReferenceException' as const;
}

/** The entry a RPLC/XFRM_RPLC association replaces is not an Approved DocumentEntry. See: ITI TF-3 4.2.2.2. */
export class ReplaceTargetError extends RegistryStoreError {
  override name = 'ReplaceTargetError';
  readonly xdsCode = 'XDSRegistryMetadataError' as const;
}

/** ITI-57: the previous version is not the latest, or not Approved. See: xds-ini digest 4.5. */
export class MetadataVersionError extends RegistryStoreError {
  override name = 'MetadataVersionError';
  readonly xdsCode = 'XDSMetadataVersionError' as const;
}

/** Objects an update links (a Folder and a DocumentEntry, a Folder's versions) belong to different patients. */
export class PatientIdDoesNotMatchError extends RegistryStoreError {
  override name = 'PatientIdDoesNotMatchError';
  readonly xdsCode = 'XDSPatientIdDoesNotMatch' as const;
}

/** ITI-57: a new version changes an attribute that must stay (uniqueId, hash, size, repositoryUniqueId, ...). */
export class MetadataUpdateError extends RegistryStoreError {
  override name = 'MetadataUpdateError';
  readonly xdsCode = 'XDSMetadataUpdateError' as const;
}

/** The hash or size submitted for a document does not describe its bytes. See: IHE ITI TF-3 4.2.3.2.9 (ITI-41). */
export class DocumentDigestError extends RegistryStoreError {
  override name = 'DocumentDigestError';
  readonly xdsCode = 'XDSRepositoryMetadataError' as const;
}

interface PgErrorShape {
  readonly code?: string;
  readonly constraint?: string;
  readonly detail?: string;
}

/** Constraint names of the migrations that mean "this uniqueId is taken". */
const DUPLICATE_CONSTRAINTS: Readonly<Record<string, 'registry' | 'repository'>> = {
  document_entry_unique_id_version_key: 'registry',
  submission_set_unique_id_key: 'registry',
  folder_unique_id_version_key: 'registry',
  repository_document_pkey: 'repository',
};

/** Translates a PostgreSQL constraint violation into the store error it means; anything else is returned as is. */
export function translatePgError(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return error;
  const { code, constraint, detail } = error as PgErrorShape;
  const text = detail ?? (error as Error).message;
  if (code === '23505' && constraint !== undefined) {
    const where = DUPLICATE_CONSTRAINTS[constraint];
    if (where !== undefined) return new DuplicateUniqueIdError(where, text, { cause: error });
    if (constraint === 'registry_object_pkey') return new DuplicateEntryUuidError(text, { cause: error });
  }
  if (code === '23503') return new UnresolvedReferenceError(text, { cause: error });
  return error;
}
