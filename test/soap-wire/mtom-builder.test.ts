import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseContentType } from '../../src/soap-wire/content-type.ts';
import { buildMtom } from '../../src/soap-wire/mtom-builder.ts';
import { isMtomError } from '../../src/soap-wire/mtom-error.ts';
import { parseMultipartRelated } from '../../src/soap-wire/multipart-related.ts';
import { resolveXopHref, xopHrefFor } from '../../src/soap-wire/xop.ts';
import { chunked, DEFAULT_LIMITS, DOCUMENT_BYTES, iti41Envelope, randomChunks, readableOf } from './fixtures.ts';

const ITI43_RESPONSE_ACTION = 'urn:ihe:iti:2007:RetrieveDocumentSetResponse';
const ALL_BYTES = Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256));
const attachments = [
  { contentId: '1.urn:uuid:5a3f0c8e-0001@fse-bridge', contentType: 'application/pdf', body: ALL_BYTES },
  { contentId: '2.urn:uuid:5a3f0c8e-0002@fse-bridge', contentType: 'text/xml', body: DOCUMENT_BYTES },
  { contentId: 'empty@fse-bridge', contentType: 'application/octet-stream', body: new Uint8Array(0) },
];
const input = { rootXml: iti41Envelope(xopHrefFor(attachments[0]?.contentId ?? '')), action: ITI43_RESPONSE_ACTION, attachments };

describe('buildMtom (xds-ini 2.5)', () => {
  test('top-level Content-Type carries type, boundary, start, start-info and action', () => {
    const { contentType } = buildMtom(input);
    const { mediaType, params } = parseContentType(contentType);
    assert.equal(mediaType, 'multipart/related');
    assert.equal(params.get('type'), 'application/xop+xml');
    assert.equal(params.get('start-info'), 'application/soap+xml');
    assert.equal(params.get('action'), ITI43_RESPONSE_ACTION);
    assert.match(params.get('start') ?? '', /^<root\.message\.[0-9a-f-]+@fse-bridge>$/);
    assert.match(params.get('boundary') ?? '', /^MIMEBoundary_[0-9a-f]{48}$/);
  });

  test('round trip: every byte 0x00-0xFF survives, root is the SOAP part, hrefs resolve', async () => {
    const built = buildMtom(input);
    const { root, parts } = await parseMultipartRelated(built.contentType, readableOf(built.body), DEFAULT_LIMITS);
    assert.equal(root.body.toString('utf8'), input.rootXml);
    assert.equal(root.contentType, 'application/xop+xml; charset=UTF-8; type="application/soap+xml"');
    for (const a of attachments) {
      const got = parts.get(a.contentId);
      assert.deepEqual(got?.body, Buffer.from(a.body));
      assert.equal(got?.contentType, a.contentType);
      assert.equal(got?.headers['content-transfer-encoding'], 'binary');
      assert.equal(resolveXopHref(xopHrefFor(a.contentId), parts), got);
    }
    assert.equal(parts.size, attachments.length + 1);
  });

  test('round trip through 1-byte and random-size chunks', async () => {
    const built = buildMtom(input);
    for (const stream of [chunked(built.body, 1), randomChunks(built.body, 7, 64), randomChunks(built.body, 99, 5)]) {
      const { parts } = await parseMultipartRelated(built.contentType, stream, DEFAULT_LIMITS);
      assert.deepEqual(parts.get(attachments[0]?.contentId ?? '')?.body, ALL_BYTES);
    }
  });

  test('the boundary occurs only as delimiters, and differs between packages', () => {
    const a = buildMtom(input);
    const b = buildMtom(input);
    const boundary = parseContentType(a.contentType).params.get('boundary') ?? '';
    let count = 0;
    for (let at = a.body.indexOf(boundary); at >= 0; at = a.body.indexOf(boundary, at + 1)) count++;
    assert.equal(count, attachments.length + 2); // one opening delimiter per part (root included) plus the close
    assert.notEqual(parseContentType(b.contentType).params.get('boundary'), boundary);
  });

  test('no attachments: a valid single-part package', async () => {
    const built = buildMtom({ ...input, attachments: [] });
    const { root, parts } = await parseMultipartRelated(built.contentType, readableOf(built.body), DEFAULT_LIMITS);
    assert.equal(root.body.toString('utf8'), input.rootXml);
    assert.equal(parts.size, 1);
  });

  test('bad Content-IDs and CR/LF in header values -> MtomError malformed', () => {
    const bad = (patch: Partial<(typeof attachments)[number]>, action = ITI43_RESPONSE_ACTION): void => {
      const one = { contentId: 'x@y', contentType: 'text/plain', body: Buffer.from('x'), ...patch };
      assert.throws(() => buildMtom({ rootXml: '<r/>', action, attachments: [one] }),
        (err: unknown) => isMtomError(err) && err.reason === 'malformed');
    };
    bad({ contentId: '<x@y>' });
    bad({ contentId: '' });
    bad({ contentId: 'x@y\r\nX-Injected: 1' });
    bad({ contentType: 'text/plain\r\nX-Injected: 1' });
    bad({}, 'urn:a\r\nb');
    assert.throws(() => buildMtom({ rootXml: '<r/>', action: 'a', attachments: [attachments[1]!, attachments[1]!] }), isMtomError);
  });
});
