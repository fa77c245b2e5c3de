import type { XmlElement } from 'libxml2-wasm';
import type { ResponseStatus } from '../domain/registry-response.js';
import type { RegistryError, XdsSeverity } from '../errors/xds-codes.js';
import { STATUS } from '../metadata/vocabulary.js';
import { attr, EBXML_NS, elements, requiredAttr } from './rim-read.js';
import type { XMLBuilder } from './rim-write.js';

/**
 * The `rs:RegistryErrorList` codec, shared by every response (RegistryResponse, AdhocQueryResponse,
 * RetrieveDocumentSetResponse). Hand-written: no npm library encodes ebRS 3.0. See: IHE ITI TF-3 4.2.4; ebRS 3.0
 * RegistryResponseType; xds-ini digest 3.6, 9.
 */

export const RESPONSE_STATUS_URN: Readonly<Record<ResponseStatus, string>> = {
  Success: STATUS.success,
  PartialSuccess: STATUS.partialSuccess,
  Failure: STATUS.failure,
};

const SEVERITY_URN: Readonly<Record<XdsSeverity, string>> = { Error: STATUS.error, Warning: STATUS.warning };

/** A RegistryError as read from another system's response: the code may be one the bridge never raises. */
export interface DecodedRegistryError extends Omit<RegistryError, 'code'> {
  readonly code: string;
}

/**
 * The status a response carries for its errors: warnings alone leave it Success; errors make it Failure, or
 * PartialSuccess when `someSucceeded` (ITI-43, ITI-18 federation). See: xds-ini digest 3.6.
 */
export function statusFor(errors: readonly Pick<RegistryError, 'severity'>[], someSucceeded = false): ResponseStatus {
  if (!errors.some((e) => e.severity === 'Error')) return 'Success';
  return someSucceeded ? 'PartialSuccess' : 'Failure';
}

/** Appends `rs:RegistryErrorList` to `parent`; nothing when the list is empty. */
export function encodeRegistryErrorList(errors: readonly RegistryError[], parent: XMLBuilder): void {
  if (errors.length === 0) return;
  const highest = errors.some((e) => e.severity === 'Error') ? 'Error' : 'Warning';
  const list = parent.ele(EBXML_NS.rs, 'rs:RegistryErrorList', { highestSeverity: SEVERITY_URN[highest] });
  for (const error of errors) {
    list.ele(EBXML_NS.rs, 'rs:RegistryError', {
      errorCode: error.code,
      codeContext: error.codeContext,
      ...(error.location === undefined ? {} : { location: error.location }),
      severity: SEVERITY_URN[error.severity],
    });
  }
}

/** Reads the `rs:RegistryErrorList/rs:RegistryError` children of a response element. */
export function decodeRegistryErrorList(response: XmlElement): DecodedRegistryError[] {
  return elements(response, 'rs:RegistryErrorList/rs:RegistryError').map((el) => {
    const location = attr(el, 'location');
    return {
      code: requiredAttr(el, 'errorCode'),
      codeContext: attr(el, 'codeContext') ?? '',
      severity: attr(el, 'severity') === STATUS.warning ? 'Warning' : 'Error',
      ...(location === undefined || location === '' ? {} : { location }),
    };
  });
}

/** The response status attribute as a {@link ResponseStatus}; an unknown URN is Failure (fail safe). */
export function decodeResponseStatus(el: XmlElement): ResponseStatus {
  const status = attr(el, 'status');
  if (status === STATUS.success) return 'Success';
  if (status === STATUS.partialSuccess) return 'PartialSuccess';
  return 'Failure';
}
