import type { XmlElement } from 'libxml2-wasm';
import { NS } from '../xml/xml-toolkit.js';
import { exclusiveC14n, type AssertionDocument } from './assertion-document.js';
import { SamlError } from './saml-error.js';
import { DSIG } from './saml-vocabulary.js';

/**
 * The shape a signature must have before any cryptography runs: exactly one `ds:Signature`, a direct child of the
 * Assertion right after Issuer; one SignedInfo with exclusive C14N, an allowed SignatureMethod and exactly one Reference
 * to `#<Assertion ID>`, transformed by enveloped-signature then exc-c14n and nothing else; no `ds:Object`.
 * Everything else is refused, so that xml-crypto only ever sees the one profile INI uses.
 * See: xds-ini digest 7.4, 7.6; SAML 2.0 Core 5.4; XMLDSig 1.1 4.
 */

/** Which weaker algorithms a caller accepts; SHA-1 in either role only when asked for. See: xds-ini digest 7.4. */
export interface AlgorithmPolicy {
  /** Accept `rsa-sha1` SignatureMethod (seen in [WXDSB] samples). */
  readonly allowRsaSha1?: boolean;
  /** Accept `sha1` DigestMethod (OpenSAML 2.6's default, which the Gateway sends). */
  readonly allowSha1Digest?: boolean;
}

/** The signature as checked: what xml-crypto is then given, and what the verified result reports. */
export interface SignatureShape {
  /** The `ds:Signature` element, exclusive-canonicalised so that it stands alone for xml-crypto's `loadSignature`. */
  readonly signatureXml: string;
  readonly signatureAlgorithm: string;
  readonly digestAlgorithm: string;
  /** InclusiveNamespaces PrefixList of the exc-c14n transform. */
  readonly inclusivePrefixes: readonly string[];
  /** DER of the first KeyInfo `X509Certificate`, when there is one. */
  readonly keyInfoDer?: Buffer;
}

const ns = { ds: NS.ds, saml2: NS.saml2 };
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/u;

function elementChildren(el: XmlElement): XmlElement[] {
  return el.find('*').filter((node): node is XmlElement => 'attrs' in node);
}

function isDs(el: XmlElement | undefined, localName: string): el is XmlElement {
  return el !== undefined && el.namespaceUri === NS.ds && el.name === localName;
}

function algorithmOf(el: XmlElement, what: string, allowed: readonly string[]): string {
  const algorithm = el.attr('Algorithm')?.value ?? '';
  if (!allowed.includes(algorithm)) throw new SamlError('algorithm', `${what} ${algorithm || '(none)'} is not allowed`);
  return algorithm;
}

/** A Transform or CanonicalizationMethod may hold one InclusiveNamespaces and nothing else (no XPath, no XSLT). */
function prefixListOf(el: XmlElement, what: string): string[] {
  const children = elementChildren(el);
  if (children.length > 1 || children.some((child) => child.name !== 'InclusiveNamespaces')) {
    throw new SamlError('algorithm', `${what} carries parameters other than InclusiveNamespaces`);
  }
  const list = children[0]?.attr('PrefixList')?.value ?? '';
  return list.split(/\s+/u).filter((prefix) => prefix !== '');
}

function checkSignedInfo(signedInfo: XmlElement, assertionId: string, policy: AlgorithmPolicy) {
  const [c14n, method, ...references] = elementChildren(signedInfo);
  if (!isDs(c14n, 'CanonicalizationMethod') || !isDs(method, 'SignatureMethod')) {
    throw new SamlError('malformed', 'SignedInfo must hold CanonicalizationMethod, SignatureMethod and a Reference');
  }
  // Exclusive C14N only: inclusive C14N would pull the envelope's context into what is signed. See: xds-ini 7.4.
  algorithmOf(c14n, 'CanonicalizationMethod', [DSIG.excC14n]);
  prefixListOf(c14n, 'CanonicalizationMethod');
  const signatureAlgorithm = algorithmOf(method, 'SignatureMethod', policy.allowRsaSha1 ? [DSIG.rsaSha256, DSIG.rsaSha1] : [DSIG.rsaSha256]);
  // An HMACOutputLength or any other parameter has no place in an RSA SignatureMethod.
  if (elementChildren(method).length > 0) throw new SamlError('algorithm', 'SignatureMethod carries parameters');
  if (references.length !== 1 || !isDs(references[0], 'Reference')) {
    throw new SamlError('wrapping', `SignedInfo must hold exactly one Reference, found ${references.length}`);
  }
  const reference = references[0];
  if (reference.attr('URI')?.value !== `#${assertionId}`) {
    throw new SamlError('wrapping', `the Reference URI ${reference.attr('URI')?.value ?? '(none)'} is not #${assertionId}`);
  }
  const [transforms, digestMethod, digestValue, ...rest] = elementChildren(reference);
  if (!isDs(transforms, 'Transforms') || !isDs(digestMethod, 'DigestMethod') || !isDs(digestValue, 'DigestValue') || rest.length > 0) {
    throw new SamlError('malformed', 'the Reference must hold Transforms, DigestMethod and DigestValue');
  }
  const steps = elementChildren(transforms);
  const uris = steps.map((step) => (step.namespaceUri === NS.ds && step.name === 'Transform' ? step.attr('Algorithm')?.value ?? '' : `<${step.name}>`));
  if (uris.length !== 2 || uris[0] !== DSIG.envelopedSignature || uris[1] !== DSIG.excC14n) {
    throw new SamlError('algorithm', `the transforms must be enveloped-signature then exc-c14n, found ${uris.join(', ') || 'none'}`);
  }
  // xml-crypto writes the PrefixList under every transform; the enveloped-signature transform ignores it.
  prefixListOf(steps[0] as XmlElement, 'the enveloped-signature Transform');
  const inclusivePrefixes = prefixListOf(steps[1] as XmlElement, 'the exc-c14n Transform');
  const digestAlgorithm = algorithmOf(digestMethod, 'DigestMethod', policy.allowSha1Digest ? [DSIG.sha256, DSIG.sha1] : [DSIG.sha256]);
  if (elementChildren(digestMethod).length > 0) throw new SamlError('algorithm', 'DigestMethod carries parameters');
  // xml-crypto reads values by local name in document order: no element may hide inside the value elements.
  if (elementChildren(digestValue).length > 0) throw new SamlError('malformed', 'DigestValue holds elements');
  return { signatureAlgorithm, digestAlgorithm, inclusivePrefixes };
}

function keyInfoDerOf(keyInfo: XmlElement | undefined): Buffer | undefined {
  if (keyInfo === undefined) return undefined;
  const cert = keyInfo.get('ds:X509Data/ds:X509Certificate', ns);
  if (cert === null) return undefined;
  const base64 = cert.content.replace(/\s+/gu, '');
  if (!BASE64.test(base64) || base64.length % 4 !== 0) throw new SamlError('malformed', 'the KeyInfo certificate is not base64');
  return Buffer.from(base64, 'base64');
}

/**
 * Checks the one signature of an opened assertion.
 * @throws SamlError `unsigned`, `wrapping`, `algorithm` or `malformed`.
 */
export function checkSignatureShape(assertion: AssertionDocument, policy: AlgorithmPolicy): SignatureShape {
  const { doc, root, id } = assertion;
  const signatures = doc.find('//ds:Signature', ns);
  if (signatures.length === 0) throw new SamlError('unsigned', 'the assertion is not signed');
  if (signatures.length > 1) throw new SamlError('wrapping', `${signatures.length} ds:Signature elements; exactly one is allowed`);
  // A stray SignedInfo elsewhere would give xml-crypto's document-wide lookups a second candidate.
  if (doc.find('//ds:SignedInfo', ns).length !== 1) throw new SamlError('wrapping', 'exactly one ds:SignedInfo is allowed');
  const signature = signatures[0] as XmlElement;
  if (signature.parent === null || !signature.parent.isSameNode(root)) {
    throw new SamlError('wrapping', 'the ds:Signature is not a child of the Assertion');
  }
  const [issuer, second] = elementChildren(root);
  if (issuer?.name !== 'Issuer' || issuer.namespaceUri !== NS.saml2 || second === undefined || !second.isSameNode(signature)) {
    throw new SamlError('malformed', 'the ds:Signature must follow saml2:Issuer, the first child of the Assertion');
  }
  const [signedInfo, signatureValue, keyInfo, ...extra] = elementChildren(signature);
  if (!isDs(signedInfo, 'SignedInfo') || !isDs(signatureValue, 'SignatureValue') || elementChildren(signatureValue).length > 0) {
    throw new SamlError('malformed', 'the ds:Signature must hold SignedInfo and a plain SignatureValue');
  }
  // A ds:Object (or anything after KeyInfo) is where wrapping attacks hide a copy of the signed content.
  if (extra.length > 0 || (keyInfo !== undefined && !isDs(keyInfo, 'KeyInfo'))) {
    throw new SamlError('wrapping', 'the ds:Signature holds elements other than SignedInfo, SignatureValue and KeyInfo');
  }
  const checked = checkSignedInfo(signedInfo, id, policy);
  const signatureXml = exclusiveC14n(signature);
  return { ...checked, signatureXml, keyInfoDer: keyInfoDerOf(keyInfo) };
}
