import { createHash } from 'node:crypto';
import { XmlCData, XmlElement, XmlText, type XmlNode } from 'libxml2-wasm';
import { withXml } from '../xml/xml-toolkit.js';

/**
 * The hashes the Gateway computes over a submission, and the bridge's own validation key.
 * See: Gateway API digest, 6.5.
 */

/** SHA-256 of the whole PDF as sent, lowercase hex: the JWT `attachment_hash` claim. See: Gateway API digest, 6.5. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** SHA-1 of the whole PDF, lowercase hex (40 characters): `XDSDocumentEntry.hash`. See: Gateway API digest, 6.5. */
export function sha1Hex(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

const PLACEHOLDER = 'PLACEHOLDER';

/**
 * The bridge's key linking a validation to the later publication of the same CDA, modelled on the Gateway's
 * "hash_cda": in the first `legalAuthenticator` the `signature` child is removed and every attribute value and leaf
 * text becomes `PLACEHOLDER`, so the producer may still set the signing time and signer after validating.
 * The result is SHA-256, Base64, of the canonical (C14N 1.0, no comments) serialisation.
 *
 * Not byte-identical to the Gateway's key: the Gateway re-serialises with jsoup's pretty-printer, whose output
 * (indentation, empty-element form, attribute quoting, entity choice) no XML library reproduces. That does not matter:
 * the key is never sent to the Gateway nor compared with its value; it only pairs records inside the bridge, and C14N
 * makes it stable across serialisation details that do not change the document. See: Gateway API digest, 6.5.
 *
 * Pass the CDA bytes when you have them: a string is re-read by libxml2 through its declared encoding.
 * @throws XmlInputError when the CDA is not well-formed (the validation stage has reported that before).
 */
export function cdaValidationKey(cda: string | Uint8Array): string {
  const canonical = withXml(cda, (doc) => {
    const legalAuthenticator = doc.get(
      "(//*[translate(local-name(), 'LEGALAUTHENTICATOR', 'legalauthenticator') = 'legalauthenticator'])[1]",
    );
    if (legalAuthenticator instanceof XmlElement) maskLegalAuthenticator(legalAuthenticator);
    return doc.canonicalizeToString();
  });
  return createHash('sha256').update(canonical, 'utf8').digest('base64');
}

function maskLegalAuthenticator(legalAuthenticator: XmlElement): void {
  for (const child of childElements(legalAuthenticator)) {
    if (child.name.toLowerCase() === 'signature') child.remove();
  }
  maskSubtree(legalAuthenticator);
}

function maskSubtree(element: XmlElement): void {
  for (const attr of element.attrs) attr.value = PLACEHOLDER;
  const children = childElements(element);
  if (children.length === 0) {
    const texts = childNodes(element).filter((node) => node instanceof XmlText || node instanceof XmlCData);
    if (texts.some((node) => node.content.trim() !== '')) {
      for (const text of texts) text.remove();
      element.addText(PLACEHOLDER);
    }
    return;
  }
  for (const child of children) maskSubtree(child);
}

function childNodes(element: XmlElement): XmlNode[] {
  const nodes: XmlNode[] = [];
  for (let node = element.firstChild; node; node = node.next) nodes.push(node);
  return nodes;
}

function childElements(element: XmlElement): XmlElement[] {
  return childNodes(element).filter((node): node is XmlElement => node instanceof XmlElement);
}
