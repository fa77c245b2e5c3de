import { XdsError, type XdsErrorCode } from '../errors/xds-codes.js';

export type { XdsErrorCode };

/**
 * A metadata problem found while decoding ebRIM: an XDS error code (the `rs:RegistryError/@errorCode` the SOAP adapter
 * answers with) and a codeContext naming what was wrong. Business failure, answered in a RegistryErrorList, not a
 * fault. See: xds-ini digest 9; IHE ITI TF-3 4.2.4.
 */
export class EbxmlError extends XdsError {
  override name = 'EbxmlError';
}

/** Runs an id parser and turns its format error into an {@link EbxmlError} (validate at the edge, STYLE rule 8). */
export function parseOrFail<T>(parse: (value: string) => T, value: string, what: string): T {
  try {
    return parse(value);
  } catch (cause) {
    throw new EbxmlError('XDSRegistryMetadataError', `${what}: invalid value '${value}'`, { cause });
  }
}
