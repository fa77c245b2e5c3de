import { randomUUID } from 'node:crypto';
import type { XmlElement } from 'libxml2-wasm';
import { Agent, request } from 'undici';
import { NS, parseXml, XmlInputError } from '../xml/xml-toolkit.js';
import { XmlDocumentWriter, type XmlBuilder } from '../xml/xml-writer.js';
import { buildMtom, type MtomAttachment } from './mtom-builder.js';
import { parseMultipartRelated, type MimePart } from './multipart-related.js';
import { childElements } from './soap-envelope.js';

/**
 * The bridge's outbound SOAP 1.2 calls (to INI, and INI's simulator to the regions): one envelope with the headers INI
 * uses (wsa:Action, a urn:uuid MessageID, and a `wsse:Security` holding a signed SAML assertion written verbatim),
 * plain or MTOM, over an undici pool with a TLS client certificate and a deadline per call. Hand-written on top of the
 * project's codecs rather than the `soap` package: that client sends no WS-Addressing headers, packages MTOM requests
 * with a SOAP 1.1 root, and would re-serialise the signed assertion. See: xds-ini digest 2.1-2.6, 7.4, pitfall 19.
 */
export interface SoapCallOptions {
  readonly timeoutMs: number;
  /** The caller's TLS authentication certificate and the CA bundle to trust, PEM. See: xds-ini digest 2.7. */
  readonly tls?: { readonly cert: string; readonly key: string; readonly ca?: string };
  readonly connections?: number;
}

export interface SoapRequest {
  readonly url: string;
  readonly action: string;
  readonly body: (parent: XmlBuilder) => void;
  /** The signed assertion, placed as the only child of `wsse:Security`, byte for byte. */
  readonly assertionXml?: string;
  readonly attachments?: readonly MtomAttachment[];
  /** MTOM packaging (ITI-41); answers may be MTOM whatever the request. */
  readonly mtom?: boolean;
  /** A shorter deadline for this call than the caller's (what is left of an operation's budget). */
  readonly timeoutMs?: number;
}

/** The answer, before its body is read: status, packaging and the envelope bytes. */
export interface SoapResponse {
  readonly status: number;
  readonly contentType: string;
  readonly envelope: Buffer;
  readonly parts: ReadonlyMap<string, MimePart>;
  readonly messageId: string;
}

/** No usable answer: connection refused or reset, deadline passed, a body that is no SOAP envelope. */
export class SoapTransportError extends Error {
  override name = 'SoapTransportError';
  constructor(readonly reason: 'unreachable' | 'timeout' | 'malformed' | 'fault', message: string,
    options: { cause?: unknown; faultCode?: string } = {}) {
    super(message, options);
    this.faultCode = options.faultCode;
  }

  /** A fault's top-level code without its prefix: `Sender` (the request is wrong) or `Receiver` (the service failed). */
  readonly faultCode: string | undefined;
}

const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

export interface SoapCaller {
  call(req: SoapRequest): Promise<SoapResponse>;
  close(): Promise<void>;
}

/** The request envelope. */
export function requestEnvelope(req: SoapRequest, messageId: string): string {
  const doc = new XmlDocumentWriter();
  const env = doc.root().ele(NS.soap12, 'env:Envelope').att('xmlns:wsa', NS.wsa);
  const header = env.ele(NS.soap12, 'env:Header');
  header.ele(NS.wsa, 'wsa:Action', { 'env:mustUnderstand': 'true' }).txt(req.action);
  header.ele(NS.wsa, 'wsa:MessageID').txt(messageId);
  header.ele(NS.wsa, 'wsa:To').txt(req.url);
  if (req.assertionXml !== undefined) header.ele(NS.wsse, 'wsse:Security').raw(req.assertionXml);
  req.body(env.ele(NS.soap12, 'env:Body'));
  return doc.end();
}

export function createSoapCaller(options: SoapCallOptions): SoapCaller {
  const agent = new Agent({
    connections: options.connections ?? 16, keepAliveTimeout: 10_000, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs,
    connect: { timeout: options.timeoutMs, ...(options.tls ? { cert: options.tls.cert, key: options.tls.key, ca: options.tls.ca } : {}) },
  });
  return {
    async call(req) {
      const messageId = `urn:uuid:${randomUUID()}`;
      const xml = requestEnvelope(req, messageId);
      const packaged = req.mtom
        ? buildMtom({ rootXml: xml, action: req.action, attachments: req.attachments ?? [] })
        : { contentType: `application/soap+xml; charset=UTF-8; action="${req.action}"`, body: Buffer.from(xml, 'utf8') };
      let status: number;
      let contentType: string;
      let bytes: Buffer;
      try {
        const res = await request(req.url, {
          method: 'POST', headers: { 'content-type': packaged.contentType }, body: packaged.body, dispatcher: agent,
          signal: AbortSignal.timeout(Math.min(options.timeoutMs, req.timeoutMs ?? options.timeoutMs)),
        });
        status = res.statusCode;
        const header = res.headers['content-type'];
        contentType = Array.isArray(header) ? header.join(', ') : (header ?? '');
        bytes = Buffer.from(await res.body.arrayBuffer());
      } catch (err) {
        const timeout = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError' || /timeout/i.test(err.message));
        throw new SoapTransportError(timeout ? 'timeout' : 'unreachable', `${req.url}: ${(err as Error).message}`, { cause: err });
      }
      if (bytes.length > MAX_ANSWER_BYTES) throw new SoapTransportError('malformed', `${req.url}: answer larger than ${MAX_ANSWER_BYTES} bytes`);
      if (!contentType.toLowerCase().startsWith('multipart/related')) return { status, contentType, envelope: bytes, parts: new Map(), messageId };
      try {
        const related = await parseMultipartRelated(contentType, (async function* () { yield bytes; })(), { maxBytes: MAX_ANSWER_BYTES, maxParts: 1000, maxPartBytes: MAX_ANSWER_BYTES });
        return { status, contentType, envelope: related.root.body, parts: related.parts, messageId };
      } catch (err) {
        throw new SoapTransportError('malformed', `${req.url}: broken MTOM answer: ${(err as Error).message}`, { cause: err });
      }
    },
    close: () => agent.close(),
  };
}

/**
 * Parses the answer's envelope and runs `read` on its body element; a SOAP Fault becomes a SoapTransportError
 * `fault` carrying the fault's reason. The document is always disposed.
 */
export function readResponseBody<T>(res: SoapResponse, read: (body: XmlElement) => T): T {
  let doc;
  try {
    doc = parseXml(res.envelope, 'soap-answer.xml');
  } catch (err) {
    if (err instanceof XmlInputError) throw new SoapTransportError('malformed', `answer is not XML (HTTP ${res.status}): ${err.message}`, { cause: err });
    throw err;
  }
  try {
    const body = childElements(doc.root).find((e) => e.name === 'Body' && e.namespaceUri === NS.soap12);
    const [element] = body ? childElements(body) : [];
    if (!element) throw new SoapTransportError('malformed', `answer has no SOAP 1.2 Body element (HTTP ${res.status})`);
    if (element.name === 'Fault' && element.namespaceUri === NS.soap12) {
      const reason = element.find('env:Reason/env:Text', { env: NS.soap12 })[0]?.content.trim() ?? '';
      const top = element.find('env:Code/env:Value', { env: NS.soap12 })[0]?.content.trim() ?? '';
      const code = element.find('env:Code/env:Subcode/env:Value', { env: NS.soap12 })[0]?.content.trim() ?? top;
      throw new SoapTransportError('fault', `SOAP fault ${code}: ${reason}`, { faultCode: top.slice(top.indexOf(':') + 1) });
    }
    return read(element);
  } finally {
    doc.dispose();
  }
}
