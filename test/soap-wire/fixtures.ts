import { Readable } from 'node:stream';

/**
 * Wire-shaped MTOM fixtures as real XDS tools send them (CXF/JAX-WS, Axis2, .NET WCF), with explicit CRLF.
 * See: xds-ini digest 2.5. The SOAP text here is a fixture of bytes on the wire, not something the bridge builds.
 */

export const ITI41_ACTION = 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b';
export const CXF_ROOT_ID = 'root.message@cxf.apache.org';
export const CXF_DOC_ID = '1.urn:uuid:abc@apache.org';
export const CXF_DOC_HREF = 'cid:1.urn%3Auuid%3Aabc%40apache.org';
export const DEFAULT_LIMITS = { maxBytes: 1 << 20, maxParts: 10, maxPartBytes: 1 << 19 } as const;

/** A compact ITI-41 envelope whose xds:Document refers to `href`. */
export function iti41Envelope(href: string): string {
  return '<?xml version="1.0" encoding="UTF-8"?>'
    + '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body>'
    + '<xds:ProvideAndRegisterDocumentSetRequest xmlns:xds="urn:ihe:iti:xds-b:2007">'
    + `<xds:Document id="Document1"><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="${href}"/>`
    + '</xds:Document></xds:ProvideAndRegisterDocumentSetRequest></soap:Body></soap:Envelope>';
}

/** A CDA-ish payload with bytes that look like MIME syntax (CRLF, "--", a near-boundary) to stress the scanner. */
export const DOCUMENT_BYTES = Buffer.concat([
  Buffer.from('<ClinicalDocument xmlns="urn:hl7-org:v3">\r\n--MIMEBoundary_\r\n\r\n--\r\n</ClinicalDocument>', 'utf8'),
  Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x2d, 0x2d]),
]);

export interface Part {
  readonly headers: readonly string[];
  readonly body: Buffer | string;
}

/** Assembles a package body; `preamble` adds text before the first delimiter, `closing` can be dropped to truncate. */
export function assemble(boundary: string, parts: readonly Part[], options: { preamble?: string; closing?: boolean } = {}): Buffer {
  const chunks: Buffer[] = [];
  if (options.preamble !== undefined) chunks.push(Buffer.from(`${options.preamble}\r\n`, 'latin1'));
  parts.forEach((part, i) => {
    const lead = i === 0 ? '' : '\r\n';
    chunks.push(Buffer.from(`${lead}--${boundary}\r\n${part.headers.join('\r\n')}\r\n\r\n`, 'latin1'));
    chunks.push(typeof part.body === 'string' ? Buffer.from(part.body, 'utf8') : part.body);
  });
  if (options.closing !== false) chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1'));
  return Buffer.concat(chunks);
}

/** The CXF shape: root first, attachment second, percent-encoded cid in the href. See: xds-ini digest 2.5. */
export function cxfPackage(): { contentType: string; body: Buffer } {
  const boundary = 'uuid:0f3a8d1c-4b2e-4c1a-9d55-6b7e8f9a0b1c';
  const contentType = `multipart/related; type="application/xop+xml"; boundary="${boundary}"; `
    + `start="<${CXF_ROOT_ID}>"; start-info="application/soap+xml"; action="${ITI41_ACTION}"`;
  const body = assemble(boundary, [
    {
      headers: ['Content-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"',
        'Content-Transfer-Encoding: binary', `Content-ID: <${CXF_ROOT_ID}>`],
      body: iti41Envelope(CXF_DOC_HREF),
    },
    {
      headers: ['Content-Type: application/octet-stream', 'Content-Transfer-Encoding: binary', `Content-ID: <${CXF_DOC_ID}>`],
      body: DOCUMENT_BYTES,
    },
  ]);
  return { contentType, body };
}

/** Feeds `data` in fixed-size chunks. */
export async function* chunked(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

/** Feeds `data` in chunk sizes from 1 to `max` drawn from a seeded generator, so failures are reproducible. */
export async function* randomChunks(data: Buffer, seed: number, max = 17): AsyncGenerator<Buffer> {
  let state = seed >>> 0 || 1;
  for (let i = 0; i < data.length;) {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    const size = 1 + (state % max);
    yield data.subarray(i, i + size);
    i += size;
  }
}

/** A node Readable, as the HTTP request is. */
export function readableOf(data: Buffer): Readable {
  return Readable.from([data]);
}
