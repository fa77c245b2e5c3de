import type { IncomingMessage } from 'node:http';
import { FseError } from '../errors/fse-error.js';

/**
 * Reads an `application/json` body as text under a size limit (the metadata update carries JSON, not multipart).
 * The text is kept as received: the Gateway judges it, and forwarding must not re-serialise it.
 */
export async function readJsonText(req: IncomingMessage, maxBytes: number): Promise<string> {
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();
  if (!contentType.startsWith('application/json')) {
    throw new FseError('unsupportedMediaType', `Content-Type '${req.headers['content-type'] ?? ''}' is not supported`);
  }
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) throw new FseError('payloadTooLarge', 'Maximum upload size exceeded');
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total > maxBytes) {
      req.resume();
      throw new FseError('payloadTooLarge', 'Maximum upload size exceeded');
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
