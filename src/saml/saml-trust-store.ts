import { X509Certificate } from 'node:crypto';
import { parsePemBundle } from '../jwt/trust-store.js';
import { SamlError } from './saml-error.js';

/**
 * The certificates that may sign inbound assertions (INI's, the regions'): pinned signer certificates, not CAs. The
 * certificate a `KeyInfo` carries is only a hint: it is used when it is byte-identical to a pinned one, and the key
 * always comes from the pinned copy (never verify with a key an attacker can put in the message; CVE-2024-32962).
 * See: xds-ini digest 2.6, 2.7, 7.6.
 */

/**
 * One pinned signer and the Issuer values it may sign for (INI `000`, a region its code). Always bound: an unbound
 * signer would let any trusted hospital sign as INI. See: xds-ini digest 7.6 ("matching the expected issuer").
 */
export interface SamlTrustedSigner {
  readonly certificate: X509Certificate;
  /** An assertion signed by this certificate must have one of these Issuers (never empty). */
  readonly issuers: readonly string[];
}

/**
 * Pinned signers from a PEM bundle, all bound to the same issuers (the simulators' and tests' trust; the bridge reads
 * `FSE_SAML_TRUST` with `loadSamlTrustFile`).
 */
export function samlTrustStoreFromPem(pem: string, issuers: readonly string[], source = 'SAML trust store'): SamlTrustedSigner[] {
  if (issuers.length === 0) throw new Error(`${source}: a trusted SAML signer must be bound to at least one issuer`);
  return parsePemBundle(pem, source).map((certificate) => ({ certificate, issuers }));
}

function isValidAt(certificate: X509Certificate, now: Date): boolean {
  return now >= new Date(certificate.validFrom) && now <= new Date(certificate.validTo);
}

/**
 * The pinned signers to try. With a KeyInfo certificate: the pinned signer with exactly those DER bytes, or
 * `untrusted-key`. Without one: every pinned signer, each verified in turn.
 * @param keyInfoDer DER of the first `ds:X509Certificate` of KeyInfo, if there is one.
 */
export function candidateSigners(trusted: readonly SamlTrustedSigner[], keyInfoDer: Buffer | undefined, now: Date): SamlTrustedSigner[] {
  const current = trusted.filter((signer) => isValidAt(signer.certificate, now));
  if (keyInfoDer === undefined) {
    if (current.length === 0) throw new SamlError('untrusted-key', 'no trusted SAML signer certificate is valid now');
    return current;
  }
  const pinned = trusted.find((signer) => signer.certificate.raw.equals(keyInfoDer));
  if (pinned === undefined) throw new SamlError('untrusted-key', 'the KeyInfo certificate is not a trusted SAML signer');
  if (!current.includes(pinned)) {
    throw new SamlError('untrusted-key', `the signing certificate is not valid at ${now.toISOString()}`);
  }
  return [pinned];
}
