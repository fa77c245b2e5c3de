/**
 * The error the ebRIM codecs raise: an XDS error code (the `rs:RegistryError/@errorCode` the SOAP adapter will
 * answer with) and a codeContext naming what was wrong. See: xds-ini digest 9; IHE ITI TF-3 4.2.4.
 */
export type XdsErrorCode =
  | 'XDSRegistryMetadataError'
  | 'XDSRepositoryMetadataError'
  | 'UnresolvedReferenceException';

/** A metadata problem found while decoding ebRIM; business failure, answered in a RegistryErrorList, not a fault. */
export class EbxmlError extends Error {
  override name = 'EbxmlError';

  constructor(readonly code: XdsErrorCode, readonly codeContext: string, options: { cause?: unknown } = {}) {
    super(`${code}: ${codeContext}`, options);
  }
}

/** Runs an id parser and turns its format error into an {@link EbxmlError} (validate at the edge, STYLE rule 8). */
export function parseOrFail<T>(parse: (value: string) => T, value: string, what: string): T {
  try {
    return parse(value);
  } catch (cause) {
    throw new EbxmlError('XDSRegistryMetadataError', `${what}: invalid value '${value}'`, { cause });
  }
}
