import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatContentType, parseContentType } from '../../src/soap-wire/content-type.ts';
import { MtomError } from '../../src/soap-wire/mtom-error.ts';

const malformed = (fn: () => unknown) => assert.throws(fn, (err: unknown) => err instanceof MtomError && err.reason === 'malformed');

describe('Content-Type values of SOAP and MTOM messages', () => {
  test('type and parameter names are lower-cased, values unquoted with their quoted-pairs resolved', () => {
    const parsed = parseContentType('Multipart/Related; Type="application/xop+xml"; BOUNDARY=abc; action="urn:a\\"b"');
    assert.equal(parsed.mediaType, 'multipart/related');
    assert.equal(parsed.params.get('type'), 'application/xop+xml');
    assert.equal(parsed.params.get('boundary'), 'abc');
    assert.equal(parsed.params.get('action'), 'urn:a"b');
  });

  test('what real senders write is accepted: CXF unquoted start=<id@host>, a trailing ";", spaces around "="', () => {
    const parsed = parseContentType('multipart/related; boundary=uuid:1; start=<root.message@cxf.apache.org>; start-info = "application/soap+xml";');
    assert.equal(parsed.params.get('start'), '<root.message@cxf.apache.org>');
    assert.equal(parsed.params.get('start-info'), 'application/soap+xml');
    assert.equal(parsed.params.get('boundary'), 'uuid:1');
  });

  test('a quoted value that never ends, or no type/subtype, is refused rather than silently dropped', () => {
    malformed(() => parseContentType('multipart/related; boundary="unterminated'));
    malformed(() => parseContentType('multipart/related; type="a\\"; boundary=b'));
    malformed(() => parseContentType('multipart'));
    malformed(() => parseContentType(''));
    malformed(() => parseContentType('text /xml'));
  });

  test('quotes inside a quoted value that are quoted-pairs do not open a string', () => {
    assert.equal(parseContentType('application/soap+xml; action="a\\"b\\\\"').params.get('action'), 'a"b\\');
  });

  test('writing quotes what needs it and reads back the same; CR or LF in a value is refused', () => {
    const header = formatContentType('multipart/related', { type: 'application/xop+xml', boundary: 'MIMEBoundary_ab', start: '<r@x>' });
    assert.equal(header, 'multipart/related; type="application/xop+xml"; boundary=MIMEBoundary_ab; start="<r@x>"');
    assert.deepEqual(Object.fromEntries(parseContentType(header).params), { type: 'application/xop+xml', boundary: 'MIMEBoundary_ab', start: '<r@x>' });
    malformed(() => formatContentType('application/soap+xml', { action: 'urn:x\r\nX-Injected: 1' }));
  });
});
