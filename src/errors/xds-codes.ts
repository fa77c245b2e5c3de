/**
 * The XDS side of the one error catalogue (STYLE rule 9): every `rs:RegistryError/@errorCode` the bridge answers
 * with, and what it means. Codecs, stores and operations raise errors carrying one of these codes; the SOAP adapter
 * writes them into a RegistryErrorList unchanged. See: xds-ini digest 9; IHE ITI TF-3 Table 4.2.4.1-2.
 */
export const XDS_ERROR_CODES = {
  XDSRegistryError: 'Internal registry error',
  XDSRepositoryError: 'Internal repository error',
  XDSRegistryNotAvailable: 'The registry (or the national Gateway behind it) could not be reached',
  XDSRegistryBusy: 'Too much activity, retry later',
  XDSRepositoryBusy: 'Too much activity, retry later',
  XDSRegistryOutOfResources: 'Registry resources exhausted',
  XDSRepositoryOutOfResources: 'Repository resources exhausted',
  XDSRegistryMetadataError: 'Metadata invalid',
  XDSRepositoryMetadataError: 'Metadata invalid at the repository, hash or size not matching the document',
  XDSMissingDocument: 'DocumentEntry without an attached document',
  XDSMissingDocumentMetadata: 'Attached document without a DocumentEntry',
  XDSRegistryDuplicateUniqueIdInMessage: 'The same uniqueId twice in one message',
  XDSRepositoryDuplicateUniqueIdInMessage: 'The same document uniqueId twice in one message',
  XDSDuplicateUniqueIdInRegistry: 'uniqueId already in the registry',
  XDSNonIdenticalHash: 'DocumentEntry uniqueId already present with a different hash',
  XDSNonIdenticalSize: 'DocumentEntry uniqueId already present with a different size',
  XDSUnknownPatientId: 'Patient id not known in the affinity domain',
  XDSPatientIdDoesNotMatch: 'Patient ids of the submission differ',
  XDSResultNotSinglePatient: 'Result spans more than one patient',
  XDSTooManyResults: 'Result too large for LeafClass',
  XDSStoredQueryMissingParam: 'Required stored query parameter absent',
  XDSStoredQueryParamNumber: 'Parameter given several values, or mutually exclusive parameters both given',
  XDSUnknownStoredQuery: 'Stored query id not supported',
  XDSRegistryDeprecatedDocumentError: 'The target of APND/XFRM/RPLC is Deprecated',
  XDSReplaceFailed: 'Replace processing failed',
  XDSUnknownRepositoryId: 'repositoryUniqueId not resolvable',
  XDSDocumentUniqueIdError: 'Document not available for the uniqueId',
  XDSExtraMetadataNotSaved: 'Extra metadata not stored (warning)',
  XDSMetadataUpdateError: 'Metadata update not allowed',
  XDSMetadataVersionError: 'PreviousVersion is not the latest Approved version',
  XDSPatientIDReconciliationError: 'Patient id change not allowed',
  XDSMetadataUpdateOperationError: 'Unsupported update operation or status transition',
  UnresolvedReferenceException: 'Referenced object does not exist',
  ReferencesExistException: 'Object still referenced by associations not being deleted',
  XDSUnreferencedObjectException: 'Removal would leave unreferenced objects',
  XDSRemoveDocumentsError: 'Document removal failed (ITI-86)',
  InvalidDocumentContent: 'A document failed the content checks (CDA validation)',
} as const;

export type XdsErrorCode = keyof typeof XDS_ERROR_CODES;

export type XdsSeverity = 'Error' | 'Warning';

/** One entry of a RegistryErrorList, transport-neutral. See: IHE ITI TF-3 4.2.4. */
export interface RegistryError {
  readonly code: XdsErrorCode;
  /** Human-readable: what was wrong, naming the object or parameter. */
  readonly codeContext: string;
  /** Where: a uniqueId, an id, a parameter name. */
  readonly location?: string;
  readonly severity: XdsSeverity;
}

/** Any error that knows its XDS code, so transports map it mechanically. */
export class XdsError extends Error {
  override name = 'XdsError';
  readonly location?: string;

  constructor(readonly code: XdsErrorCode, readonly codeContext: string, options: { location?: string; cause?: unknown } = {}) {
    super(`${code}: ${codeContext}`, { cause: options.cause });
    this.location = options.location;
  }

  /** This error as a RegistryErrorList entry of severity Error. */
  toRegistryError(): RegistryError {
    return { code: this.code, codeContext: this.codeContext, severity: 'Error', ...(this.location === undefined ? {} : { location: this.location }) };
  }
}

export function isXdsError(value: unknown): value is XdsError {
  return value instanceof XdsError;
}

/** A RegistryErrorList entry; severity Error unless said. */
export function registryError(code: XdsErrorCode, codeContext: string, location?: string, severity: XdsSeverity = 'Error'): RegistryError {
  return { code, codeContext, severity, ...(location === undefined ? {} : { location }) };
}
