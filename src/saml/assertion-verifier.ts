import type { X509Certificate } from 'node:crypto';
import type { CallerIdentity } from '../domain/caller.js';
import { valueSets as projectValueSets, type ValueSets } from '../mappings/value-sets.js';
import type { SamlAttributeKey } from './assertion-attributes.js';
import { checkAudience, checkIssuer, checkValidity } from './assertion-conditions.js';
import { openAssertion, type AssertionSource } from './assertion-document.js';
import { checkAttributes, DEFAULT_REQUIRED_ATTRIBUTES } from './attribute-policy.js';
import { candidateSigners, type SamlTrustedSigner } from './saml-trust-store.js';
import { verifySignedContent } from './signature-check.js';
import { checkSignatureShape, type AlgorithmPolicy } from './signature-policy.js';
import { readSignedAssertion } from './signed-assertion-reader.js';

/**
 * Verifies an inbound SAML assertion (from INI or a region) and returns what its signature covers, or throws one
 * `SamlError`. Order: parse safely and pre-check the document (DTD, IDs, comments), check the signature's shape and
 * algorithms, pick the pinned key, verify with xml-crypto, then read issuer, subject, conditions and attributes only
 * from the signed canonical XML and apply the policy. Transport-neutral: the SOAP front door maps `SamlError` to a
 * fault with `SAML_FAULT_SUBCODE`. See: xds-ini digest 7.6, pitfall 19.
 */

/** Options of {@link verifyAssertion}. */
export interface VerifyAssertionOptions {
  /** Pinned certificates that may sign (INI's, the regions'); see `samlTrustStoreFromPem`. */
  readonly trustedSigners: readonly SamlTrustedSigner[];
  /** Issuer values accepted (INI `000`, region codes). Must not be empty. */
  readonly allowedIssuers: readonly string[];
  /** When set, the assertion must be restricted to this audience. */
  readonly audience?: string;
  /** Default 300 s. See: xds-ini digest 7.6. */
  readonly clockSkewSeconds?: number;
  /** Default: the current time. Pass it for deterministic checks. */
  readonly now?: Date;
  /** Attributes the use requires; default {@link DEFAULT_REQUIRED_ATTRIBUTES}. */
  readonly requiredAttributes?: readonly SamlAttributeKey[];
  /** action-id values coherent with the operation. See: xds-ini digest 7.6. */
  readonly allowedActionIds?: readonly string[];
  readonly allowedPurposesOfUse?: readonly string[];
  /** Value sets to check against; default the project's `mappings/`; `false` skips the value-set checks. */
  readonly valueSets?: ValueSets | false;
  /** SHA-1 in signature or digest only when allowed here. */
  readonly algorithms?: AlgorithmPolicy;
  /** Largest assertion accepted, in characters; default 65536. */
  readonly maxLength?: number;
}

/** A verified assertion: everything here comes from the signed content. */
export interface VerifiedAssertion {
  /** The Assertion ID (what an access log records, and what replay protection keys on). */
  readonly id: string;
  readonly issuer: string;
  readonly issueInstant: Date;
  readonly subject: { readonly nameId: string; readonly format?: string };
  readonly validity: { readonly notBefore?: Date; readonly notOnOrAfter: Date };
  readonly audiences: readonly string[];
  /** The attributes as a caller identity (`source: 'saml'`, `credentialId` = the Assertion ID). */
  readonly identity: CallerIdentity;
  /** Every attribute by Name, values trimmed. */
  readonly attributes: Readonly<Record<string, readonly string[]>>;
  /** The pinned certificate that verified the signature. */
  readonly signer: X509Certificate;
  readonly signatureAlgorithm: string;
  readonly digestAlgorithm: string;
  /** The canonical XML the signature covers (without the Signature). */
  readonly signedXml: string;
}

const DEFAULT_SKEW_SECONDS = 300;
const DEFAULT_MAX_LENGTH = 65_536;

/**
 * Verifies an assertion given as XML text or bytes (the Assertion as root), or as the Assertion element of a parsed
 * `wsse:Security` header.
 * @throws SamlError with the reason of the first failure; `Error` only for a misconfiguration (no issuers, no signers).
 */
export function verifyAssertion(source: AssertionSource, options: VerifyAssertionOptions): VerifiedAssertion {
  if (options.allowedIssuers.length === 0) throw new Error('verifyAssertion: allowedIssuers is empty');
  if (options.trustedSigners.length === 0) throw new Error('verifyAssertion: trustedSigners is empty');
  const now = options.now ?? new Date();
  const assertion = openAssertion(source, options.maxLength ?? DEFAULT_MAX_LENGTH);
  let shape;
  try {
    shape = checkSignatureShape(assertion, options.algorithms ?? {});
  } finally {
    assertion.doc.dispose();
  }
  const candidates = candidateSigners(options.trustedSigners, shape.keyInfoDer, now);
  const { signedXml, signer } = verifySignedContent(assertion.text, shape, candidates);
  const content = readSignedAssertion(signedXml, assertion.id);
  checkIssuer(content, options.allowedIssuers, signer);
  checkValidity(content, now, options.clockSkewSeconds ?? DEFAULT_SKEW_SECONDS);
  checkAudience(content, options.audience);
  checkAttributes(content, {
    required: options.requiredAttributes ?? DEFAULT_REQUIRED_ATTRIBUTES,
    valueSets: options.valueSets === false ? undefined : options.valueSets ?? projectValueSets(),
    allowedActionIds: options.allowedActionIds,
    allowedPurposesOfUse: options.allowedPurposesOfUse,
  });
  return {
    id: content.id,
    issuer: content.issuer,
    issueInstant: content.issueInstant,
    subject: { nameId: content.nameId, format: content.nameIdFormat },
    // checkValidity has established that NotOnOrAfter is present.
    validity: { notBefore: content.notBefore, notOnOrAfter: content.notOnOrAfter as Date },
    audiences: content.audienceRestrictions.flat(),
    identity: content.identity,
    attributes: content.attributes,
    signer: signer.certificate,
    signatureAlgorithm: shape.signatureAlgorithm,
    digestAlgorithm: shape.digestAlgorithm,
    signedXml,
  };
}
