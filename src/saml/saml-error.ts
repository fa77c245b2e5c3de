import type { FaultSubcode } from '../soap-wire/soap-fault.js';

/**
 * The one error of assertion verification: a `reason` for logs, tests and metrics, and the WS-Security fault subcode
 * a SOAP front door answers with. The message says what failed; it is for logs and must not be echoed to the caller in
 * more detail than the subcode. See: xds-ini digest 7.6; WS-Security 1.1 section 12; STYLE rule 9.
 */
export type SamlFailureReason =
  /** Not an assertion, not well-formed, a DTD, too large, a required element missing. */
  | 'malformed'
  /** No `ds:Signature` in the assertion. */
  | 'unsigned'
  /** Signature wrapping: extra or misplaced signatures, references or IDs; content the signature does not cover. */
  | 'wrapping'
  /** A signature, digest, canonicalisation or transform algorithm outside the allowed set. */
  | 'algorithm'
  /** The signing certificate is not one of the trusted ones (or is outside its validity). */
  | 'untrusted-key'
  /** Digest or signature value wrong: content changed after signing, or signed by another key. */
  | 'bad-signature'
  | 'expired'
  | 'not-yet-valid'
  | 'audience'
  /** Issuer not allowed, or not allowed for the certificate that signed. */
  | 'issuer'
  /** A required attribute missing, repeated, or a value outside its value set. */
  | 'attribute';

/**
 * Fault subcode per reason. WS-Security's UnsupportedAlgorithm and FailedCheck are not among the front door's
 * subcodes, so algorithm problems are InvalidSecurity and signature failures FailedAuthentication.
 * See: WS-Security 1.1 section 12; xds-ini digest 7.6.
 */
export const SAML_FAULT_SUBCODE = {
  malformed: 'wsse:InvalidSecurityToken',
  unsigned: 'wsse:InvalidSecurityToken',
  wrapping: 'wsse:InvalidSecurity',
  algorithm: 'wsse:InvalidSecurity',
  'untrusted-key': 'wsse:FailedAuthentication',
  'bad-signature': 'wsse:FailedAuthentication',
  expired: 'wsse:InvalidSecurityToken',
  'not-yet-valid': 'wsse:InvalidSecurityToken',
  audience: 'wsse:FailedAuthentication',
  issuer: 'wsse:FailedAuthentication',
  attribute: 'wsse:FailedAuthentication',
} as const satisfies Record<SamlFailureReason, FaultSubcode>;

/** An assertion was refused. */
export class SamlError extends Error {
  override name = 'SamlError';

  constructor(readonly reason: SamlFailureReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }

  /** The WS-Security subcode of the Sender fault to answer with. */
  get faultSubcode(): FaultSubcode {
    return SAML_FAULT_SUBCODE[this.reason];
  }
}

export function isSamlError(value: unknown): value is SamlError {
  return value instanceof SamlError;
}
