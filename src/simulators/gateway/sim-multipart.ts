import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Busboy, type BusboyInstance } from '@fastify/busboy';
import { FseError } from '../../errors/fse-error.js';
import type { SimMultipartBody } from './sim-http.js';
import type { ReceivedPart } from './sim-state.js';

/** A multipart body plus how each part arrived (file name, type, hash), for the received log. */
export interface SimMultipart {
  readonly body: SimMultipartBody;
  readonly parts: readonly ReceivedPart[];
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Reads `multipart/form-data` as Spring does in front of the Gateway: 415 when it is not multipart, 413 above the
 * upload limit. Parts with a file name are files, others text fields. See: Gateway API digest, 2.2.
 */
export function readSimMultipart(req: IncomingMessage, maxBytes: number): Promise<SimMultipart> {
  const contentType = req.headers['content-type'] ?? '';
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) {
    return Promise.reject(new FseError('unsupportedMediaType', `Content-Type '${contentType}' is not supported`));
  }
  return new Promise((resolve, reject) => {
    let parser: BusboyInstance;
    try {
      parser = new Busboy({ headers: { ...req.headers, 'content-type': contentType }, limits: { fileSize: maxBytes, parts: 8, fieldSize: 1024 * 1024 } });
    } catch (err) {
      reject(new FseError('unsupportedMediaType', (err as Error).message));
      return;
    }
    const fields = new Map<string, string>();
    const files = new Map<string, Buffer>();
    const parts: ReceivedPart[] = [];
    let failed = false;
    const fail = (err: FseError) => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      req.resume();
      reject(err);
    };
    parser.on('file', (name, stream, fileName, _encoding, mimeType) => {
      const slot = parts.length; // parts are logged in arrival order, a file's entry completed when it ends
      parts.push({ name, size: 0, sha256: '' });
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => fail(new FseError('payloadTooLarge', 'Maximum upload size exceeded')));
      // A body cut inside a file part fails the part's stream too; unhandled, that error would end the process.
      stream.on('error', (err) => fail(malformed(err)));
      stream.on('end', () => {
        const bytes = Buffer.concat(chunks);
        if (!files.has(name)) files.set(name, bytes);
        parts[slot] = { name, fileName, contentType: mimeType, size: bytes.length, sha256: sha256(bytes) };
      });
    });
    parser.on('field', (name, value) => {
      if (!fields.has(name)) fields.set(name, value);
      const bytes = Buffer.from(value, 'utf8');
      parts.push({ name, size: bytes.length, sha256: sha256(bytes), text: value });
    });
    parser.on('error', (err) => fail(malformed(err)));
    parser.on('finish', () => {
      if (!failed) resolve({ body: { fields, files }, parts });
    });
    req.pipe(parser);
  });
}

const malformed = (err: unknown) => new FseError('genericBadRequest', `Malformed multipart body: ${(err as Error).message}`);

/** Reads a small text body (the metadata-update JSON). */
export async function readText(req: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total > maxBytes) throw new FseError('payloadTooLarge', 'Maximum upload size exceeded');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
