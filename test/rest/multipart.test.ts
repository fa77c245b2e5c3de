import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { FseError } from '../../src/errors/fse-error.ts';
import { readMultipart } from '../../src/rest/multipart.ts';

/**
 * The REST door's multipart reader over real HTTP, with bodies sent chunked (no Content-Length), so the limits that
 * count are the parser's own, not the declared length. The error codes map to 413/400/415 in problem+json (tested in
 * hostile-input.test.ts); here the code itself is asserted.
 */
const MAX = 64 * 1024;
const B = 'XyZ-boundary';
let server: http.Server;
let port: number;

before(async () => {
  server = http.createServer((req, res) => {
    readMultipart(req, { maxBytes: MAX }).then((body) => {
      res.end(JSON.stringify({ fields: Object.fromEntries(body.fields), files: Object.fromEntries([...body.files].map(([k, v]) => [k, v.length])) }));
    }, (err: unknown) => {
      res.statusCode = 400;
      res.end(JSON.stringify({ error: err instanceof FseError ? err.code : String(err) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

function part(name: string, body: string | Buffer, fileName?: string): Buffer {
  const disposition = `Content-Disposition: form-data; name="${name}"${fileName ? `; filename="${fileName}"` : ''}`;
  const type = fileName ? '\r\nContent-Type: application/pdf' : '';
  return Buffer.concat([Buffer.from(`--${B}\r\n${disposition}${type}\r\n\r\n`), Buffer.from(body), Buffer.from('\r\n')]);
}
const close = Buffer.from(`--${B}--\r\n`);

function post(body: Buffer, contentType = `multipart/form-data; boundary=${B}`): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ port, host: '127.0.0.1', method: 'POST', headers: { 'content-type': contentType, 'transfer-encoding': 'chunked' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown> }));
    });
    req.on('error', reject);
    for (let i = 0; i < body.length; i += 8192) req.write(body.subarray(i, i + 8192));
    req.end();
  });
}

describe('multipart/form-data at the REST door', () => {
  test('a file and a field are read; a second part of the same name does not replace the first', async () => {
    const res = await post(Buffer.concat([part('file', Buffer.alloc(1000, 1), 'a.pdf'), part('requestBody', '{"a":1}'), part('requestBody', '{"b":2}'), close]));
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { fields: { requestBody: '{"a":1}' }, files: { file: 1000 } });
  });

  test('a chunked file over the limit is 413', async () => {
    const res = await post(Buffer.concat([part('file', Buffer.alloc(MAX + 1, 1), 'a.pdf'), close]));
    assert.equal(res.json.error, 'payloadTooLarge');
  });

  test('too many parts, and a field over 64 KB, are too large', async () => {
    const many = Buffer.concat([...Array.from({ length: 9 }, (_, i) => part(`f${i}`, 'x')), close]);
    assert.equal((await post(many)).json.error, 'payloadTooLarge');
    assert.equal((await post(Buffer.concat([part('requestBody', 'x'.repeat(64 * 1024 + 1)), close]))).json.error, 'payloadTooLarge');
  });

  test('a body cut before its closing delimiter is a bad request, a non-multipart type unsupported', async () => {
    assert.equal((await post(part('file', 'abc', 'a.pdf'))).json.error, 'genericBadRequest');
    assert.equal((await post(Buffer.from('{}'), 'application/json')).json.error, 'unsupportedMediaType');
  });
});
