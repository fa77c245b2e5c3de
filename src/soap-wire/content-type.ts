import { format, parse } from 'content-type';
import { MtomError } from './mtom-error.js';

/**
 * MIME Content-Type values of SOAP and MTOM messages, read and written with jshttp's `content-type` (the parser
 * express uses). Its parser is lenient on purpose, which suits real XDS senders: CXF sends `start=<id@host>` unquoted
 * although `<`, `>` and `@` are tspecials, some stacks end the header with `;`. What it tolerates silently and an
 * MTOM reader must not is refused here: a media type that is not `type/subtype` tokens, and a quoted value that
 * never ends (the library drops that parameter, so a cut `boundary="...` would surface as a missing boundary).
 * Version 2 is kept: version 3 needs Node.js 22. See: RFC 2045 5.1, RFC 9110 8.3.1; xds-ini digest 2.5.
 */
export interface ParsedContentType {
  /** Lower-cased `type/subtype`. */
  readonly mediaType: string;
  /** Parameters by lower-cased name, values unquoted; the first of a repeated name wins. */
  readonly params: ReadonlyMap<string, string>;
}

const MEDIA_TYPE = /^[!#$%&'*+.^_`|~0-9a-z-]+\/[!#$%&'*+.^_`|~0-9a-z-]+$/;

/** True when a quoted-string is left open: an odd number of double quotes that are not quoted-pairs. */
function hasOpenQuote(value: string): boolean {
  let open = false;
  for (let i = 0; i < value.length; i++) {
    if (open && value[i] === '\\') i++;
    else if (value[i] === '"') open = !open;
  }
  return open;
}

/** Parses a Content-Type header value; throws {@link MtomError} `malformed` when it cannot be trusted. */
export function parseContentType(value: string): ParsedContentType {
  const parsed = parse(value);
  if (!MEDIA_TYPE.test(parsed.type)) throw new MtomError('malformed', `Content-Type: "${parsed.type}" is not a media type`);
  if (hasOpenQuote(value)) throw new MtomError('malformed', 'Content-Type: unterminated quoted string');
  return { mediaType: parsed.type, params: new Map(Object.entries(parsed.parameters)) };
}

/**
 * Writes a Content-Type value; parameter values are quoted where RFC 9110 needs it.
 *
 * @throws {@link MtomError} `malformed` for a value the header cannot carry (CR, LF, other control characters).
 */
export function formatContentType(mediaType: string, params: Readonly<Record<string, string>>): string {
  try {
    return format({ type: mediaType, parameters: { ...params } });
  } catch (err) {
    throw new MtomError('malformed', `Content-Type: ${(err as Error).message}`, { cause: err });
  }
}
