import { isAttribute, isElement, nodeName, parentOf, previousOf, type NodePtr } from './document-xpath.js';

/**
 * The location of a finding as XPath 3.0 `fn:path()` writes it, which is what the saxon-js engine reports:
 * `/Q{urn:hl7-org:v3}ClinicalDocument[1]/Q{urn:hl7-org:v3}id[2]/@root`.
 * See: XPath and XQuery Functions and Operators 3.0, 14.5.4 "fn:path".
 */

function elementStep(el: NodePtr): string {
  const { local, uri } = nodeName(el);
  let position = 1;
  for (let p = previousOf(el); p !== 0; p = previousOf(p)) {
    if (!isElement(p)) continue;
    const other = nodeName(p);
    if (other.local === local && other.uri === uri) position++;
  }
  return `Q{${uri}}${local}[${position}]`;
}

/** `fn:path()` of an element or attribute node (the only nodes schematron rules of this project visit). */
export function nodePath(node: NodePtr): string {
  const steps: string[] = [];
  let el = node;
  if (isAttribute(node)) {
    const { local, uri } = nodeName(node);
    steps.push(uri ? `@Q{${uri}}${local}` : `@${local}`);
    el = parentOf(node);
  }
  for (; el !== 0 && isElement(el); el = parentOf(el)) steps.push(elementStep(el));
  return `/${steps.reverse().join('/')}`;
}
