import { ANONYMOUS_CALLER, type CallerIdentity } from '../domain/caller.js';
import type { XmlElement } from 'libxml2-wasm';
import { findAssertion, identityOfAssertion } from '../saml/assertion-attributes.js';
import { isSamlError } from '../saml/saml-error.js';
import { singleAssertionOf } from '../saml/security-header.js';
import type { SoapTransaction } from './soap-actions.js';
import type { ClientCertificateMap } from './client-certificates.js';
import type { SoapEnvelope } from '../soap-wire/soap-envelope.js';
import { SoapFault } from '../soap-wire/soap-fault.js';

/**
 * Who called: the SAML assertion of the WS-Security header if there is one, else a TLS client certificate the
 * configuration maps to an identity, else nobody. Whether an identity is required is the region's policy
 * (`FSE_SOAP_SECURITY`): `none` (test beds, `start --dev`), `certificate` (mapped TLS client certificates only, no
 * SAML), `saml`, `saml-or-certificate` (the default). An assertion is verified against the trust store
 * (`FSE_SAML_TRUST`, required whenever SAML is accepted); only under `none` without one is it a statement, recorded,
 * not a proof. See: xds-ini digest 2.6, 7.6.
 */
export type SoapSecurityMode = 'none' | 'certificate' | 'saml' | 'saml-or-certificate';

export interface SoapSecurityPolicy {
  readonly mode: SoapSecurityMode;
  readonly certificates: ClientCertificateMap;
  /**
   * Verifies an assertion (signature against the trust store, times, issuer, attributes and the action-ids the
   * transaction allows) and returns the identity it proves; throws `SamlError`. Absent when the region configured no
   * SAML trust store: assertions are then recorded as statements (`verified` unset).
   */
  readonly verify?: (assertion: XmlElement, transaction: SoapTransaction) => CallerIdentity;
}

/** The verified TLS client certificate of the connection, when the server runs HTTPS with client authentication. */
export interface TlsPeer {
  /** SHA-256 fingerprint as node formats it (`AB:CD:...`). */
  readonly fingerprint256: string;
  readonly subject: string;
  /** True when the certificate chains to the configured client CA. */
  readonly authorized: boolean;
}

/**
 * @throws SoapFault Sender `wsse:InvalidSecurity` when the policy wants an identity the request does not carry, or
 *   the Security header holds no assertion where one is required.
 */
export function resolveCaller(envelope: SoapEnvelope, peer: TlsPeer | undefined, policy: SoapSecurityPolicy, transaction: SoapTransaction): CallerIdentity {
  if (policy.mode === 'certificate') return certificateCaller(envelope, peer, policy);
  if (envelope.security && policy.verify) {
    try {
      return policy.verify(singleAssertionOf(envelope.security), transaction);
    } catch (err) {
      if (isSamlError(err)) throw new SoapFault('Sender', `SAML assertion refused (${err.reason}): ${err.message}`, err.faultSubcode);
      throw err;
    }
  }
  const assertion = envelope.security ? findAssertion(envelope.security) : undefined;
  if (assertion) return identityOfAssertion(assertion);
  if (policy.mode === 'saml') throw new SoapFault('Sender', 'a SAML 2.0 assertion in wsse:Security is required', 'wsse:InvalidSecurity');
  const mapped = peer?.authorized ? policy.certificates.identityOf(peer.fingerprint256) : undefined;
  if (mapped) return mapped;
  if (policy.mode === 'saml-or-certificate') {
    throw new SoapFault('Sender', 'a SAML 2.0 assertion or a registered client certificate is required', 'wsse:InvalidSecurity');
  }
  return ANONYMOUS_CALLER;
}

/** `certificate`: the region verifies no assertion, so it takes none as an identity, not even beside a certificate. */
function certificateCaller(envelope: SoapEnvelope, peer: TlsPeer | undefined, policy: SoapSecurityPolicy): CallerIdentity {
  if (envelope.security && findAssertion(envelope.security)) {
    throw new SoapFault('Sender', 'SAML assertions are not accepted here (FSE_SOAP_SECURITY=certificate): a registered client certificate is required', 'wsse:InvalidSecurity');
  }
  const mapped = peer?.authorized ? policy.certificates.identityOf(peer.fingerprint256) : undefined;
  if (mapped) return mapped;
  throw new SoapFault('Sender', 'a registered client certificate is required', 'wsse:InvalidSecurity');
}
