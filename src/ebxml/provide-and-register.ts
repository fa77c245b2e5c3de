import type { XmlElement } from 'libxml2-wasm';
import { writeXml } from '../xml/xml-writer.js';
import type { EntryUuid } from '../domain/ids.js';
import type { Submission } from '../domain/xds.js';
import type { MtomAttachment } from '../soap-wire/mtom-builder.js';
import { NS } from '../xml/xml-toolkit.js';
import { documentContent, writeDocumentContent, type PartLookup } from './document-content.js';
import { EbxmlError } from './ebxml-error.js';
import { EBXML_NS, elements, requiredAttr } from './rim-read.js';
import type { XMLBuilder } from './rim-write.js';
import { decodeSubmitObjectsRequestWithIds, encodeRegistryObjectList } from './submit-objects-request.js';

/**
 * The ITI-41 body codec: `xds:ProvideAndRegisterDocumentSetRequest` = `lcm:SubmitObjectsRequest` + one
 * `xds:Document` per DocumentEntry, each an `xop:Include` to an MTOM part or inline base64. Every document is matched
 * to its ExtrinsicObject through the request's own id context (symbolic or urn:uuid). Hand-written: no npm library
 * encodes IHE XDS.b. See: xds-ini digest 2.5, 4.1; IHE ITI TF-2b 3.41.4.1.2.
 */

const XDS = { xds: NS.xdsb, xop: NS.xop };

/** The decoded request: the submission, every DocumentEntry with the bytes of its document. */
export function decodeProvideAndRegister(request: XmlElement, parts: PartLookup): Submission {
  const [sor] = elements(request, 'lcm:SubmitObjectsRequest');
  if (!sor) throw new EbxmlError('XDSRepositoryMetadataError', 'ProvideAndRegisterDocumentSetRequest: missing lcm:SubmitObjectsRequest');
  const { submission, ids } = decodeSubmitObjectsRequestWithIds(sor);
  const entryIds = new Set(submission.documents.map((d) => d.entry.entryUuid));
  const bytes = new Map<EntryUuid, Uint8Array>();
  for (const el of request.find('xds:Document', XDS).filter((n): n is XmlElement => 'attrs' in n)) {
    const id = requiredAttr(el, 'id');
    let uuid: EntryUuid | undefined;
    try {
      uuid = ids.resolve(id, 'Document/@id');
    } catch {
      uuid = undefined;
    }
    if (uuid === undefined || !entryIds.has(uuid)) {
      throw new EbxmlError('XDSMissingDocumentMetadata', `Document ${id} has no ExtrinsicObject in the submission`, { location: id });
    }
    if (bytes.has(uuid)) throw new EbxmlError('XDSRepositoryMetadataError', `Document ${id} appears twice`, { location: id });
    bytes.set(uuid, documentContent(el, parts, id));
  }
  const documents = submission.documents.map(({ entry }) => {
    const content = bytes.get(entry.entryUuid);
    if (content === undefined) {
      throw new EbxmlError('XDSMissingDocument', `DocumentEntry ${entry.uniqueId} has no Document`, { location: entry.uniqueId });
    }
    return { entry, bytes: content };
  });
  return { ...submission, documents };
}

/**
 * Encodes an ITI-41 body. With `mtom`, every document becomes an `xop:Include` and a part (returned in
 * `attachments`); without, inline base64. Used by tests and by the bridge's own XDS clients.
 */
export function encodeProvideAndRegister(submission: Submission, options: { mtom: boolean }): { xml: (parent: XMLBuilder) => void; attachments: MtomAttachment[] } {
  const attachments: MtomAttachment[] = [];
  const xml = (parent: XMLBuilder): void => {
    const request = parent.ele(NS.xdsb, 'xds:ProvideAndRegisterDocumentSetRequest');
    encodeRegistryObjectList(submission, request.ele(EBXML_NS.lcm, 'lcm:SubmitObjectsRequest'));
    for (const { entry, bytes } of submission.documents) {
      if (bytes === undefined) continue;
      const doc = request.ele(NS.xdsb, 'xds:Document', { id: entry.entryUuid });
      const attachment = writeDocumentContent(doc, bytes, options.mtom);
      if (attachment) attachments.push(attachment);
    }
  };
  return { xml, attachments };
}

/** The body alone as a document string (tests). */
export function encodeProvideAndRegisterDocument(submission: Submission, options: { mtom: boolean }): { text: string; attachments: MtomAttachment[] } {
  const { xml, attachments } = encodeProvideAndRegister(submission, options);
  return { text: writeXml(xml), attachments };
}

