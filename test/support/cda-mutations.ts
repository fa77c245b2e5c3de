import { XmlCData, XmlComment, XmlElement, XmlText, type XmlDocument } from 'libxml2-wasm';
import { NS, withXml } from '../../src/xml/xml-toolkit.ts';

/**
 * In-memory edits of a CDA through the project's XML toolkit, for tests that derive invalid documents from valid
 * samples. Every helper throws when its XPath (prefix `hl7`) selects nothing, so a sample that changes shape fails the
 * test loudly instead of yielding an unmutated, still-valid document.
 */
const ns = { hl7: NS.hl7 };

export function element(doc: XmlDocument, xpath: string): XmlElement {
  const node = doc.get(xpath, ns);
  if (!(node instanceof XmlElement)) throw new Error(`no element at ${xpath}`);
  return node;
}

export function elements(doc: XmlDocument, xpath: string): XmlElement[] {
  const found = doc.find(xpath, ns).filter((n): n is XmlElement => n instanceof XmlElement);
  if (found.length === 0) throw new Error(`no element at ${xpath}`);
  return found;
}

/**
 * Changes an attribute the element already has. libxml2-wasm's `setAttr` would add a second, namespaced attribute
 * under the default namespace (serialised as a duplicate, so not well-formed).
 */
export function setAttribute(doc: XmlDocument, xpath: string, name: string, value: string): void {
  const attribute = element(doc, xpath).attr(name);
  if (!attribute) throw new Error(`no @${name} at ${xpath}`);
  attribute.value = value;
}

/** Sets an attribute on every element the XPath selects (each must already carry it). */
export function setAttributeAll(doc: XmlDocument, xpath: string, name: string, value: string): void {
  for (const el of elements(doc, xpath)) {
    const attribute = el.attr(name);
    if (!attribute) throw new Error(`no @${name} on an element at ${xpath}`);
    attribute.value = value;
  }
}

/** Removes every element the XPath selects. */
export function removeAll(doc: XmlDocument, xpath: string): void {
  for (const el of elements(doc, xpath)) el.remove();
}

/** Parses `cdaText`, applies `mutate` and serialises the result; the document is always disposed. */
export function mutateCda(cdaText: string, mutate: (doc: XmlDocument) => void): string {
  return withXml(cdaText, (doc) => {
    mutate(doc);
    return doc.toString();
  });
}

/**
 * Copies `source` with its attributes and subtree as its next sibling, under `name` (its own by default), and returns
 * the copy. libxml2-wasm has no node import or rename, so the copy is rebuilt node by node; the source must declare no
 * namespace itself (the copy's prefixes are resolved from the sibling position).
 */
export function copyElementAfter(source: XmlElement, name = source.name): XmlElement {
  const copy = source.appendElement(name, source.prefix || undefined);
  copyContent(source, copy);
  return copy;
}

function copyContent(from: XmlElement, to: XmlElement): void {
  // An unprefixed attribute lands in the default namespace in memory but serialises unprefixed, as in the source.
  for (const a of from.attrs) to.setAttr(a.name, a.value, a.prefix || undefined);
  for (let child = from.firstChild; child; child = child.next) {
    if (child instanceof XmlElement) copyContent(child, to.addElement(child.name, child.prefix || undefined));
    else if (child instanceof XmlCData) to.addCData(child.content);
    else if (child instanceof XmlText) to.addText(child.content);
    else if (child instanceof XmlComment) to.addComment(child.content);
  }
}
