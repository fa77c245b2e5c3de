import { XmlAttribute, XmlElement, type XmlNode } from 'libxml2-wasm';

/**
 * The location of a finding as XPath 3.0 `fn:path()` writes it, which is what the saxon-js engine reports:
 * `/Q{urn:hl7-org:v3}ClinicalDocument[1]/Q{urn:hl7-org:v3}id[2]/@root`.
 * See: XPath and XQuery Functions and Operators 3.0, 14.5.4 "fn:path".
 */

function elementStep(el: XmlElement): string {
  let position = 1;
  for (let p = el.prev; p; p = p.prev) {
    if (p instanceof XmlElement && p.name === el.name && p.namespaceUri === el.namespaceUri) position++;
  }
  return `Q{${el.namespaceUri}}${el.name}[${position}]`;
}

/** `fn:path()` of an element or attribute node (the only nodes schematron rules of this project visit). */
export function nodePath(node: XmlNode): string {
  const steps: string[] = [];
  let el: XmlElement | null;
  if (node instanceof XmlAttribute) {
    steps.push(node.namespaceUri ? `@Q{${node.namespaceUri}}${node.name}` : `@${node.name}`);
    el = node.parent;
  } else el = node instanceof XmlElement ? node : null;
  for (; el; el = el.parent) steps.push(elementStep(el));
  return `/${steps.reverse().join('/')}`;
}
