import type { XmlElement } from 'libxml2-wasm';
import type { CallerIdentity } from '../domain/caller.js';
import { verifyAssertion } from '../saml/assertion-verifier.js';
import type { SamlTrustedSigner } from '../saml/saml-trust-store.js';
import type { SoapTransaction } from './soap-actions.js';

/**
 * The front door's assertion check: the SAML verifier with the region's trust store, and the action-id each
 * transaction allows (READ for queries and retrieves, CREATE/UPDATE for registrations, UPDATE for updates, DELETE for
 * deletions). See: xds-ini digest 7.6.
 */
export const ACTION_IDS: Readonly<Record<SoapTransaction, readonly string[]>> = {
  iti18: ['READ'], iti43: ['READ'], iti41: ['CREATE', 'UPDATE'], iti42: ['CREATE', 'UPDATE'], iti57: ['UPDATE'], iti62: ['DELETE'],
  // ITI-86 removes what an ITI-62 de-indexed: the same DELETE (INI defines no action-id of its own for it).
  iti86: ['DELETE'],
};

/** The issuer INI signs as (organization 000). See: xds-ini digest 6.12. */
export const INI_ISSUER = '000';

export interface SamlVerifierOptions {
  readonly trustedSigners: readonly SamlTrustedSigner[];
  readonly allowedIssuers: readonly string[];
  readonly audience?: string;
  readonly clockSkewSeconds: number;
  readonly allowSha1: boolean;
}

export function samlVerifier(options: SamlVerifierOptions): (assertion: XmlElement, transaction: SoapTransaction) => CallerIdentity {
  return (assertion, transaction) => {
    const verified = verifyAssertion(assertion, {
      trustedSigners: options.trustedSigners, allowedIssuers: options.allowedIssuers, audience: options.audience,
      clockSkewSeconds: options.clockSkewSeconds, allowedActionIds: ACTION_IDS[transaction],
      algorithms: { allowSha1Digest: options.allowSha1, allowRsaSha1: options.allowSha1 },
    });
    return { ...verified.identity, issuer: verified.issuer, credentialId: verified.id, verified: true };
  };
}

/** The caller is INI, as a verified assertion says. */
export function isIniCaller(caller: CallerIdentity): boolean {
  return caller.verified === true && caller.issuer === INI_ISSUER;
}
