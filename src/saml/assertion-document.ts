import type { XmlDocument, XmlElement } from 'libxml2-wasm';
import { XmlC14NMode } from 'libxml2-wasm';
import { NS, parseXml, XmlInputError } from '../xml/xml-toolkit.js';
import { SamlError } from './saml-error.js';

/**
 * Turns what the caller hands over (the Assertion's XML, or the Assertion element of a parsed `wsse:Security` header)
 * into one text and one parsed document, and refuses the shapes no honest assertion has: a DTD, a root that is not an
 * Assertion, nested assertions, comments and processing instructions (which canonicalisation drops or renders as text,
 * so they can make what a reader sees differ from what was signed), and IDs that select more than one element.
 * See: xds-ini digest 7.6; XMLDSig 1.1 4.4.3.3 (same-document references drop comments).
 */

/** An assertion's text and its parse; `doc` must be disposed by the caller. */
export interface AssertionDocument {
  readonly text: string;
  readonly doc: XmlDocument;
  readonly root: XmlElement;
  readonly id: string;
}

/** What {@link openAssertion} accepts. */
export type AssertionSource = string | Uint8Array | XmlElement;

/** xs:ID is an NCName; checked so that no ID can carry quotes or spaces into any XPath a library builds from it. */
const NCNAME = /^[A-Za-z_][\w.-]*$/u;
const ID_ATTRIBUTES = new Set(['ID', 'Id', 'id']);

/**
 * The XML of an Assertion element taken out of its envelope. Exclusive C14N declares every namespace the subtree uses,
 * and listing all in-scope prefixes as inclusive keeps those used only in attribute content (`xs` of `xsi:type`), so
 * the text is self-contained; XML-DSig over exc-c14n is invariant under it, and comments are kept so they are refused.
 */
function textOfElement(element: XmlElement): string {
  const prefixes = Object.keys(element.namespaces)
    .filter((prefix) => prefix !== 'xml')
    .map((prefix) => (prefix === '' ? '#default' : prefix));
  return exclusiveC14n(element, prefixes, true);
}

/**
 * libxml2's exclusive C14N of a node (or of a whole document). libxml2 refuses to canonicalise relative namespace URIs,
 * which C14N leaves undefined: that is the sender's malformed XML, not an internal error.
 * @throws SamlError `malformed`.
 */
export function exclusiveC14n(node: XmlElement | XmlDocument, inclusivePrefixes: readonly string[] = [], withComments = false): string {
  try {
    return node.canonicalizeToString({ mode: XmlC14NMode.XML_C14N_EXCLUSIVE_1_0, inclusiveNamespacePrefixes: [...inclusivePrefixes], withComments });
  } catch (error) {
    throw new SamlError('malformed', 'the assertion cannot be canonicalised (a relative namespace URI?)', { cause: error });
  }
}

function textOf(source: AssertionSource): string {
  if (typeof source === 'string') return source;
  if (source instanceof Uint8Array) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(source);
    } catch (error) {
      throw new SamlError('malformed', 'the assertion is not UTF-8', { cause: error });
    }
  }
  return textOfElement(source);
}

function isElement(node: unknown): node is XmlElement {
  return typeof node === 'object' && node !== null && 'attrs' in node;
}

function checkIds(doc: XmlDocument, root: XmlElement): string {
  const id = root.attr('ID')?.value;
  if (id === undefined || !NCNAME.test(id)) throw new SamlError('malformed', 'the Assertion has no valid ID');
  let holders = 0;
  for (const node of doc.find('//*')) {
    if (!isElement(node)) continue;
    if (node.attrs.some((attr) => ID_ATTRIBUTES.has(attr.name) && attr.value === id)) holders += 1;
  }
  // The signature references the Assertion by ID: a second element with that ID is the classic wrapping set-up.
  if (holders !== 1) throw new SamlError('wrapping', `${holders} elements carry the Assertion ID ${id}`);
  return id;
}

/**
 * Parses and pre-checks an assertion.
 * @param maxLength characters; an assertion is a few kilobytes, and no signature work is done on anything larger.
 * @throws SamlError `malformed` or `wrapping`.
 */
export function openAssertion(source: AssertionSource, maxLength: number): AssertionDocument {
  const text = textOf(source);
  if (text.length > maxLength) throw new SamlError('malformed', `the assertion is larger than ${maxLength} characters`);
  let doc: XmlDocument;
  try {
    doc = parseXml(text, 'assertion.xml');
  } catch (error) {
    if (error instanceof XmlInputError) throw new SamlError('malformed', `the assertion is not acceptable XML: ${error.message}`, { cause: error });
    throw error;
  }
  try {
    const root = doc.root;
    if (root.name !== 'Assertion' || root.namespaceUri !== NS.saml2) {
      throw new SamlError('malformed', `expected a saml2:Assertion, found ${root.name} in ${root.namespaceUri || 'no namespace'}`);
    }
    if (root.attr('Version')?.value !== '2.0') throw new SamlError('malformed', 'the Assertion Version is not 2.0');
    if (doc.find('//comment() | //processing-instruction()').length > 0) {
      throw new SamlError('wrapping', 'comments and processing instructions are not covered by the signature and are refused');
    }
    if (root.find('.//saml2:Assertion | .//saml2:EncryptedAssertion', { saml2: NS.saml2 }).length > 0) {
      throw new SamlError('wrapping', 'an assertion nested in the assertion is refused');
    }
    return { text, doc, root, id: checkIds(doc, root) };
  } catch (error) {
    doc.dispose();
    throw error;
  }
}
