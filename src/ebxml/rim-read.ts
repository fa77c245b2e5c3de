import { XmlXPath, type XmlElement, type XmlNode } from 'libxml2-wasm';
import { parseEntryUuid, type EntryUuid } from '../domain/ids.js';
import type { Author, AvailabilityStatus, Code } from '../domain/xds.js';
import { STATUS, XDS_SLOT } from '../metadata/vocabulary.js';
import { EbxmlError, parseOrFail } from './ebxml-error.js';

/**
 * Reading helpers shared by the ebRIM 3.0 codecs. Hand-written on purpose: no npm library encodes IHE XDS ebRIM, so
 * the codecs read it through the project's XML toolkit (libxml2 XPath with namespaces, never prefixes as written).
 * See: IHE ITI TF-3 4.2.3; xds-ini digest 3.1.
 */
export const EBXML_NS = {
  rim: 'urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0',
  lcm: 'urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0',
  rs: 'urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0',
  query: 'urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0',
} as const;

/**
 * How a codec turns an `id` or a reference into an entryUUID. Outside a submission only `urn:uuid:` ids are valid;
 * inside one, symbolic ids map to fresh UUIDs (xds-ini digest 3.8).
 */
export interface DecodeContext {
  readonly resolve: (id: string, what: string) => EntryUuid;
}

/** The context for registry content and responses: every id must already be a `urn:uuid:`. */
export const UUID_CONTEXT: DecodeContext = {
  resolve: (id, what) => parseOrFail(parseEntryUuid, id, what),
};

const isElement = (n: XmlNode): n is XmlElement => 'attr' in n;

/**
 * Compiled XPaths by source, each with only the prefixes it uses: libxml2-wasm compiles an XPath and registers every
 * namespace of the map on each `find` with a string, which made decoding a DocumentEntry cost over 1 ms (profiled in
 * bench:federation). The codecs pass only fixed paths (their schemes come from the metadata vocabulary, never from
 * input), so the cache holds a few dozen entries for the life of the process.
 */
const COMPILED = new Map<string, XmlXPath>();

function compiled(xpath: string): XmlXPath {
  let found = COMPILED.get(xpath);
  if (found === undefined) {
    const used = Object.entries(EBXML_NS).filter(([prefix]) => xpath.includes(`${prefix}:`));
    found = XmlXPath.compile(xpath, Object.fromEntries(used));
    COMPILED.set(xpath, found);
  }
  return found;
}

/** `value` as an XPath 1.0 string literal (which has no escapes: a value holding both quote kinds is refused). */
function xpathLiteral(value: string): string {
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"')) return `"${value}"`;
  throw new EbxmlError('XDSRegistryMetadataError', `unsupported scheme ${value}`);
}

/** Elements selected by a namespace-aware XPath relative to `el` (prefix `rim`, `lcm`, `rs` or `query`). */
export function elements(el: XmlElement, xpath: string): XmlElement[] {
  return el.find(compiled(xpath)).filter(isElement);
}

export function attr(el: XmlElement, name: string): string | undefined {
  return el.attr(name)?.value ?? undefined;
}

/** An attribute the schema or IHE requires; its absence is an XDSRegistryMetadataError. */
export function requiredAttr(el: XmlElement, name: string): string {
  const value = attr(el, name);
  if (value === undefined || value === '') {
    throw new EbxmlError('XDSRegistryMetadataError', `${el.name}${idSuffix(el)}: missing @${name}`);
  }
  return value;
}

const idSuffix = (el: XmlElement): string => {
  const id = attr(el, 'id');
  return id ? ` ${id}` : '';
};

/** `rim:Name` / `rim:Description` text: the `LocalizedString/@value`. */
export function localized(el: XmlElement, child: 'Name' | 'Description'): string | undefined {
  const str = elements(el, `rim:${child}/rim:LocalizedString`)[0];
  return str ? attr(str, 'value') : undefined;
}

/** The direct `rim:Slot` children as name -> values, in document order. */
export function readSlots(el: XmlElement): Map<string, string[]> {
  const slots = new Map<string, string[]>();
  for (const slot of elements(el, 'rim:Slot')) {
    const name = requiredAttr(slot, 'name');
    const values = elements(slot, 'rim:ValueList/rim:Value').map((v) => v.content);
    slots.set(name, [...(slots.get(name) ?? []), ...values]);
  }
  return slots;
}

/** Single value of a slot (first one); IHE single-valued slots carry one `Value`. */
export const first = (slots: Map<string, string[]>, name: string): string | undefined => slots.get(name)?.[0];

/** The slots not in `known`, for the model's `extraSlots`. */
export function extraSlots(slots: Map<string, string[]>, known: readonly string[]): Record<string, string[]> {
  return Object.fromEntries([...slots].filter(([name]) => !known.includes(name)));
}

/** Direct `rim:Classification` children with the given classificationScheme. */
export function classifications(el: XmlElement, scheme: string): XmlElement[] {
  // The filter is in the XPath, so libxml2 compares the schemes; schemes are the metadata vocabulary's UUIDs.
  return elements(el, `rim:Classification[@classificationScheme=${xpathLiteral(scheme)}]`);
}

/** A coded Classification: nodeRepresentation, `codingScheme` slot, Name. See: xds-ini digest 3.3 (last paragraph). */
export function decodeCode(cl: XmlElement): Code {
  const code = requiredAttr(cl, 'nodeRepresentation');
  const scheme = first(readSlots(cl), XDS_SLOT.codingScheme);
  if (!scheme) throw new EbxmlError('XDSRegistryMetadataError', `code ${code}: missing codingScheme slot`);
  const display = localized(cl, 'Name');
  return display === undefined ? { code, scheme } : { code, scheme, display };
}

/** Exactly one coded Classification of a scheme (classCode, typeCode, ...). */
export function requiredCode(el: XmlElement, scheme: string, what: string): Code {
  const [cl, ...more] = classifications(el, scheme);
  if (!cl || more.length > 0) throw new EbxmlError('XDSRegistryMetadataError', `${what}: expected exactly one, found ${more.length + (cl ? 1 : 0)}`);
  return decodeCode(cl);
}

/** An author Classification with its XCN/XON/XTN slots. See: IHE ITI TF-3 4.2.3.1.4; xds-ini digest 3.3. */
export function decodeAuthor(cl: XmlElement): Author {
  const slots = readSlots(cl);
  const person = first(slots, XDS_SLOT.authorPerson);
  const rest = {
    institutions: slots.get(XDS_SLOT.authorInstitution) ?? [],
    roles: slots.get(XDS_SLOT.authorRole) ?? [],
    specialties: slots.get(XDS_SLOT.authorSpecialty) ?? [],
    telecom: slots.get(XDS_SLOT.authorTelecommunication) ?? [],
  };
  return person === undefined ? rest : { person, ...rest };
}

/** The `value` of the ExternalIdentifier of a scheme; absence is an XDSRegistryMetadataError naming it. */
export function externalId(el: XmlElement, scheme: string, what: string): string {
  const ids = elements(el, `rim:ExternalIdentifier[@identificationScheme=${xpathLiteral(scheme)}]`);
  const [id, ...more] = ids;
  if (!id) throw new EbxmlError('XDSRegistryMetadataError', `${what}: missing ExternalIdentifier`);
  if (more.length > 0) throw new EbxmlError('XDSRegistryMetadataError', `${what}: more than one ExternalIdentifier`);
  return requiredAttr(id, 'value');
}

/** `@status` to the model; absent on submissions (the registry sets it), so Approved. See: xds-ini digest 3.3. */
export function decodeStatus(el: XmlElement): AvailabilityStatus {
  const status = attr(el, 'status');
  if (status === undefined || status === STATUS.approved) return 'Approved';
  if (status === STATUS.deprecated) return 'Deprecated';
  throw new EbxmlError('XDSRegistryMetadataError', `unknown status ${status}`);
}

/** `VersionInfo/@versionName` as a number; 1 when absent (first version). See: xds-ini digest 3.8. */
export function decodeVersion(el: XmlElement): number {
  const name = elements(el, 'rim:VersionInfo')[0];
  const value = name ? attr(name, 'versionName') : undefined;
  if (value === undefined) return 1;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new EbxmlError('XDSRegistryMetadataError', `invalid versionName ${value}`);
  return n;
}

/** Drops keys whose value is undefined, so optional fields are absent rather than present-but-undefined. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
