import { parseContentType } from './content-type.js';
import { MtomError } from './mtom-error.js';
import { parseMultipartRelated, type MimePart, type MultipartLimits } from './multipart-related.js';
import { SoapFault } from './soap-fault.js';

/**
 * The bytes of a SOAP request, whatever its packaging: plain `application/soap+xml`, or MTOM/XOP
 * (`multipart/related; type="application/xop+xml"`) with the envelope in the root part and the documents in the
 * other parts. Both are read as streams under the same limits, so an oversized request is refused before it is
 * buffered. See: xds-ini digest 2.1 (Content-Type), 2.5 (MTOM, accept both on every endpoint).
 */
export interface SoapPayload {
  /** The envelope bytes (the root part for MTOM). */
  readonly envelope: Buffer;
  /** MIME parts by Content-ID (empty for plain SOAP), for `xop:Include` resolution. */
  readonly parts: ReadonlyMap<string, MimePart>;
  readonly mtom: boolean;
  /** The `action` Content-Type parameter, the fallback when the envelope has no wsa:Action. See: digest 2.3. */
  readonly contentTypeAction?: string;
}

export type SoapLimits = MultipartLimits;

const SOAP_TYPES = new Set(['application/soap+xml', 'text/xml', 'application/xml']);

function tooLarge(message: string): SoapFault {
  return new SoapFault('Sender', message, 'fse:MessageTooLarge');
}

function faultOf(err: unknown): unknown {
  if (!(err instanceof MtomError)) return err;
  if (err.reason === 'too-large' || err.reason === 'too-many-parts') return tooLarge(err.message);
  return new SoapFault('Sender', err.message, 'fse:MalformedMessage');
}

async function readAll(body: AsyncIterable<unknown>, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    if (!(chunk instanceof Uint8Array)) throw new TypeError('SOAP request body must yield Buffers');
    total += chunk.byteLength;
    if (total > maxBytes) throw tooLarge(`request exceeds ${maxBytes} bytes`);
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat(chunks);
}

/** The action of a SOAP 1.2 Content-Type, also when nested in MTOM's `start-info` (some stacks put it there). */
function actionOf(params: ReadonlyMap<string, string>): string | undefined {
  const direct = params.get('action');
  if (direct) return direct;
  const startInfo = params.get('start-info');
  if (!startInfo) return undefined;
  try {
    return parseContentType(startInfo).params.get('action');
  } catch {
    return undefined;
  }
}

/**
 * Reads the request body.
 * @throws SoapFault Sender: unsupported media type, malformed or oversized MTOM, oversized plain body.
 */
export async function readSoapPayload(contentType: string | undefined, body: AsyncIterable<unknown>, limits: SoapLimits): Promise<SoapPayload> {
  if (contentType === undefined) throw new SoapFault('Sender', 'missing Content-Type: expected application/soap+xml or MTOM multipart/related', 'fse:MalformedMessage');
  let parsed;
  try {
    parsed = parseContentType(contentType);
  } catch (err) {
    throw faultOf(err);
  }
  if (SOAP_TYPES.has(parsed.mediaType)) {
    return { envelope: await readAll(body, limits.maxBytes), parts: new Map(), mtom: false, contentTypeAction: actionOf(parsed.params) };
  }
  if (parsed.mediaType !== 'multipart/related') {
    throw new SoapFault('Sender', `unsupported Content-Type ${parsed.mediaType}: expected application/soap+xml or MTOM multipart/related`, 'fse:MalformedMessage');
  }
  let related;
  try {
    related = await parseMultipartRelated(contentType, body as AsyncIterable<Buffer>, limits);
  } catch (err) {
    throw faultOf(err);
  }
  const rootType = related.root.contentType ? parseContentType(related.root.contentType) : undefined;
  if (rootType && rootType.mediaType !== 'application/xop+xml' && !SOAP_TYPES.has(rootType.mediaType)) {
    throw new SoapFault('Sender', `MTOM root part is ${rootType.mediaType}, expected application/xop+xml`, 'fse:MalformedMessage');
  }
  return {
    envelope: related.root.body,
    parts: related.parts,
    mtom: true,
    contentTypeAction: actionOf(parsed.params) ?? (rootType ? actionOf(rootType.params) : undefined),
  };
}
