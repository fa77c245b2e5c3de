import type { XmlDocument, XmlElement, XmlNode, XmlText } from 'libxml2-wasm';
// Moving a subtree is the one edit the package's public API lacks; its own tree functions do it, on the same pointers.
import { xmlAddChild, xmlAddNextSibling, xmlAddPrevSibling, xmlUnlinkNode } from 'libxml2-wasm/lib/libxml2.mjs';
import { NS, parseXml } from '../../src/xml/xml-toolkit.ts';

/**
 * DOM surgery for the tampering tests: the attacker's edits are made on a parsed tree (move, rename, retext), never
 * by replacing text in the XML string, so each variant is exactly the structure its name says.
 */

export const ns = { saml2: NS.saml2, ds: NS.ds, wsse: NS.wsse };

const pointer = (node: XmlNode): number => (node as unknown as { _nodePtr: number })._nodePtr;

/** Moves `node` (from any document) to be the last child of `parent`. */
export function moveInto(node: XmlNode, parent: XmlElement): void {
  xmlUnlinkNode(pointer(node));
  xmlAddChild(pointer(parent), pointer(node));
}

/** Moves `node` right after `reference`. */
export function moveAfter(node: XmlNode, reference: XmlNode): void {
  xmlUnlinkNode(pointer(node));
  xmlAddNextSibling(pointer(reference), pointer(node));
}

/** Moves `node` right before `reference`. */
export function moveBefore(node: XmlNode, reference: XmlNode): void {
  xmlUnlinkNode(pointer(node));
  xmlAddPrevSibling(pointer(reference), pointer(node));
}

/** The single element an XPath selects (throws otherwise, so that a test never edits nothing). */
export function the(context: XmlDocument | XmlElement, xpath: string): XmlElement {
  const found = context.find(xpath, ns);
  if (found.length !== 1 || !('attrs' in (found[0] as object))) throw new Error(`${xpath} selects ${found.length} nodes`);
  return found[0] as XmlElement;
}

/** Replaces the text of an element that holds one text node. */
export function setText(el: XmlElement, text: string): void {
  const node = el.firstChild as XmlText | null;
  if (node === null || node.next !== null) throw new Error('setText expects exactly one text child');
  node.content = text;
}

/** Serialises exactly as parsed plus the edits: no formatting, no XML declaration. */
export function serialise(doc: XmlDocument): string {
  return doc.root.toString({ format: false });
}

/** Parses `xml`, applies `edit`, returns the edited XML. */
export function tamper(xml: string, edit: (doc: XmlDocument) => void): string {
  const doc = parseXml(xml);
  try {
    edit(doc);
    return serialise(doc);
  } finally {
    doc.dispose();
  }
}

/**
 * Builds a document from `outer` whose element selected by `into` receives the root of `inner` (moved, not copied),
 * then applies `edit` to the result: the shape of the wrapping attacks.
 */
export function wrap(outer: string, into: string, inner: string, edit: (doc: XmlDocument) => void = () => {}): string {
  const host = parseXml(outer);
  const guest = parseXml(inner);
  try {
    moveInto(guest.root, the(host, into));
    edit(host);
    return serialise(host);
  } finally {
    guest.dispose();
    host.dispose();
  }
}
