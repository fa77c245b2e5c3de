import type { XmlElement } from 'libxml2-wasm';
import { writeXml } from '../xml/xml-writer.js';
import type { QueryReturnType, StoredQueryRequest } from '../domain/stored-query.js';
import { EbxmlError } from './ebxml-error.js';
import { attr, EBXML_NS, elements } from './rim-read.js';
import { rim, writeSlot, type XMLBuilder } from './rim-write.js';
import { decodeStoredQuery, encodeStoredQuery, type QueryParams } from './stored-queries/index.js';

/**
 * The ITI-18 request codec: `query:AdhocQueryRequest` <-> {@link StoredQueryRequest}. Read namespace-aware, so any
 * prefixes or default namespaces work; the query itself is decoded by the codec of its id (`stored-queries/`).
 * Hand-written: no npm library encodes ebRS 3.0. See: IHE ITI TF-2a 3.18.4.1.2; ebRS 3.0 query.xsd;
 * xds-ini digest 4.4, 5.
 */

const registryError = (detail: string): EbxmlError => new EbxmlError('XDSRegistryError', `AdhocQueryRequest: ${detail}`);

/**
 * `ResponseOption/@returnType`. ebRS 3.0 makes `RegistryObject` the default when the attribute is absent, and IHE
 * allows only `LeafClass` and `ObjectRef` (ITI-63's `LeafClassWithRepositoryItem` is not ITI-18), so an absent or
 * other value is refused rather than guessed. See: ebRS 3.0 ResponseOptionType; xds-ini digest 3.6, 5.2.
 */
function decodeReturnType(request: XmlElement): QueryReturnType {
  const [option, ...more] = elements(request, 'query:ResponseOption');
  if (option === undefined || more.length > 0) throw registryError('expected one query:ResponseOption');
  const returnType = attr(option, 'returnType') ?? 'RegistryObject';
  if (returnType === 'LeafClass' || returnType === 'ObjectRef') return returnType;
  throw new EbxmlError('XDSRegistryError', `ResponseOption/@returnType ${returnType} is not supported: use LeafClass or ObjectRef`, {
    location: 'returnType',
  });
}

/** The slots of the AdhocQuery, each occurrence kept apart (the AND parameters repeat). */
function readQueryParams(query: XmlElement): QueryParams {
  const params = new Map<string, string[][]>();
  for (const slot of elements(query, 'rim:Slot')) {
    const name = attr(slot, 'name');
    if (name === undefined || name === '') throw registryError('a rim:Slot without @name');
    const values = elements(slot, 'rim:ValueList/rim:Value').map((v) => v.content);
    params.set(name, [...(params.get(name) ?? []), values]);
  }
  return params;
}

/**
 * Decodes an ITI-18 request body; `el` is the `query:AdhocQueryRequest` element.
 * @throws EbxmlError with the XDS code to answer in a Failure AdhocQueryResponse: `XDSUnknownStoredQuery`,
 * `XDSStoredQueryMissingParam`, `XDSStoredQueryParamNumber`, or `XDSRegistryError` for malformed values.
 */
export function decodeAdhocQueryRequest(el: XmlElement): StoredQueryRequest {
  if (el.namespaceUri !== EBXML_NS.query || el.name !== 'AdhocQueryRequest') {
    throw registryError(`expected {${EBXML_NS.query}}AdhocQueryRequest, found {${el.namespaceUri}}${el.name}`);
  }
  const returnType = decodeReturnType(el);
  const [query, ...more] = elements(el, 'rim:AdhocQuery');
  if (query === undefined || more.length > 0) throw registryError('expected one rim:AdhocQuery');
  const id = attr(query, 'id');
  if (id === undefined || id === '') throw new EbxmlError('XDSUnknownStoredQuery', 'AdhocQuery without @id');
  const home = attr(query, 'home');
  const request = { returnType, query: decodeStoredQuery(id, readQueryParams(query)) };
  return home === undefined || home === '' ? request : { ...request, homeCommunityId: home };
}

/** Appends a `query:AdhocQueryRequest` for `request` to `parent` (`returnComposedObjects="true"`, as IHE expects). */
export function encodeAdhocQueryRequest(request: StoredQueryRequest, parent: XMLBuilder): XMLBuilder {
  const { id, slots } = encodeStoredQuery(request.query);
  const el = parent.ele(EBXML_NS.query, 'query:AdhocQueryRequest');
  el.ele(EBXML_NS.query, 'query:ResponseOption', { returnComposedObjects: 'true', returnType: request.returnType });
  const query = rim(el, 'AdhocQuery', { id, home: request.homeCommunityId });
  for (const slot of slots) writeSlot(query, slot.name, slot.values);
  return el;
}

/** A whole `query:AdhocQueryRequest` document, e.g. to send ITI-18 to INI. */
export function encodeAdhocQueryRequestDocument(request: StoredQueryRequest): string {
  return writeXml((doc) => { encodeAdhocQueryRequest(request, doc); });
}
