import { randomBytes } from 'node:crypto';
import type { GatewayMultipartBody } from './gateway-types.js';

/**
 * Encodes the two parts the Gateway expects, exactly: `file` (binary PDF, `application/pdf`, with a file name) and
 * `requestBody` (a plain text field, no file name, the producer's JSON unchanged). Built by hand so the PDF bytes and
 * the JSON text cross byte-for-byte. See: Gateway API digest, 1.5 and 2.2.
 */
export function encodeMultipart(body: GatewayMultipartBody): { contentType: string; bytes: Buffer } {
  const boundary = `----fse-bridge-${randomBytes(16).toString('hex')}`;
  const fileName = (body.fileName ?? 'documento.pdf').replace(/["\r\n\\]/g, '_');
  const head = (disposition: string, type?: string) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; ${disposition}\r\n${type ? `Content-Type: ${type}\r\n` : ''}\r\n`, 'utf8');
  const bytes = Buffer.concat([
    head(`name="file"; filename="${fileName}"`, 'application/pdf'),
    body.file,
    Buffer.from('\r\n', 'utf8'),
    head('name="requestBody"'),
    Buffer.from(body.requestBody, 'utf8'),
    Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
  ]);
  return { contentType: `multipart/form-data; boundary=${boundary}`, bytes };
}
