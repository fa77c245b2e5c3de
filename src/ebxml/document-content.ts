import type { XmlElement } from 'libxml2-wasm';
import { randomUUID } from 'node:crypto';
import type { MtomAttachment } from '../soap-wire/mtom-builder.js';
import type { MimePart } from '../soap-wire/multipart-related.js';
import { resolveXopHref, xopHrefFor } from '../soap-wire/xop.js';
import { NS } from '../xml/xml-toolkit.js';
import { EbxmlError } from './ebxml-error.js';
import type { XMLBuilder } from './rim-write.js';

/**
 * The content of an `xds:Document` element (ITI-41 request, ITI-43 response): an `xop:Include` to an MTOM part, or
 * the bytes inline as base64 text. See: xds-ini digest 2.5 (receivers accept both, percent-encoded cids).
 */
export type PartLookup = ReadonlyMap<string, MimePart>;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The bytes of a Document element. `what` names it in errors (its id or uniqueId). */
export function documentContent(el: XmlElement, parts: PartLookup, what: string): Uint8Array {
  const includes = el.find('xop:Include', { xop: NS.xop }).filter((n): n is XmlElement => 'attrs' in n);
  if (includes.length > 1) throw new EbxmlError('XDSRepositoryMetadataError', `Document ${what}: more than one xop:Include`, { location: what });
  const [include] = includes;
  if (include) {
    const href = include.attr('href')?.value ?? '';
    const part = resolveXopHref(href, parts);
    if (!part) throw new EbxmlError('XDSMissingDocument', `Document ${what}: xop:Include ${href} names no MIME part`, { location: what });
    return part.body;
  }
  const text = el.content.replace(/\s+/g, '');
  if (text.length % 4 !== 0 || !BASE64.test(text)) {
    throw new EbxmlError('XDSRepositoryMetadataError', `Document ${what}: inline content is not base64`, { location: what });
  }
  return Buffer.from(text, 'base64');
}

/**
 * Writes a document as an `xop:Include` (returning its part) or as inline base64. Parts are
 * `application/octet-stream`: XDS mime types such as `application/pdf+text/x-cda-r2+xml` are not MIME media types,
 * and the element's `mimeType` says what the bytes are. See: xds-ini digest 2.5.
 */
export function writeDocumentContent(parent: XMLBuilder, bytes: Uint8Array, mtom: boolean): MtomAttachment | undefined {
  if (!mtom) {
    parent.txt(Buffer.from(bytes).toString('base64'));
    return undefined;
  }
  const contentId = `${randomUUID()}@fse-bridge`;
  parent.ele(NS.xop, 'xop:Include', { href: xopHrefFor(contentId) });
  return { contentId, contentType: 'application/octet-stream', body: bytes };
}
