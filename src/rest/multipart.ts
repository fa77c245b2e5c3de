import type { IncomingMessage } from 'node:http';
import { Busboy, type BusboyInstance } from '@fastify/busboy';
import { FseError } from '../errors/fse-error.js';
import type { MultipartBody } from './rest-types.js';

export interface MultipartLimits {
  /** Largest accepted request body; the Gateway's is 5 MB. See: Gateway API digest, 2.2. */
  readonly maxBytes: number;
}

const MAX_PARTS = 8;
const MAX_FIELD_BYTES = 64 * 1024;

/**
 * Reads a `multipart/form-data` body with `@fastify/busboy` (the maintained busboy) under hard limits: oversized files, too many parts and oversized
 * fields stop the read and answer 413; anything that is not multipart answers 415, as Spring does in the Gateway.
 */
export function readMultipart(req: IncomingMessage, limits: MultipartLimits): Promise<MultipartBody> {
  const contentType = req.headers['content-type'] ?? '';
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) {
    return Promise.reject(new FseError('unsupportedMediaType', `Content-Type '${contentType}' is not supported`));
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limits.maxBytes) return Promise.reject(tooLarge());

  return new Promise((resolve, reject) => {
    let parser: BusboyInstance;
    try {
      parser = new Busboy({
        headers: { ...req.headers, 'content-type': contentType },
        limits: { fileSize: limits.maxBytes, files: 2, fields: 4, parts: MAX_PARTS, fieldSize: MAX_FIELD_BYTES },
      });
    } catch (err) {
      reject(new FseError('unsupportedMediaType', (err as Error).message));
      return;
    }
    const fields = new Map<string, string>();
    const files = new Map<string, Buffer>();
    let failed: FseError | undefined;
    let total = 0;
    const fail = (err: FseError) => {
      if (failed) return;
      failed = err;
      req.unpipe(parser);
      req.resume(); // drain the rest so the client sees our answer, not a reset
      reject(err);
    };
    parser.on('file', (name, stream) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        total += chunk.length;
        chunks.push(chunk);
      });
      stream.on('limit', () => fail(tooLarge()));
      // A body cut inside a file part fails the part's stream too; unhandled, that error would end the process.
      stream.on('error', (err) => fail(malformed(err)));
      stream.on('end', () => {
        if (!failed && !files.has(name)) files.set(name, Buffer.concat(chunks));
      });
    });
    parser.on('field', (name, value, _nameTruncated, valueTruncated) => {
      if (valueTruncated) fail(tooLarge());
      else if (!fields.has(name)) fields.set(name, value);
    });
    parser.on('partsLimit', () => fail(tooLarge()));
    parser.on('filesLimit', () => fail(tooLarge()));
    parser.on('fieldsLimit', () => fail(tooLarge()));
    parser.on('error', (err) => fail(malformed(err)));
    parser.on('finish', () => {
      if (!failed) resolve({ fields, files });
    });
    req.on('aborted', () => fail(new FseError('genericBadRequest', 'Request aborted by the client')));
    req.pipe(parser);
  });
}

function malformed(err: unknown): FseError {
  return new FseError('genericBadRequest', `Malformed multipart body: ${(err as Error).message}`);
}

function tooLarge(): FseError {
  return new FseError('payloadTooLarge', 'Maximum upload size exceeded');
}
