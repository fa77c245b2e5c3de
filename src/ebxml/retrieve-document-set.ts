import type { XmlElement } from 'libxml2-wasm';
import { parseRepositoryUniqueId, parseUniqueId } from '../domain/ids.js';
import type { ResponseStatus } from '../domain/registry-response.js';
import type { DocumentRequest, RetrievedDocument, RetrieveResponse } from '../domain/retrieve.js';
import type { MtomAttachment } from '../soap-wire/mtom-builder.js';
import { NS } from '../xml/xml-toolkit.js';
import { documentContent, writeDocumentContent, type PartLookup } from './document-content.js';
import { EbxmlError } from './ebxml-error.js';
import type { DecodedRegistryError } from './registry-error-list.js';
import { decodeRegistryResponse, encodeRegistryResponse } from './registry-response.js';
import { EBXML_NS } from './rim-read.js';
import type { XMLBuilder } from './rim-write.js';

/**
 * The ITI-43 codecs: `xds:RetrieveDocumentSetRequest` (1..n DocumentRequest) and `xds:RetrieveDocumentSetResponse`
 * (a RegistryResponse and 0..n DocumentResponse, each document an `xop:Include` in MTOM). Hand-written: no npm
 * library encodes IHE XDS.b. See: xds-ini digest 4.3; IHE ITI TF-2b 3.43.4.1.2, 3.43.4.2.2.
 */

const ns = { xds: NS.xdsb, rs: EBXML_NS.rs };

const children = (el: XmlElement, xpath: string): XmlElement[] =>
  el.find(xpath, ns).filter((n): n is XmlElement => 'attrs' in n);

function childText(el: XmlElement, name: string): string | undefined {
  const value = children(el, `xds:${name}`)[0]?.content.trim();
  return value === undefined || value === '' ? undefined : value;
}

function required(el: XmlElement, name: string, index: number): string {
  const value = childText(el, name);
  if (value === undefined) throw new EbxmlError('XDSRepositoryError', `DocumentRequest ${index + 1}: missing ${name}`);
  return value;
}

/**
 * The `xds:DocumentRequest` children of a request (ITI-43, and ITI-86 whose rmd element carries the same ones);
 * none, or a malformed id, fails the request as a whole (a client error, not a missing document).
 */
export function decodeDocumentRequests(el: XmlElement, what: string): DocumentRequest[] {
  const requests = children(el, 'xds:DocumentRequest');
  if (requests.length === 0) throw new EbxmlError('XDSRepositoryError', `${what} has no DocumentRequest`);
  return requests.map((r, i) => {
    const repository = required(r, 'RepositoryUniqueId', i);
    const document = required(r, 'DocumentUniqueId', i);
    const home = childText(r, 'HomeCommunityId');
    let ids;
    try {
      ids = { repositoryUniqueId: parseRepositoryUniqueId(repository), documentUniqueId: parseUniqueId(document) };
    } catch (cause) {
      throw new EbxmlError('XDSDocumentUniqueIdError', `DocumentRequest ${i + 1}: malformed id (${repository}, ${document})`, { location: document, cause });
    }
    return home === undefined ? ids : { ...ids, homeCommunityId: home };
  });
}

/** Writes one `xds:DocumentRequest` per request under `el`, in the schema's order. */
export function encodeDocumentRequests(requests: readonly DocumentRequest[], el: XMLBuilder): void {
  for (const r of requests) {
    const dr = el.ele(NS.xdsb, 'xds:DocumentRequest');
    if (r.homeCommunityId !== undefined) dr.ele(NS.xdsb, 'xds:HomeCommunityId').txt(r.homeCommunityId);
    dr.ele(NS.xdsb, 'xds:RepositoryUniqueId').txt(r.repositoryUniqueId);
    dr.ele(NS.xdsb, 'xds:DocumentUniqueId').txt(r.documentUniqueId);
  }
}

export function decodeRetrieveRequest(el: XmlElement): DocumentRequest[] {
  return decodeDocumentRequests(el, 'RetrieveDocumentSetRequest');
}

/** Encodes a request (tests and the bridge's own clients). */
export function encodeRetrieveRequest(requests: readonly DocumentRequest[], parent: XMLBuilder): void {
  encodeDocumentRequests(requests, parent.ele(NS.xdsb, 'xds:RetrieveDocumentSetRequest'));
}

/** Encodes the response; with `mtom`, documents are xop:Include parts returned in `attachments`. */
export function encodeRetrieveResponse(response: RetrieveResponse, parent: XMLBuilder, mtom = true): MtomAttachment[] {
  const el = parent.ele(NS.xdsb, 'xds:RetrieveDocumentSetResponse');
  encodeRegistryResponse({ status: response.status, errors: response.errors }, el);
  const attachments: MtomAttachment[] = [];
  for (const doc of response.documents) {
    const dr = el.ele(NS.xdsb, 'xds:DocumentResponse');
    if (doc.homeCommunityId !== undefined) dr.ele(NS.xdsb, 'xds:HomeCommunityId').txt(doc.homeCommunityId);
    dr.ele(NS.xdsb, 'xds:RepositoryUniqueId').txt(doc.repositoryUniqueId);
    dr.ele(NS.xdsb, 'xds:DocumentUniqueId').txt(doc.documentUniqueId);
    dr.ele(NS.xdsb, 'xds:mimeType').txt(doc.mimeType);
    const attachment = writeDocumentContent(dr.ele(NS.xdsb, 'xds:Document'), doc.bytes, mtom);
    if (attachment) attachments.push(attachment);
  }
  return attachments;
}

export interface DecodedRetrieveResponse {
  readonly status: ResponseStatus;
  readonly errors: readonly DecodedRegistryError[];
  readonly documents: readonly RetrievedDocument[];
}

/** Decodes a response, resolving each document's xop:Include against `parts` (or reading inline base64). */
export function decodeRetrieveResponse(el: XmlElement, parts: PartLookup): DecodedRetrieveResponse {
  const [registryResponse] = children(el, 'rs:RegistryResponse');
  if (!registryResponse) throw new EbxmlError('XDSRepositoryError', 'RetrieveDocumentSetResponse has no RegistryResponse');
  const { status, errors } = decodeRegistryResponse(registryResponse);
  const documents = children(el, 'xds:DocumentResponse').map((dr, i) => {
    const [content] = children(dr, 'xds:Document');
    const uniqueId = required(dr, 'DocumentUniqueId', i);
    if (!content) throw new EbxmlError('XDSRepositoryError', `DocumentResponse ${uniqueId} has no Document`);
    const home = childText(dr, 'HomeCommunityId');
    return {
      repositoryUniqueId: parseRepositoryUniqueId(required(dr, 'RepositoryUniqueId', i)),
      documentUniqueId: parseUniqueId(uniqueId),
      mimeType: required(dr, 'mimeType', i),
      bytes: documentContent(content, parts, uniqueId),
      ...(home === undefined ? {} : { homeCommunityId: home }),
    };
  });
  return { status, errors, documents };
}
