import { randomUUID } from 'node:crypto';
import type { XmlElement } from 'libxml2-wasm';
import { writeXml } from '../xml/xml-writer.js';
import { parseEntryUuid, type EntryUuid } from '../domain/ids.js';
import type { Folder, Submission, SubmissionSet } from '../domain/xds.js';
import { FOLDER, SUBMISSION_SET } from '../metadata/vocabulary.js';
import { decodeAssociation, encodeAssociation } from './association.js';
import { EbxmlError, parseOrFail } from './ebxml-error.js';
import { decodeDocumentEntry, encodeDocumentEntry } from './extrinsic-object.js';
import { decodeFolder, decodeSubmissionSet, encodeFolder, encodeSubmissionSet, packageKind } from './registry-package.js';
import { attr, EBXML_NS, elements, requiredAttr, type DecodeContext } from './rim-read.js';
import { rim, type XMLBuilder } from './rim-write.js';

/**
 * The `lcm:SubmitObjectsRequest` codec: its RegistryObjectList <-> a {@link Submission}. Hand-written: no npm library
 * encodes IHE XDS ebRIM. See: IHE ITI TF-3 4.2.1 (submission), 4.2.3; xds-ini digest 3.1, 3.8.
 */

const isUuid = (id: string): boolean => id.startsWith('urn:uuid:');

/**
 * The per-request id context: each symbolic id (`Document1`, `SubmissionSet1`, ...) gets a fresh `urn:uuid:` once,
 * and every reference (`classifiedObject`, `registryObject`, `sourceObject`, `targetObject`, `lid`) resolves through
 * the same map. A symbolic reference to no object of this request is unresolvable; `urn:uuid:` references pass as they
 * are (objects already in the registry). Never persist symbolic ids: the Gateway reuses them. See: xds-ini digest 3.8.
 */
export function symbolicIdContext(list: XmlElement): DecodeContext {
  const fresh = new Map<string, EntryUuid>();
  const seen = new Set<string>();
  for (const el of elements(list, './/*[@id]')) {
    const id = requiredAttr(el, 'id');
    if (seen.has(id)) throw new EbxmlError('XDSRegistryMetadataError', `duplicate id ${id} in the request`);
    seen.add(id);
    if (!isUuid(id)) fresh.set(id, `urn:uuid:${randomUUID()}` as EntryUuid);
  }
  return {
    resolve: (id, what) => {
      const mapped = fresh.get(id);
      if (mapped) return mapped;
      if (!isUuid(id)) throw new EbxmlError('UnresolvedReferenceException', `${what}: symbolic id ${id} names no object in the request`);
      return parseOrFail(parseEntryUuid, id, what);
    },
  };
}

/** Top-level marker Classifications (Gateway style `Classification1`): raw classifiedObject -> classificationNode. */
function topLevelMarkers(list: XmlElement): Map<string, string> {
  const markers = new Map<string, string>();
  for (const cl of elements(list, 'rim:Classification')) {
    const node = attr(cl, 'classificationNode');
    if (node !== SUBMISSION_SET.classificationNode && node !== FOLDER.classificationNode) {
      // Coded Classifications are expected nested in the object they classify (IHE ITI TF-3 4.2.3.1.2).
      throw new EbxmlError('XDSRegistryMetadataError', `top-level Classification ${attr(cl, 'id') ?? ''} is not a SubmissionSet/Folder marker`);
    }
    markers.set(requiredAttr(cl, 'classifiedObject'), node);
  }
  return markers;
}

/**
 * Decodes the RegistryObjectList of an `lcm:SubmitObjectsRequest` into a Submission with symbolic ids replaced.
 * Exactly one SubmissionSet is required. See: IHE ITI TF-3 4.2.1.1; xds-ini digest 3.8.
 * @throws EbxmlError with an XDS error code for missing or invalid metadata.
 */
export function decodeSubmitObjectsRequest(request: XmlElement): Submission {
  return decodeSubmitObjectsRequestWithIds(request).submission;
}

/**
 * {@link decodeSubmitObjectsRequest}, also returning the request's id context, for messages that name the objects
 * again outside the RegistryObjectList (ITI-41's `xds:Document/@id`). See: xds-ini digest 2.5.
 */
export function decodeSubmitObjectsRequestWithIds(request: XmlElement): { submission: Submission; ids: DecodeContext } {
  const [list] = elements(request, 'rim:RegistryObjectList');
  if (!list) throw new EbxmlError('XDSRegistryMetadataError', 'SubmitObjectsRequest: missing RegistryObjectList');
  const ctx = symbolicIdContext(list);
  const markers = topLevelMarkers(list);
  const submissionSets: SubmissionSet[] = [];
  const folders: Folder[] = [];
  for (const pkg of elements(list, 'rim:RegistryPackage')) {
    if (packageKind(pkg, markers) === 'SubmissionSet') submissionSets.push(decodeSubmissionSet(pkg, ctx));
    else folders.push(decodeFolder(pkg, ctx));
  }
  const [submissionSet, ...others] = submissionSets;
  if (!submissionSet || others.length > 0) {
    throw new EbxmlError('XDSRegistryMetadataError', `SubmitObjectsRequest: expected one SubmissionSet, found ${submissionSets.length}`);
  }
  const submission: Submission = {
    submissionSet,
    documents: elements(list, 'rim:ExtrinsicObject').map((eo) => ({ entry: decodeDocumentEntry(eo, ctx) })),
    folders,
    associations: elements(list, 'rim:Association').map((a) => decodeAssociation(a, ctx)),
  };
  return { submission, ids: ctx };
}

/** Appends a `rim:RegistryObjectList` with every object of the submission to `parent`. */
export function encodeRegistryObjectList(submission: Submission, parent: XMLBuilder): XMLBuilder {
  const list = rim(parent, 'RegistryObjectList');
  encodeSubmissionSet(submission.submissionSet, list);
  for (const folder of submission.folders) encodeFolder(folder, list);
  for (const { entry } of submission.documents) encodeDocumentEntry(entry, list);
  for (const association of submission.associations) encodeAssociation(association, list);
  return list;
}

/** Encodes a whole `lcm:SubmitObjectsRequest` document (the ITI-42 body; ITI-41 wraps it). See: IHE ITI TF-3 4.2.1.1. */
export function encodeSubmitObjectsRequest(submission: Submission): string {
  return writeXml((doc) => { encodeRegistryObjectList(submission, doc.ele(EBXML_NS.lcm, 'lcm:SubmitObjectsRequest')); });
}
