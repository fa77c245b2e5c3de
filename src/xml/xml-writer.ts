/**
 * The project's XML writer: a small tree of elements, attributes and text, serialised once, with namespace
 * declarations placed where a prefix first needs one and every value escaped. Hand-written because the hot paths
 * (ITI-18 LeafClass answers, ITI-43 envelopes) spend most of their CPU in xmlbuilder2's DOM: a 10-entry
 * AdhocQueryResponse costs ~10 ms there (its name, QName and namespace validation per node, measured with
 * `node --cpu-prof` in bench:soap) against well under 1 ms here. It writes only what the codecs build (elements in a
 * namespace with a prefixed name, attributes, text) and no template strings: structure goes through `ele`/`att`/`txt`.
 * See: STYLE rule 15; performance notes (XML).
 */
export interface XmlBuilder {
  /** Appends a child element in `namespace`, named `qname` (`prefix:local`, or `local` for a default namespace). */
  ele(namespace: string, qname: string, attributes?: Readonly<Record<string, string | undefined>>): XmlBuilder;
  /** Sets an attribute (`name` may be `xmlns:p`, `xml:lang` or `p:local` with `p` in scope). */
  att(name: string, value: string): XmlBuilder;
  /** Appends text. */
  txt(text: string): XmlBuilder;
  /** The parent element (the document for the root). */
  up(): XmlBuilder;
  /**
   * Appends an already-serialised, self-contained fragment as it is: only for signed XML (a SAML assertion), which
   * must leave byte for byte as it was signed. It must declare every namespace it uses. See: STYLE rule 15.
   */
  raw(xml: string): XmlBuilder;
}

interface ElementNode {
  readonly namespace: string;
  readonly qname: string;
  readonly attributes: [string, string][];
  readonly children: (ElementNode | string | RawNode)[];
}

/** A signed fragment written verbatim. */
interface RawNode {
  readonly raw: string;
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
// Characters XML 1.0 cannot carry even escaped; a stored value holding one (a REST body, say) must not break the answer.
const INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const TEXT_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' };
const ATTR_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '"': '&quot;', '\t': '&#x9;', '\n': '&#xA;', '\r': '&#xD;' };

const TEXT_SPECIAL = /[&<>\r]/g;
const ATTR_SPECIAL = /[&<"\t\n\r]/g;
/** Anything that needs a look: an escape, or a character XML may not carry (any surrogate, checked exactly after). */
const SUSPECT_TEXT = /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
const SUSPECT_ATTR = /[&<"\t\n\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
const textEscape = (c: string): string => TEXT_ESCAPES[c] ?? c;
const attrEscape = (c: string): string => ATTR_ESCAPES[c] ?? c;

function escapeText(s: string): string {
  return SUSPECT_TEXT.test(s) ? s.replace(INVALID, '\uFFFD').replace(TEXT_SPECIAL, textEscape) : s;
}

function escapeAttr(s: string): string {
  return SUSPECT_ATTR.test(s) ? s.replace(INVALID, '\uFFFD').replace(ATTR_SPECIAL, attrEscape) : s;
}

class Builder implements XmlBuilder {
  constructor(private readonly node: ElementNode | undefined, private readonly parent: Builder | undefined, private readonly doc: XmlDocumentWriter) {}

  ele(namespace: string, qname: string, attributes: Readonly<Record<string, string | undefined>> = {}): XmlBuilder {
    const child: ElementNode = { namespace, qname, attributes: [], children: [] };
    for (const [name, value] of Object.entries(attributes)) if (value !== undefined) child.attributes.push([name, value]);
    if (this.node) this.node.children.push(child);
    else this.doc.setRoot(child);
    return new Builder(child, this, this.doc);
  }

  att(name: string, value: string): XmlBuilder {
    if (!this.node) throw new Error('att() on the document: add it to an element');
    this.node.attributes.push([name, value]);
    return this;
  }

  txt(text: string): XmlBuilder {
    if (!this.node) throw new Error('txt() on the document: add it to an element');
    this.node.children.push(text);
    return this;
  }

  up(): XmlBuilder {
    return this.parent ?? this;
  }

  raw(xml: string): XmlBuilder {
    if (!this.node) throw new Error('raw() on the document: add it to an element');
    this.node.children.push({ raw: xml });
    return this;
  }
}

function isDeclaration(name: string): boolean {
  return name === 'xmlns' || name.startsWith('xmlns:');
}

/** Writes one element; `scope` maps the prefixes in scope to their namespaces and is copied only when it changes. */
function serialise(node: ElementNode, scope: ReadonlyMap<string, string>, out: string[]): void {
  const colon = node.qname.indexOf(':');
  const prefix = colon < 0 ? '' : node.qname.slice(0, colon);
  let local = scope;
  let head = `<${node.qname}`;
  for (const [name, value] of node.attributes) {
    if (!isDeclaration(name)) continue;
    if (local === scope) local = new Map(scope);
    (local as Map<string, string>).set(name === 'xmlns' ? '' : name.slice(6), value);
    head += ` ${name}="${escapeAttr(value)}"`;
  }
  if (local.get(prefix) !== node.namespace) {
    if (local === scope) local = new Map(scope);
    (local as Map<string, string>).set(prefix, node.namespace);
    head += prefix === '' ? ` xmlns="${escapeAttr(node.namespace)}"` : ` xmlns:${prefix}="${escapeAttr(node.namespace)}"`;
  }
  for (const [name, value] of node.attributes) {
    if (isDeclaration(name)) continue;
    const at = name.indexOf(':');
    if (at > 0 && !local.has(name.slice(0, at))) throw new Error(`attribute ${name}: prefix ${name.slice(0, at)} is not declared`);
    head += ` ${name}="${escapeAttr(value)}"`;
  }
  if (node.children.length === 0) {
    out.push(`${head}/>`);
    return;
  }
  out.push(`${head}>`);
  for (const child of node.children) {
    if (typeof child === 'string') out.push(escapeText(child));
    else if ('raw' in child) out.push(child.raw);
    else serialise(child, local, out);
  }
  out.push(`</${node.qname}>`);
}

/** A document being written: `root()` is where the root element goes; `end()` serialises it. */
export class XmlDocumentWriter {
  private rootNode: ElementNode | undefined;

  /** The document node: its one `ele()` is the root element. */
  root(): XmlBuilder {
    return new Builder(undefined, undefined, this);
  }

  /** @internal */
  setRoot(node: ElementNode): void {
    if (this.rootNode) throw new Error('a document has one root element');
    this.rootNode = node;
  }

  /** The UTF-8 XML text, with an XML declaration. */
  end(): string {
    if (!this.rootNode) throw new Error('the document has no root element');
    const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
    serialise(this.rootNode, new Map([['xml', XML_NS], ['', '']]), out);
    return out.join('');
  }
}

/** Writes a document: `fill` appends the root element to the document node it is given. */
export function writeXml(fill: (doc: XmlBuilder) => void): string {
  const doc = new XmlDocumentWriter();
  fill(doc.root());
  return doc.end();
}
