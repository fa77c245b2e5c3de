import { MtomError } from './mtom-error.js';

/**
 * A parsed MIME Content-Type: the lower-cased media type and its parameters (names lower-cased, values unquoted).
 * Written by hand with a character scanner rather than regexes so that quoted strings containing `;` or `=`
 * (for example `start-info` or `action` values) are handled exactly. See: RFC 2045 5.1, xds-ini digest 2.5.
 */
export interface ParsedContentType {
  readonly mediaType: string;
  readonly params: ReadonlyMap<string, string>;
}

const TSPECIALS = '()<>@,;:\\"/[]?=';

function isTokenChar(ch: string): boolean {
  const code = ch.charCodeAt(0);
  return code > 0x20 && code < 0x7f && !TSPECIALS.includes(ch);
}

/** Parses a Content-Type header value; throws {@link MtomError} `malformed` on syntax errors or duplicate parameters. */
export function parseContentType(value: string): ParsedContentType {
  let pos = 0;
  const skipSpace = (): void => {
    while (pos < value.length && (value[pos] === ' ' || value[pos] === '\t')) pos++;
  };
  const readToken = (what: string): string => {
    const start = pos;
    while (pos < value.length && isTokenChar(value.charAt(pos))) pos++;
    if (pos === start) throw new MtomError('malformed', `Content-Type: expected ${what} at offset ${start}`);
    return value.slice(start, pos);
  };
  const readQuoted = (): string => {
    pos++; // opening quote
    let out = '';
    while (pos < value.length) {
      const ch = value.charAt(pos++);
      if (ch === '"') return out;
      if (ch === '\\' && pos < value.length) out += value.charAt(pos++);
      else out += ch;
    }
    throw new MtomError('malformed', 'Content-Type: unterminated quoted string');
  };

  // Lenient on purpose: some stacks send `start=<id@host>` unquoted although `<`, `>` and `@` are tspecials.
  // A bare value runs to the next ";" or whitespace. See: xds-ini digest 2.5 (accept what real clients send).
  const readBareValue = (name: string): string => {
    const start = pos;
    while (pos < value.length && !';" \t'.includes(value.charAt(pos)) && value.charCodeAt(pos) > 0x20) pos++;
    if (pos === start) throw new MtomError('malformed', `Content-Type: parameter "${name}" has an empty value`);
    return value.slice(start, pos);
  };

  skipSpace();
  const type = readToken('media type');
  if (value[pos] !== '/') throw new MtomError('malformed', 'Content-Type: expected "/" after the type');
  pos++;
  const mediaType = `${type}/${readToken('media subtype')}`.toLowerCase();
  const params = new Map<string, string>();
  skipSpace();
  while (pos < value.length) {
    if (value[pos] !== ';') throw new MtomError('malformed', `Content-Type: expected ";" at offset ${pos}`);
    pos++;
    skipSpace();
    if (pos === value.length) break; // tolerate a trailing ";" (some stacks emit it)
    const name = readToken('parameter name').toLowerCase();
    skipSpace();
    if (value[pos] !== '=') throw new MtomError('malformed', `Content-Type: parameter "${name}" has no value`);
    pos++;
    skipSpace();
    const paramValue = value[pos] === '"' ? readQuoted() : readBareValue(name);
    if (params.has(name)) throw new MtomError('malformed', `Content-Type: duplicate parameter "${name}"`);
    params.set(name, paramValue);
    skipSpace();
  }
  return { mediaType, params };
}

/** Quotes a parameter value for a Content-Type header (always quoted, so the output needs no token check). */
export function quoteParam(value: string): string {
  if (/[\r\n]/.test(value)) throw new MtomError('malformed', 'header parameter contains CR or LF');
  return `"${value.replace(/["\\]/g, (ch) => `\\${ch}`)}"`;
}
