import { randomBytes, randomUUID } from 'node:crypto';
import { formatContentType } from './content-type.js';
import { MtomError } from './mtom-error.js';

/** One binary attachment: referenced from the root XML by `xop:Include href="cid:…"` (see `xopHrefFor`). */
export interface MtomAttachment {
  /** Content-ID without angle brackets. */
  readonly contentId: string;
  readonly contentType: string;
  readonly body: Uint8Array;
}

/** What to package: the SOAP 1.2 envelope (already containing its xop:Include elements), its action, the parts. */
export interface MtomPackageInput {
  readonly rootXml: string;
  readonly action: string;
  readonly attachments: readonly MtomAttachment[];
}

/** An HTTP-ready MTOM package: the top-level Content-Type header value and the body bytes. */
export interface MtomPackage {
  readonly contentType: string;
  readonly body: Buffer;
}

const CRLF = '\r\n';

function checkHeaderValue(what: string, value: string): void {
  // Header injection guard: the values come from our own code, but a CR/LF would split the part headers.
  if (/[\r\n]/.test(value)) throw new MtomError('malformed', `${what} contains CR or LF`);
}

function checkContentId(id: string): void {
  checkHeaderValue('Content-ID', id);
  if (id === '' || id.includes('<') || id.includes('>')) {
    throw new MtomError('malformed', `Content-ID "${id}" must be non-empty and given without angle brackets`);
  }
}

function pickBoundary(payloads: readonly Uint8Array[]): string {
  // 48 random hex digits make a collision practically impossible; checking anyway costs one scan per payload.
  for (;;) {
    const boundary = `MIMEBoundary_${randomBytes(24).toString('hex')}`;
    const needle = Buffer.from(boundary, 'latin1');
    if (payloads.every((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength).indexOf(needle) < 0)) return boundary;
  }
}

/**
 * Builds an MTOM/XOP multipart/related package: the root part (`application/xop+xml`, SOAP 1.2) first, then each
 * attachment as a binary part. Used for ITI-43 responses and for MTOM ITI-41 responses. See: xds-ini digest 2.5, 2.1.
 *
 * @throws {@link MtomError} `malformed` for an invalid or duplicate Content-ID or a header value with CR/LF.
 */
export function buildMtom(input: MtomPackageInput): MtomPackage {
  checkHeaderValue('action', input.action);
  const rootId = `root.message.${randomUUID()}@fse-bridge`;
  const seen = new Set<string>([rootId]);
  for (const attachment of input.attachments) {
    checkContentId(attachment.contentId);
    checkHeaderValue('Content-Type', attachment.contentType);
    if (seen.has(attachment.contentId)) throw new MtomError('malformed', `duplicate Content-ID <${attachment.contentId}>`);
    seen.add(attachment.contentId);
  }

  const rootBytes = Buffer.from(input.rootXml, 'utf8');
  const boundary = pickBoundary([rootBytes, ...input.attachments.map((a) => a.body)]);
  const chunks: Buffer[] = [];
  const head = (lines: readonly string[]): void => {
    chunks.push(Buffer.from(`--${boundary}${CRLF}${lines.join(CRLF)}${CRLF}${CRLF}`, 'latin1'));
  };

  // See: xds-ini digest 2.5: root part headers as CXF sends them.
  head([
    `Content-Type: ${formatContentType('application/xop+xml', { charset: 'UTF-8', type: 'application/soap+xml' })}`,
    'Content-Transfer-Encoding: binary',
    `Content-ID: <${rootId}>`,
  ]);
  chunks.push(rootBytes, Buffer.from(CRLF, 'latin1'));
  for (const attachment of input.attachments) {
    head([
      `Content-Type: ${attachment.contentType}`,
      'Content-Transfer-Encoding: binary',
      `Content-ID: <${attachment.contentId}>`,
    ]);
    chunks.push(Buffer.from(attachment.body), Buffer.from(CRLF, 'latin1'));
  }
  chunks.push(Buffer.from(`--${boundary}--${CRLF}`, 'latin1'));

  const contentType = formatContentType('multipart/related', {
    type: 'application/xop+xml', boundary, start: `<${rootId}>`, 'start-info': 'application/soap+xml', action: input.action,
  });
  return { contentType, body: Buffer.concat(chunks) };
}
