import type { Readable } from 'node:stream';
import { parseContentType } from './content-type.js';
import { MtomError } from './mtom-error.js';

/*
 * Hand-written on purpose: no npm library parses multipart/related MTOM packages on the server side (busboy and
 * formidable only handle multipart/form-data and drop Content-ID; the SOAP stacks that read MTOM are client-side or
 * tied to their own WSDL runtimes). The parser streams: it keeps at most one delimiter's worth of look-behind, so a
 * boundary split across chunks is found, and the limits are enforced before anything is buffered past them.
 * See: xds-ini digest 2.5, RFC 2046 5.1.1, RFC 2387.
 */

/** One MIME body part. Header names are lower-cased; `contentId` has its angle brackets removed. */
export interface MimePart {
  readonly headers: Readonly<Record<string, string>>;
  readonly contentId?: string;
  readonly contentType?: string;
  /** The decoded body (base64 parts are decoded; binary, 8bit and 7bit parts are as received). */
  readonly body: Buffer;
}

/** Limits applied while reading: total bytes received, number of parts, raw (encoded) bytes per part. */
export interface MultipartLimits {
  readonly maxBytes: number;
  readonly maxParts: number;
  readonly maxPartBytes: number;
}

/** A parsed package: the root part (the SOAP envelope) and every part that has a Content-ID, root included. */
export interface MultipartRelated {
  readonly root: MimePart;
  readonly parts: ReadonlyMap<string, MimePart>;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
/** Part headers are small in MTOM (three or four lines); a larger block is an attack or a broken client. */
const MAX_HEADER_BYTES = 16 * 1024;
/** Transport padding after a delimiter line (RFC 2046 5.1.1) is whitespace only; cap it to bound the look-ahead. */
const MAX_DELIMITER_LINE = 1024;

type State = 'preamble' | 'after-delimiter' | 'headers' | 'body' | 'epilogue';

/** Removes the angle brackets of a Content-ID / `start` value (`<a@b>` -> `a@b`); bare values are accepted as is. */
export function stripAngleBrackets(id: string): string {
  const trimmed = id.trim();
  return trimmed.startsWith('<') && trimmed.endsWith('>') ? trimmed.slice(1, -1) : trimmed;
}

function checkBoundary(boundary: string | undefined): string {
  // RFC 2046 5.1.1: 1 to 70 characters, not ending in a space. See: xds-ini digest 2.5 (quoted or unquoted).
  if (boundary === undefined || boundary.length === 0 || boundary.length > 70 || boundary.endsWith(' ')) {
    throw new MtomError('boundary', 'multipart/related Content-Type has no valid boundary parameter');
  }
  for (const ch of boundary) {
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code > 0x7e) throw new MtomError('boundary', 'boundary contains a non-printable character');
  }
  return boundary;
}

function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  const lines: string[] = [];
  for (const line of block.split('\r\n')) {
    if (line === '') continue;
    // RFC 5322 2.2.3 folding: a continuation line starts with whitespace.
    if ((line.startsWith(' ') || line.startsWith('\t')) && lines.length > 0) lines[lines.length - 1] += ` ${line.trim()}`;
    else lines.push(line);
  }
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new MtomError('malformed', `part header line without a name: "${line.slice(0, 60)}"`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const previous = headers[name];
    if (previous !== undefined && ['content-id', 'content-type', 'content-transfer-encoding'].includes(name)) {
      throw new MtomError('malformed', `part has two ${name} headers`);
    }
    headers[name] = previous === undefined ? value : `${previous}, ${value}`;
  }
  return headers;
}

function decodeBody(raw: Buffer, headers: Record<string, string>): Buffer {
  const encoding = (headers['content-transfer-encoding'] ?? 'binary').toLowerCase();
  switch (encoding) {
    case 'binary':
    case '8bit':
    case '7bit':
      return raw;
    case 'base64': {
      // See: xds-ini digest 2.5 (receivers accept base64 attachment parts). Node's decoder skips bad characters
      // silently, so check the alphabet first: a corrupted document must fail here, not at hash verification.
      const text = raw.toString('latin1').replace(/[\r\n\t ]/g, '');
      if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
        throw new MtomError('malformed', 'base64 part body is not valid base64');
      }
      return Buffer.from(text, 'base64');
    }
    default:
      throw new MtomError('malformed', `unsupported Content-Transfer-Encoding "${encoding}"`);
  }
}

function toPart(raw: Buffer, headers: Record<string, string>): MimePart {
  const contentIdHeader = headers['content-id'];
  const contentId = contentIdHeader === undefined ? undefined : stripAngleBrackets(contentIdHeader);
  if (contentId === '') throw new MtomError('malformed', 'part has an empty Content-ID');
  return { headers, contentId, contentType: headers['content-type'], body: decodeBody(raw, headers) };
}

/**
 * Parses an MTOM/XOP multipart/related package from a stream. The root is the part named by the `start` parameter,
 * or the first part when `start` is missing; parts may come in any order. See: xds-ini digest 2.5.
 *
 * @throws {@link MtomError} `boundary` (no usable boundary, or it never occurs), `malformed` (syntax, truncation,
 *   duplicate Content-ID, bad encoding), `too-large`, `too-many-parts`, `missing-root` (`start` names no part).
 */
export async function parseMultipartRelated(
  contentType: string,
  body: Readable | AsyncIterable<Buffer>,
  limits: MultipartLimits,
): Promise<MultipartRelated> {
  const parsed = parseContentType(contentType);
  if (parsed.mediaType !== 'multipart/related') {
    throw new MtomError('malformed', `expected multipart/related, got ${parsed.mediaType}`);
  }
  const boundary = checkBoundary(parsed.params.get('boundary'));
  const startParam = parsed.params.get('start');
  const startId = startParam === undefined ? undefined : stripAngleBrackets(startParam);

  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const keep = delimiter.length - 1;
  const ordered: MimePart[] = [];
  // Widened on purpose: the state is changed inside advance(), which control-flow narrowing does not follow.
  let state = 'preamble' as State;
  // A virtual CRLF lets the first delimiter sit at offset 0 (RFC 2046: the CRLF belongs to the delimiter).
  let buf: Buffer = Buffer.from(CRLF);
  let total = 0;
  let headers: Record<string, string> = {};
  let partChunks: Buffer[] = [];
  let partBytes = 0;

  const addToPart = (chunk: Buffer): void => {
    partBytes += chunk.length;
    if (partBytes > limits.maxPartBytes) {
      throw new MtomError('too-large', `part ${ordered.length + 1} exceeds ${limits.maxPartBytes} bytes`);
    }
    partChunks.push(chunk);
  };

  /** Consumes as much of `buf` as the current state allows; returns when more input is needed. */
  const advance = (): void => {
    for (;;) {
      switch (state) {
        case 'preamble':
        case 'body': {
          const at = buf.indexOf(delimiter);
          if (at < 0) {
            const flushable = buf.length - keep;
            if (flushable > 0) {
              if (state === 'body') addToPart(buf.subarray(0, flushable));
              buf = buf.subarray(flushable);
            }
            return;
          }
          if (state === 'body') {
            addToPart(buf.subarray(0, at));
            ordered.push(toPart(Buffer.concat(partChunks), headers));
          }
          buf = buf.subarray(at + delimiter.length);
          state = 'after-delimiter';
          break;
        }
        case 'after-delimiter': {
          if (buf.length < 2) return;
          if (buf[0] === 0x2d && buf[1] === 0x2d) { // "--": close delimiter
            state = 'epilogue';
            buf = Buffer.alloc(0);
            return;
          }
          const eol = buf.indexOf(CRLF);
          if (eol < 0) {
            if (buf.length > MAX_DELIMITER_LINE) throw new MtomError('malformed', 'delimiter line is not terminated');
            return;
          }
          if (buf.subarray(0, eol).toString('latin1').trim() !== '') {
            throw new MtomError('malformed', 'unexpected characters after a boundary delimiter');
          }
          if (ordered.length + 1 > limits.maxParts) {
            throw new MtomError('too-many-parts', `package has more than ${limits.maxParts} parts`);
          }
          buf = buf.subarray(eol + 2);
          state = 'headers';
          break;
        }
        case 'headers': {
          // A part with no headers starts straight with the blank line.
          const end = buf[0] === 0x0d && buf[1] === 0x0a ? -2 : buf.indexOf(HEADER_END);
          if (end === -1) {
            if (buf.length > MAX_HEADER_BYTES) throw new MtomError('too-large', 'part headers exceed 16 KiB');
            return;
          }
          headers = end === -2 ? {} : parseHeaders(buf.subarray(0, end).toString('latin1'));
          buf = buf.subarray(end === -2 ? 2 : end + HEADER_END.length);
          partChunks = [];
          partBytes = 0;
          state = 'body';
          break;
        }
        case 'epilogue':
          buf = Buffer.alloc(0);
          return;
        default: {
          const unreachable: never = state;
          throw new Error(`unknown parser state ${String(unreachable)}`);
        }
      }
    }
  };

  for await (const chunk of body as AsyncIterable<unknown>) {
    // A stream with setEncoding() yields strings whose original bytes cannot be recovered: a programming error.
    if (!(chunk instanceof Uint8Array)) throw new TypeError('MTOM body must yield Buffers (was setEncoding() called?)');
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    total += bytes.length;
    if (total > limits.maxBytes) throw new MtomError('too-large', `package exceeds ${limits.maxBytes} bytes`);
    // The epilogue is read (so the connection drains) and counted, but never kept.
    if (state === 'epilogue') continue;
    buf = buf.length === 0 ? bytes : Buffer.concat([buf, bytes]);
    advance();
  }

  if (state === 'preamble') throw new MtomError('boundary', `boundary "${boundary}" does not occur in the body`);
  if (state !== 'epilogue') throw new MtomError('malformed', 'package is truncated: no closing boundary');
  return assemble(ordered, startId);
}

function assemble(ordered: readonly MimePart[], startId: string | undefined): MultipartRelated {
  const parts = new Map<string, MimePart>();
  for (const part of ordered) {
    if (part.contentId === undefined) continue;
    if (parts.has(part.contentId)) throw new MtomError('malformed', `duplicate Content-ID <${part.contentId}>`);
    parts.set(part.contentId, part);
  }
  // See: xds-ini digest 2.5: `start` missing -> the root is the first part.
  const root = startId === undefined ? ordered[0] : parts.get(startId);
  if (root === undefined) {
    throw new MtomError('missing-root', startId === undefined ? 'package has no parts' : `start <${startId}> names no part`);
  }
  return { root, parts };
}
