import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { XmlElement } from 'libxml2-wasm';
import { parseMultipartRelated, type MimePart } from '../../src/soap-wire/multipart-related.ts';
import { resolveXopHref, xopHrefFor } from '../../src/soap-wire/xop.ts';
import { withXml } from '../../src/xml/xml-toolkit.ts';
import { CXF_DOC_HREF, CXF_DOC_ID, cxfPackage, DEFAULT_LIMITS, DOCUMENT_BYTES, readableOf } from './fixtures.ts';

const part = (contentId: string): MimePart => ({ headers: {}, contentId, body: Buffer.from(contentId) });
const parts = new Map([CXF_DOC_ID, 'Doc@X', 'a+b@x', 'café@x'].map((id) => [id, part(id)]));
const XOP_NS = 'http://www.w3.org/2004/08/xop/include';

describe('resolveXopHref (xds-ini 2.5, RFC 2392)', () => {
  test('CXF percent-encoded cid resolves after decoding', () => {
    assert.equal(resolveXopHref(CXF_DOC_HREF, parts)?.contentId, CXF_DOC_ID);
    assert.equal(resolveXopHref(`cid:${CXF_DOC_ID}`, parts)?.contentId, CXF_DOC_ID, 'unencoded ids also match');
  });

  test('the match is case-sensitive after decoding; the scheme is not', () => {
    assert.equal(resolveXopHref('cid:Doc%40X', parts)?.contentId, 'Doc@X');
    assert.equal(resolveXopHref('cid:doc%40x', parts), undefined);
    assert.equal(resolveXopHref('CID:Doc@X', parts)?.contentId, 'Doc@X');
  });

  test('"+" is literal (URL decoding, not form decoding) and UTF-8 escapes decode', () => {
    assert.equal(resolveXopHref('cid:a+b@x', parts)?.contentId, 'a+b@x');
    assert.equal(resolveXopHref('cid:caf%C3%A9%40x', parts)?.contentId, 'café@x');
  });

  test('non-cid href, malformed escape or unknown id -> undefined', () => {
    assert.equal(resolveXopHref('http://example.org/doc', parts), undefined);
    assert.equal(resolveXopHref('cid:%E0%A4%A', parts), undefined);
    assert.equal(resolveXopHref('cid:missing@x', parts), undefined);
    assert.equal(resolveXopHref('<Doc@X>', parts), undefined);
  });

  test('xopHrefFor is the inverse, and encodes like CXF', () => {
    assert.equal(xopHrefFor(CXF_DOC_ID), CXF_DOC_HREF);
    for (const id of parts.keys()) assert.equal(resolveXopHref(xopHrefFor(id), parts)?.contentId, id);
  });

  test('end to end: xop:Include found with the XML toolkit, resolved to the attachment', async () => {
    const { contentType, body } = cxfPackage();
    const pkg = await parseMultipartRelated(contentType, readableOf(body), DEFAULT_LIMITS);
    const hrefs = withXml(pkg.root.body, (doc) => doc.find('//xop:Include', { xop: XOP_NS })
      .filter((n): n is XmlElement => 'attr' in n)
      .map((el) => el.attr('href')?.value ?? ''));
    assert.deepEqual(hrefs, [CXF_DOC_HREF]);
    assert.deepEqual(resolveXopHref(hrefs[0] ?? '', pkg.parts)?.body, DOCUMENT_BYTES);
  });
});
