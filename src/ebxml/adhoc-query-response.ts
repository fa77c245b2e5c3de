import type { XmlElement } from 'libxml2-wasm';
import { writeXml } from '../xml/xml-writer.js';
import { parseEntryUuid } from '../domain/ids.js';
import type { QueryResult, QueryReturnType } from '../domain/stored-query.js';
import type { Folder, SubmissionSet } from '../domain/xds.js';
import type { RegistryError } from '../errors/xds-codes.js';
import { FOLDER, SUBMISSION_SET } from '../metadata/vocabulary.js';
import { decodeAssociation, encodeAssociation } from './association.js';
import { parseOrFail } from './ebxml-error.js';
import { decodeDocumentEntry, encodeDocumentEntry } from './extrinsic-object.js';
import { decodeRegistryErrorList, decodeResponseStatus, encodeRegistryErrorList, RESPONSE_STATUS_URN, type DecodedRegistryError } from './registry-error-list.js';
import { decodeFolder, decodeSubmissionSet, encodeFolder, encodeSubmissionSet, packageKind } from './registry-package.js';
import { attr, EBXML_NS, elements, requiredAttr, UUID_CONTEXT } from './rim-read.js';
import { rim, type XMLBuilder } from './rim-write.js';
import type { ResponseStatus } from '../domain/registry-response.js';

/**
 * The ITI-18 response codec: `query:AdhocQueryResponse` <-> status, RegistryErrorList and {@link QueryResult}.
 * LeafClass objects are written with their composed objects nested (`returnComposedObjects="true"`) by the ebRIM
 * codecs; ObjectRef results are `rim:ObjectRef` elements. Hand-written: no npm library encodes ebRS 3.0.
 * See: IHE ITI TF-2a 3.18.4.1.3; ebRS 3.0 AdhocQueryResponse; xds-ini digest 4.4, 8.4, 10 item 2.
 */
export interface AdhocQueryResponse {
  readonly status: ResponseStatus;
  readonly errors: readonly RegistryError[];
  readonly result: QueryResult;
}

/** A response read from another registry (INI): its error codes may be ones the bridge never raises. */
export interface DecodedAdhocQueryResponse {
  readonly status: ResponseStatus;
  readonly errors: readonly DecodedRegistryError[];
  readonly result: QueryResult;
}

/**
 * Appends `query:AdhocQueryResponse` to `parent`: RegistryErrorList (when there are errors), then the
 * RegistryObjectList, which the schema requires even when empty (no match is Success with an empty list).
 */
export function encodeAdhocQueryResponse(response: AdhocQueryResponse, parent: XMLBuilder): XMLBuilder {
  const el = parent.ele(EBXML_NS.query, 'query:AdhocQueryResponse', { status: RESPONSE_STATUS_URN[response.status] });
  encodeRegistryErrorList(response.errors, el);
  const list = rim(el, 'RegistryObjectList');
  const { result } = response;
  if (result.kind === 'ObjectRef') {
    for (const id of result.refs) rim(list, 'ObjectRef', { id });
    return el;
  }
  for (const entry of result.documentEntries) encodeDocumentEntry(entry, list);
  for (const ss of result.submissionSets) encodeSubmissionSet(ss, list);
  for (const folder of result.folders) encodeFolder(folder, list);
  for (const association of result.associations) encodeAssociation(association, list);
  return el;
}

/** A whole `query:AdhocQueryResponse` document. */
export function encodeAdhocQueryResponseDocument(response: AdhocQueryResponse): string {
  return writeXml((doc) => { encodeAdhocQueryResponse(response, doc); });
}

const withoutPrefix = (id: string): string => (id.startsWith('urn:uuid:') ? id.slice('urn:uuid:'.length) : id);

/**
 * Top-level SubmissionSet/Folder marker Classifications, keyed by the package id they classify. INI writes
 * `classifiedObject` without the `urn:uuid:` its packages' ids carry, so both spellings are keys.
 * See: xds-ini digest 8.4, 10 items 2 and 15.
 */
function topLevelMarkers(list: XmlElement): Map<string, string> {
  const markers = new Map<string, string>();
  for (const cl of elements(list, 'rim:Classification')) {
    const node = attr(cl, 'classificationNode');
    const target = attr(cl, 'classifiedObject');
    if (target === undefined || (node !== SUBMISSION_SET.classificationNode && node !== FOLDER.classificationNode)) continue;
    markers.set(withoutPrefix(target), node);
    markers.set(`urn:uuid:${withoutPrefix(target)}`, node);
  }
  return markers;
}

/**
 * The return type of a response when the caller does not say: ObjectRef when it carries only ObjectRefs. INI's
 * LeafClass responses end with ObjectRefs for the scheme UUIDs they use, so any full object makes it LeafClass.
 */
function inferReturnType(list: XmlElement | undefined): QueryReturnType {
  if (list === undefined) return 'LeafClass';
  const full = elements(list, 'rim:ExtrinsicObject | rim:RegistryPackage | rim:Association');
  return full.length === 0 && elements(list, 'rim:ObjectRef').length > 0 ? 'ObjectRef' : 'LeafClass';
}

/**
 * Decodes a `query:AdhocQueryResponse` element. LeafClass objects go through the ebRIM decoders (every id a
 * `urn:uuid:`); top-level ObjectRefs in a LeafClass response (INI's scheme references) are ignored, and references
 * are read by nesting, never by `classifiedObject`. Pass `returnType` when the request's is known.
 * @throws EbxmlError when an object is not valid XDS metadata.
 */
export function decodeAdhocQueryResponse(el: XmlElement, returnType?: QueryReturnType): DecodedAdhocQueryResponse {
  const [list] = elements(el, 'rim:RegistryObjectList');
  const status = decodeResponseStatus(el);
  const errors = decodeRegistryErrorList(el);
  if ((returnType ?? inferReturnType(list)) === 'ObjectRef') {
    const refs = list === undefined ? [] : elements(list, 'rim:ObjectRef')
      .map((ref) => parseOrFail(parseEntryUuid, requiredAttr(ref, 'id'), 'ObjectRef/@id'));
    return { status, errors, result: { kind: 'ObjectRef', refs } };
  }
  if (list === undefined) {
    return { status, errors, result: { kind: 'LeafClass', documentEntries: [], submissionSets: [], folders: [], associations: [] } };
  }
  const markers = topLevelMarkers(list);
  const submissionSets: SubmissionSet[] = [];
  const folders: Folder[] = [];
  for (const pkg of elements(list, 'rim:RegistryPackage')) {
    if (packageKind(pkg, markers) === 'SubmissionSet') submissionSets.push(decodeSubmissionSet(pkg, UUID_CONTEXT));
    else folders.push(decodeFolder(pkg, UUID_CONTEXT));
  }
  return {
    status,
    errors,
    result: {
      kind: 'LeafClass',
      documentEntries: elements(list, 'rim:ExtrinsicObject').map((eo) => decodeDocumentEntry(eo, UUID_CONTEXT)),
      submissionSets,
      folders,
      associations: elements(list, 'rim:Association').map((a) => decodeAssociation(a, UUID_CONTEXT)),
    },
  };
}
