import type { MimePart } from './multipart-related.js';

/*
 * XOP reference resolution only: the caller finds xop:Include elements with the XML toolkit (src/xml/xml-toolkit.ts)
 * and passes the `href` attribute here. No XML is read in this module. See: xds-ini digest 2.5.
 */

const CID_SCHEME = 'cid:';

/**
 * Resolves an `xop:Include/@href` to its MIME part. The href is `cid:` plus the Content-ID without angle brackets,
 * URL-encoded (RFC 2392): `%xx` is decoded first, then the id is matched case-sensitively. Returns `undefined` for a
 * non-`cid:` href, a malformed percent-encoding, or an id no part carries. See: xds-ini digest 2.5.
 */
export function resolveXopHref(href: string, parts: ReadonlyMap<string, MimePart>): MimePart | undefined {
  const trimmed = href.trim();
  // URI schemes are case-insensitive (RFC 3986 3.1); the id after the scheme is not.
  if (trimmed.slice(0, CID_SCHEME.length).toLowerCase() !== CID_SCHEME) return undefined;
  let contentId: string;
  try {
    // decodeURIComponent, not form decoding: RFC 2392 uses URL %-escapes, and "+" stays a literal "+".
    contentId = decodeURIComponent(trimmed.slice(CID_SCHEME.length));
  } catch {
    return undefined;
  }
  return parts.get(contentId);
}

/** Builds the `xop:Include/@href` for a Content-ID (angle brackets excluded), the inverse of {@link resolveXopHref}. */
export function xopHrefFor(contentId: string): string {
  return `${CID_SCHEME}${encodeURIComponent(contentId)}`;
}
