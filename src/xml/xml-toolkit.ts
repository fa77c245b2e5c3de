import { ParseOption, XmlDocument, XmlParseError, type XmlNode } from 'libxml2-wasm';
// The DTD node class is not re-exported by the package index; the package has no `exports` map, so this is stable.
import { XmlDocumentTypeNode } from 'libxml2-wasm/lib/nodes.mjs';

/**
 * The project's one XML toolkit configuration (STYLE rule 15): libxml2 with network access and external entities off,
 * and documents carrying a DTD refused outright. Health documents (CDA, ebXML, SAML) never need a DTD, so refusing
 * them removes XXE and entity-expansion attacks at the root instead of relying on each parser's limits.
 */
export const NS = {
  hl7: 'urn:hl7-org:v3',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  xs: 'http://www.w3.org/2001/XMLSchema',
  sdtc: 'urn:hl7-org:sdtc',
  /** SOAP 1.2, the only version XDS.b uses; 1.1 is recognised only to answer VersionMismatch. See: xds-ini digest 2.1. */
  soap12: 'http://www.w3.org/2003/05/soap-envelope',
  soap11: 'http://schemas.xmlsoap.org/soap/envelope/',
  wsa: 'http://www.w3.org/2005/08/addressing',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
  saml2: 'urn:oasis:names:tc:SAML:2.0:assertion',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  xop: 'http://www.w3.org/2004/08/xop/include',
  xmime: 'http://www.w3.org/2005/05/xmlmime',
  /** IHE XDS.b messages (ProvideAndRegister, Retrieve). See: xds-ini digest 2.2. */
  xdsb: 'urn:ihe:iti:xds-b:2007',
  /** ITI-86 Remove Documents. See: xds-ini digest 1 (namespaces). */
  rmd: 'urn:ihe:iti:rmd:2017',
} as const;

const SAFE_OPTIONS = ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE | ParseOption.XML_PARSE_NO_SYS_CATALOG;

export type XmlProblem = 'not-well-formed' | 'dtd-forbidden';

export class XmlInputError extends Error {
  constructor(readonly problem: XmlProblem, message: string) {
    super(message);
    this.name = 'XmlInputError';
  }
}

/** Parses XML bytes or text safely; throws {@link XmlInputError}. The caller owns the document and must dispose it. */
export function parseXml(source: string | Uint8Array, url = 'document.xml'): XmlDocument {
  let doc: XmlDocument;
  try {
    doc = typeof source === 'string'
      // A JS string is already decoded: the declaration's encoding must not be applied a second time. It is encoded
      // to UTF-8 by Node (Buffer.from) rather than by libxml2-wasm's fromString, whose JavaScript encoder loops over
      // the string: 7 % of a VPS validation's parse and schematron (measured). A lone surrogate, which no decoded
      // request body holds, becomes U+FFFD instead of a parse error.
      ? XmlDocument.fromBuffer(Buffer.from(source, 'utf8'), { option: SAFE_OPTIONS | ParseOption.XML_PARSE_IGNORE_ENC, url })
      : XmlDocument.fromBuffer(source, { option: SAFE_OPTIONS, url });
  } catch (err) {
    if (err instanceof XmlParseError) {
      const first = err.details[0];
      const where = first ? ` (line ${first.line}, column ${first.col})` : '';
      throw new XmlInputError('not-well-formed', `${(first?.message ?? err.message).trim()}${where}`);
    }
    throw err;
  }
  if (hasDoctype(doc)) {
    doc.dispose();
    throw new XmlInputError('dtd-forbidden', 'DOCTYPE declarations are not allowed');
  }
  return doc;
}

function hasDoctype(doc: XmlDocument): boolean {
  let node: XmlNode | null = doc.root;
  while (node) {
    if (node instanceof XmlDocumentTypeNode) return true;
    node = 'prev' in node ? (node as { prev: XmlNode | null }).prev : null;
  }
  return false;
}

/** Runs `fn` on a parsed document and always frees the WebAssembly memory behind it. */
export function withXml<T>(source: string | Uint8Array, fn: (doc: XmlDocument) => T): T {
  const doc = parseXml(source);
  try {
    return fn(doc);
  } finally {
    doc.dispose();
  }
}
