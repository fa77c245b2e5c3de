/**
 * SOAP 1.2 faults: only for envelope, addressing and security problems; business failures are RegistryResponses
 * (STYLE rule 9). Subcodes are the QNames real XDS stacks use. See: xds-ini digest 2.1, 2.4; SOAP 1.2 Part 1 5.4;
 * WS-Addressing 1.0 SOAP Binding 6; WS-Security 1.1 12.
 */
export type FaultCode = 'VersionMismatch' | 'MustUnderstand' | 'Sender' | 'Receiver';

/** Subcodes as prefix:local; the prefixes are declared by the writer. */
export type FaultSubcode =
  | 'wsa:ActionNotSupported'
  | 'wsa:MessageAddressingHeaderRequired'
  | 'wsa:InvalidAddressingHeader'
  | 'wsa:OnlyAnonymousAddressSupported'
  | 'wsse:InvalidSecurity'
  | 'wsse:InvalidSecurityToken'
  | 'wsse:FailedAuthentication'
  | 'fse:MalformedMessage'
  | 'fse:MessageTooLarge'
  | 'fse:InternalError';

/** The namespaces of the subcode prefixes. */
export const SUBCODE_NS = {
  wsa: 'http://www.w3.org/2005/08/addressing',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  fse: 'urn:fse-bridge:soap:fault',
} as const;

/** A fault to answer with: code, optional subcode, an English reason, and for MustUnderstand the header not understood. */
export class SoapFault extends Error {
  override name = 'SoapFault';

  constructor(
    readonly code: FaultCode,
    readonly reason: string,
    readonly subcode?: FaultSubcode,
    readonly notUnderstood?: { readonly namespace: string; readonly localName: string },
  ) {
    super(`${code}${subcode ? `/${subcode}` : ''}: ${reason}`);
  }

  /**
   * The HTTP status of the SOAP 1.2 HTTP binding: 400 for Sender faults, 500 for the others; 413 for a request over the
   * size limit, so proxies and clients see the cause. See: SOAP 1.2 Part 2 7.5.1.2.
   */
  get httpStatus(): number {
    if (this.subcode === 'fse:MessageTooLarge') return 413;
    return this.code === 'Sender' ? 400 : 500;
  }
}

export function isSoapFault(value: unknown): value is SoapFault {
  return value instanceof SoapFault;
}
