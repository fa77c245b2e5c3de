import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isMtomError, type MtomErrorReason } from '../../src/soap-wire/mtom-error.ts';
import { parseMultipartRelated, type MultipartLimits } from '../../src/soap-wire/multipart-related.ts';
import {
  assemble, chunked, CXF_DOC_ID, CXF_ROOT_ID, cxfPackage, DEFAULT_LIMITS, DOCUMENT_BYTES, iti41Envelope, randomChunks,
  readableOf,
} from './fixtures.ts';

const B = 'MIMEBoundary_urn_uuid_5117AAE1116EA8B87A1200060184692';
const rootHeaders = (id?: string): string[] => [
  'Content-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"',
  'Content-Transfer-Encoding: binary',
  ...(id === undefined ? [] : [`Content-ID: <${id}>`]),
];
const docHeaders = (id: string, cte = 'binary'): string[] => [
  'Content-Type: application/pdf', `Content-Transfer-Encoding: ${cte}`, `Content-ID: <${id}>`,
];
const ct = (boundary: string, extra = ''): string => `multipart/related; type="application/xop+xml"; boundary=${boundary}${extra}`;

async function rejectsWith(promise: Promise<unknown>, reason: MtomErrorReason): Promise<void> {
  await assert.rejects(promise, (err: unknown) => isMtomError(err) && err.reason === reason);
}

function parse(contentType: string, body: Buffer, limits: MultipartLimits = DEFAULT_LIMITS): ReturnType<typeof parseMultipartRelated> {
  return parseMultipartRelated(contentType, readableOf(body), limits);
}

describe('parseMultipartRelated: shapes real XDS tools send (xds-ini 2.5)', () => {
  test('CXF: root first, start given, attachment bytes intact', async () => {
    const { contentType, body } = cxfPackage();
    const { root, parts } = await parse(contentType, body);
    assert.equal(root.contentId, CXF_ROOT_ID);
    assert.equal(root.body.toString('utf8'), iti41Envelope('cid:1.urn%3Auuid%3Aabc%40apache.org'));
    assert.equal(root.headers['content-transfer-encoding'], 'binary');
    assert.deepEqual(parts.get(CXF_DOC_ID)?.body, DOCUMENT_BYTES);
    assert.equal(parts.get(CXF_DOC_ID)?.contentType, 'application/octet-stream');
    assert.equal(parts.size, 2);
  });

  test('attachments before the root: start selects the root', async () => {
    const body = assemble(B, [
      { headers: docHeaders('doc1@x'), body: DOCUMENT_BYTES },
      { headers: docHeaders('doc2@x'), body: 'second' },
      { headers: rootHeaders('root@x'), body: iti41Envelope('cid:doc1%40x') },
    ]);
    const { root, parts } = await parse(ct(B, '; start="<root@x>"'), body);
    assert.equal(root.contentId, 'root@x');
    assert.deepEqual(parts.get('doc1@x')?.body, DOCUMENT_BYTES);
    assert.equal(parts.get('doc2@x')?.body.toString(), 'second');
  });

  test('start missing: the first part is the root, even without a Content-ID', async () => {
    const body = assemble(B, [
      { headers: rootHeaders(), body: '<root/>' },
      { headers: docHeaders('doc@x'), body: DOCUMENT_BYTES },
    ]);
    const { root, parts } = await parse(ct(B), body);
    assert.equal(root.body.toString(), '<root/>');
    assert.equal(root.contentId, undefined);
    assert.deepEqual([...parts.keys()], ['doc@x']);
  });

  test('base64 attachment part is decoded (line-wrapped as Axis2 and WCF send it)', async () => {
    const encoded = DOCUMENT_BYTES.toString('base64').replace(/.{1,16}/g, '$&\r\n');
    const body = assemble(B, [
      { headers: rootHeaders('r'), body: '<r/>' },
      { headers: docHeaders('doc', 'BASE64'), body: encoded },
    ]);
    const { parts } = await parse(ct(B, '; start=<r>'), body);
    assert.deepEqual(parts.get('doc')?.body, DOCUMENT_BYTES);
  });

  test('quoted and unquoted boundary parse the same', async () => {
    const body = assemble(B, [{ headers: rootHeaders('r'), body: '<r/>' }]);
    const quoted = await parse(`multipart/related; boundary="${B}"; type="application/xop+xml"`, body);
    const unquoted = await parse(`Multipart/Related;boundary=${B};type="application/xop+xml"`, body);
    assert.deepEqual(quoted.root, unquoted.root);
  });

  test('a quoted boundary with characters a token forbids (CXF uses "uuid:...")', async () => {
    const boundary = 'uuid:a=b;c';
    const body = assemble(boundary, [{ headers: rootHeaders('r'), body: '<r/>' }]);
    const { root } = await parse(`multipart/related; boundary="${boundary}"`, body);
    assert.equal(root.contentId, 'r');
  });

  test('preamble, transport padding, folded headers and epilogue are tolerated', async () => {
    const body = Buffer.concat([
      Buffer.from(`This is a preamble\r\n--${B}  \t\r\ncontent-id:\r\n <r>\r\nCONTENT-TYPE: text/xml\r\n\r\n<r/>`, 'latin1'),
      Buffer.from(`\r\n--${B}--\r\nepilogue text`, 'latin1'),
    ]);
    const { root } = await parse(ct(B), body);
    assert.equal(root.contentId, 'r');
    assert.equal(root.contentType, 'text/xml');
    assert.equal(root.body.toString(), '<r/>');
  });

  test('a part with no headers and an empty body', async () => {
    const body = Buffer.from(`--${B}\r\n\r\n\r\n--${B}--`, 'latin1');
    const { root } = await parse(ct(B), body);
    assert.equal(root.body.length, 0);
    assert.deepEqual(root.headers, {});
  });
});

describe('parseMultipartRelated: streaming', () => {
  const { contentType, body } = cxfPackage();

  test('1-byte chunks (every boundary split at every offset)', async () => {
    const { parts } = await parseMultipartRelated(contentType, chunked(body, 1), DEFAULT_LIMITS);
    assert.deepEqual(parts.get(CXF_DOC_ID)?.body, DOCUMENT_BYTES);
  });

  test('random-size chunks, 50 seeds', async () => {
    const expected = await parse(contentType, body);
    for (let seed = 1; seed <= 50; seed++) {
      const got = await parseMultipartRelated(contentType, randomChunks(body, seed, 1 + seed), DEFAULT_LIMITS);
      assert.deepEqual(got.root.body, expected.root.body, `seed ${seed}`);
      assert.deepEqual(got.parts.get(CXF_DOC_ID)?.body, DOCUMENT_BYTES, `seed ${seed}`);
    }
  });

  test('a stream decoded to strings (setEncoding) is refused as a programming error', async () => {
    const decoded = readableOf(body).setEncoding('latin1');
    await assert.rejects(parseMultipartRelated(contentType, decoded, DEFAULT_LIMITS), TypeError);
  });
});

describe('parseMultipartRelated: refusals', () => {
  const { contentType, body } = cxfPackage();

  test('a part larger than maxPartBytes -> too-large (also when streamed byte by byte)', async () => {
    const limits = { ...DEFAULT_LIMITS, maxPartBytes: DOCUMENT_BYTES.length - 1 };
    await rejectsWith(parse(contentType, body, limits), 'too-large');
    await rejectsWith(parseMultipartRelated(contentType, chunked(body, 1), limits), 'too-large');
    await parse(contentType, body, { ...DEFAULT_LIMITS, maxPartBytes: 1000 });
  });

  test('a package larger than maxBytes -> too-large, before the end is read', async () => {
    let served = 0;
    const endless = async function* (): AsyncGenerator<Buffer> {
      for (;;) { served += 1024; yield Buffer.alloc(1024, 0x41); }
    };
    await rejectsWith(parseMultipartRelated(contentType, endless(), { ...DEFAULT_LIMITS, maxBytes: 10_000 }), 'too-large');
    assert.ok(served <= 11 * 1024);
  });

  test('more parts than maxParts -> too-many-parts', async () => {
    const many = assemble(B, Array.from({ length: 4 }, (_, i) => ({ headers: docHeaders(`p${i}`), body: 'x' })));
    await rejectsWith(parse(ct(B), many, { ...DEFAULT_LIMITS, maxParts: 3 }), 'too-many-parts');
    assert.equal((await parse(ct(B), many, { ...DEFAULT_LIMITS, maxParts: 4 })).parts.size, 4);
  });

  test('truncated body (no closing boundary) -> malformed', async () => {
    await rejectsWith(parse(contentType, body.subarray(0, body.length - 10)), 'malformed');
    const noClose = assemble(B, [{ headers: rootHeaders('r'), body: '<r/>' }], { closing: false });
    await rejectsWith(parse(ct(B), noClose), 'malformed');
    await rejectsWith(parse(ct(B), Buffer.from(`--${B}\r\nContent-ID: <r>\r\n`, 'latin1')), 'malformed');
  });

  test('start naming no part -> missing-root', async () => {
    await rejectsWith(parse(ct(B, '; start="<nope@x>"'), assemble(B, [{ headers: rootHeaders('r'), body: '<r/>' }])), 'missing-root');
  });

  test('no boundary parameter, or a boundary absent from the body -> boundary', async () => {
    await rejectsWith(parse('multipart/related; type="application/xop+xml"', body), 'boundary');
    await rejectsWith(parse(ct('not-there'), body), 'boundary');
    await rejectsWith(parse(ct(`"${'x'.repeat(71)}"`), body), 'boundary');
  });

  test('not multipart/related, or a broken Content-Type -> malformed', async () => {
    await rejectsWith(parse('application/soap+xml; charset=UTF-8', body), 'malformed');
    await rejectsWith(parse('multipart/related; boundary="unterminated', body), 'malformed');
  });

  test('duplicate Content-ID, invalid base64, unknown encoding, junk after a delimiter -> malformed', async () => {
    const dup = assemble(B, [{ headers: docHeaders('a'), body: '1' }, { headers: docHeaders('a'), body: '2' }]);
    await rejectsWith(parse(ct(B), dup), 'malformed');
    const badB64 = assemble(B, [{ headers: docHeaders('a', 'base64'), body: 'not*base64!' }]);
    await rejectsWith(parse(ct(B), badB64), 'malformed');
    const qp = assemble(B, [{ headers: docHeaders('a', 'quoted-printable'), body: 'x' }]);
    await rejectsWith(parse(ct(B), qp), 'malformed');
    await rejectsWith(parse(ct(B), Buffer.from(`--${B}junk\r\n\r\nx\r\n--${B}--`, 'latin1')), 'malformed');
  });
});
