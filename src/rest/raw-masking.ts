import { createHash } from 'node:crypto';

/**
 * What the operator console shows of a raw exchange: readable, but never a usable credential. A JWT keeps its
 * header and claims (what an operator needs to see why the Gateway refused it) and loses its signature, so a copy
 * cannot be replayed; a SAML assertion loses its SignatureValue for the same reason; cookies, CSRF tokens and
 * passwords are dropped. Binary parts (the PDF) are summarised by type, size and SHA-256.
 */

const JWT_HEADERS = new Set(['authorization', 'fse-jwt-signature']);
const SECRET_HEADERS = new Set(['cookie', 'set-cookie', 'x-csrf-token', 'proxy-authorization']);

export function maskJwt(token: string): string {
  const bearer = /^Bearer\s+/i.exec(token)?.[0] ?? '';
  const parts = token.slice(bearer.length).split('.');
  if (parts.length !== 3) return `${bearer}[masked]`;
  return `${bearer}${parts[0]}.${parts[1]}.[signature masked]`;
}

export function maskHeaders(headers: Readonly<Record<string, string | string[] | number | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    const text = Array.isArray(value) ? value.join(', ') : String(value);
    out[key] = SECRET_HEADERS.has(key) ? '[masked]' : JWT_HEADERS.has(key) ? maskJwt(text) : text;
  }
  return out;
}

const TEXTUAL = /^(text\/|application\/([\w.+-]*\+)?(xml|json|x-www-form-urlencoded))/i;

/** Masks and summarises a captured body (latin1 text of the bytes, possibly with an omission marker inside). */
export function maskBody(raw: Buffer, contentType: string | undefined): string {
  if (raw.length === 0) return '';
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('multipart/')) {
    const boundary = /boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
    if (boundary) return maskMultipart(raw.toString('latin1'), boundary);
  }
  if (TEXTUAL.test(type) || (!type && looksTextual(raw))) return maskText(raw.toString('utf8'));
  return summary(raw, type || 'application/octet-stream');
}

function maskMultipart(text: string, boundary: string): string {
  const delimiter = `--${boundary}`;
  return text.split(delimiter).map((part) => {
    const end = part.indexOf('\r\n\r\n');
    if (end < 0) return part;
    const head = part.slice(0, end);
    const body = part.slice(end + 4);
    const type = /content-type:\s*([^\r\n;]+)/i.exec(head)?.[1]?.trim();
    const textual = !type || TEXTUAL.test(type);
    const bytes = Buffer.from(body, 'latin1');
    return `${head}\r\n\r\n${textual ? maskText(bytes.toString('utf8')) : `${summary(bytes, type)}\r\n`}`;
  }).join(delimiter);
}

function maskText(text: string): string {
  return text
    .replace(/(<(?:[\w-]+:)?SignatureValue\b[^>]*>)[^<]*(<\/)/g, '$1[masked]$2')
    .replace(/(<(?:[\w-]+:)?Password\b[^>]*>)[^<]*(<\/)/g, '$1[masked]$2')
    .replace(/("(?:password|secret|client_secret)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi, '$1"[masked]"')
    .replace(/\beyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/g, (jwt) => maskJwt(jwt));
}

function summary(bytes: Buffer, type: string): string {
  return `[${type}, ${bytes.length} bytes captured, sha256 ${createHash('sha256').update(bytes).digest('hex')}]`;
}

function looksTextual(raw: Buffer): boolean {
  const sample = raw.subarray(0, 512);
  return !sample.includes(0) && sample.toString('utf8').indexOf('\uFFFD') < 0;
}
