import { SignedXml } from 'xml-crypto';
import { NS, withXml } from '../xml/xml-toolkit.js';
import { exclusiveC14n } from './assertion-document.js';
import { SamlError } from './saml-error.js';
import type { SamlTrustedSigner } from './saml-trust-store.js';
import type { SignatureShape } from './signature-policy.js';
import { DSIG } from './saml-vocabulary.js';

/**
 * The cryptographic check, with xml-crypto 6: the key is always a pinned certificate (`getCertFromKeyInfo` returns
 * nothing, so KeyInfo is never used as a key), xml-crypto's algorithm tables are cut down to the allowed ones, and the
 * result is the canonical XML xml-crypto actually digested (`getSignedReferences()`), the only thing read afterwards.
 * xml-crypto parses with xmldom while this project parses with libxml2: the signed XML must equal libxml2's own
 * canonical form of the Assertion minus its Signature, so that no parser difference can make the two see different
 * assertions. See: xds-ini digest 7.4, 7.6; xml-crypto README "Verifying Xml documents"; CVE-2024-32962,
 * CVE-2025-29774, CVE-2025-29775.
 */

/** The outcome of a good signature. */
export interface SignedContent {
  /** Canonical XML of the signed Assertion (without its Signature): the only input of every later read. */
  readonly signedXml: string;
  readonly signer: SamlTrustedSigner;
}

function keep<T>(table: Record<string, T>, allowed: readonly string[]): Record<string, T> {
  return Object.fromEntries(Object.entries(table).filter(([uri]) => allowed.includes(uri)));
}

function verifierFor(signer: SamlTrustedSigner, shape: SignatureShape): SignedXml {
  const sig = new SignedXml({ publicCert: signer.certificate.toString(), getCertFromKeyInfo: () => null });
  // SAML's ID only: xml-crypto would otherwise search the document once per Id/ID/id spelling, with an XPath that
  // costs ~1.5 ms each on xmldom. Unambiguity is already established: openAssertion refuses a document where any
  // element other than the Assertion carries its ID under any spelling, and the shape check a Reference other than it.
  sig.idAttributes = ['ID'];
  // Defence in depth behind the shape check: xml-crypto itself knows no other algorithm.
  sig.SignatureAlgorithms = keep(sig.SignatureAlgorithms, [shape.signatureAlgorithm]);
  sig.HashAlgorithms = keep(sig.HashAlgorithms, [shape.digestAlgorithm]);
  sig.CanonicalizationAlgorithms = keep(sig.CanonicalizationAlgorithms, [DSIG.excC14n, DSIG.envelopedSignature]);
  sig.loadSignature(shape.signatureXml);
  return sig;
}

/** libxml2's view of what the Reference covers: the enveloped-signature transform, then exc-c14n with the PrefixList. */
function libxmlCanonicalForm(text: string, inclusivePrefixes: readonly string[]): string {
  return withXml(text, (doc) => {
    for (const signature of doc.find('/*/ds:Signature', { ds: NS.ds })) signature.remove();
    return exclusiveC14n(doc, inclusivePrefixes);
  });
}

function isWrongSignatureValue(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('invalid signature: the signature value');
}

/**
 * Verifies the signature with each candidate signer until one succeeds.
 * @throws SamlError `bad-signature` (digest or value wrong for every candidate) or `wrapping` (parser disagreement).
 */
export function verifySignedContent(text: string, shape: SignatureShape, candidates: readonly SamlTrustedSigner[]): SignedContent {
  for (const signer of candidates) {
    let sig: SignedXml;
    let valid: boolean;
    try {
      sig = verifierFor(signer, shape);
      valid = sig.checkSignature(text);
    } catch (error) {
      // A wrong value only says this key did not sign; anything else is about the document, whatever the key.
      if (isWrongSignatureValue(error)) continue;
      throw new SamlError('bad-signature', `the signature cannot be verified: ${(error as Error).message}`, { cause: error });
    }
    // false means a Reference digest did not match: the signed content changed, and no key can fix that.
    if (!valid) throw new SamlError('bad-signature', 'the digest does not match: the assertion changed after signing');
    const signed = sig.getSignedReferences();
    if (signed.length !== 1 || signed[0] === undefined) throw new SamlError('wrapping', `${signed.length} signed references; exactly one is allowed`);
    if (signed[0] !== libxmlCanonicalForm(text, shape.inclusivePrefixes)) {
      throw new SamlError('wrapping', 'the signed content differs from the parsed assertion (parser differential)');
    }
    return { signedXml: signed[0], signer };
  }
  throw new SamlError('bad-signature', 'the signature does not verify with any trusted SAML signer certificate');
}
