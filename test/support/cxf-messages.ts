import { readFileSync } from 'node:fs';
import type { XmlElement } from 'libxml2-wasm';
import { withXml } from '../../src/xml/xml-toolkit.js';

/**
 * The team's CXF-shaped ITI-41 fixture (`test/soap/fixtures/iti41-cxf-envelope.xml`) with fresh uniqueIds, and MTOM
 * packages assembled byte by byte the way CXF and Axis2 send them: the attachment before the root part, `start`
 * unquoted, the action in the Content-Type, a percent-encoded cid.
 */
const FIXTURE = readFileSync(new URL('../soap/fixtures/iti41-cxf-envelope.xml', import.meta.url), 'utf8');
const RIM = { rim: 'urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0' };

/** The Content-ID the fixture's xop:Include names (after percent-decoding). */
export const CXF_CONTENT_ID = '1.urn:uuid:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0@apache.org';
const ROOT_ID = 'root.message@cxf.apache.org';

/** The fixture envelope with its document and SubmissionSet uniqueIds replaced (DOM edit) and an optional extra edit. */
export function cxfEnvelope(documentExt: string, edit?: (root: XmlElement) => void): { xml: string; uniqueId: string } {
  const uniqueId = `2.16.840.1.113883.2.9.2.120.4.4^${documentExt}`;
  const xml = withXml(FIXTURE, (doc) => {
    const set = (id: string, value: string) => {
      const [el] = doc.find(`//rim:ExternalIdentifier[@id="${id}"]`, RIM) as XmlElement[];
      const attribute = el?.attr('value');
      if (!attribute) throw new Error(`fixture has no ExternalIdentifier ${id}`);
      attribute.value = value;
    };
    set('ei02', uniqueId);
    set('ei03', `2.16.840.1.113883.2.9.2.120.4.3.${Date.now()}${Math.floor(Math.random() * 1000)}`);
    edit?.(doc.root);
    return doc.toString();
  });
  return { xml, uniqueId };
}

/** A CXF-style MTOM package: attachment part first, root second, CRLF line ends. */
export function cxfMtom(envelope: string, pdf: Uint8Array, action = 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b'): { contentType: string; body: Buffer } {
  const boundary = 'uuid:8c4f0e3e-1d2a-4b5c-9e8f-7a6b5c4d3e2f';
  const crlf = '\r\n';
  const head = (lines: string[]) => Buffer.from(`--${boundary}${crlf}${lines.join(crlf)}${crlf}${crlf}`, 'latin1');
  const body = Buffer.concat([
    head(['Content-Type: application/octet-stream', 'Content-Transfer-Encoding: binary', `Content-ID: <${CXF_CONTENT_ID}>`]),
    Buffer.from(pdf), Buffer.from(crlf),
    head(['Content-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"', 'Content-Transfer-Encoding: binary', `Content-ID: <${ROOT_ID}>`]),
    Buffer.from(envelope, 'utf8'), Buffer.from(crlf),
    Buffer.from(`--${boundary}--${crlf}`, 'latin1'),
  ]);
  const contentType = `multipart/related; type="application/xop+xml"; boundary="${boundary}"; start=<${ROOT_ID}>; start-info="application/soap+xml"; action="${action}"`;
  return { contentType, body };
}
