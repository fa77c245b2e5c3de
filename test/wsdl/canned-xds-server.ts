import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { XmlAttribute, XmlElement, type XmlDocument } from 'libxml2-wasm';
import { buildMtom } from '../../src/soap-wire/mtom-builder.js';
import { parseXml } from '../../src/xml/xml-toolkit.js';
import { FIXTURES, SCHEMA_DIR, schemaFiles, WSDL_DIR, XDS_NS } from './xds-schemas.js';

/**
 * A real `node:http` server standing in for the bridge's SOAP front door while it is being written: it records every
 * request and answers with canned, correct SOAP 1.2 responses from `fixtures/`, echoing the request's MessageID in
 * `wsa:RelatesTo`. It also serves the WSDLs and schemas under the URL scheme proposed in wsdl/README.md.
 */

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface CannedAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer | string;
}

export type Responder = (request: RecordedRequest, baseUrl: string) => CannedAnswer;

export interface CannedServer {
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startCannedServer(responder: Responder): Promise<CannedServer> {
  const requests: RecordedRequest[] = [];
  let baseUrl = '';
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(recorded);
      let answer: CannedAnswer;
      try {
        answer = responder(recorded, baseUrl);
      } catch (err) {
        answer = { status: 599, contentType: 'text/plain', body: `canned server: ${String(err)}` };
      }
      res.writeHead(answer.status, { 'Content-Type': answer.contentType }).end(answer.body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    requests,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

function withDoc<T>(bytes: Buffer, name: string, fn: (doc: XmlDocument) => T): T {
  const doc = parseXml(bytes, name);
  try {
    return fn(doc);
  } finally {
    doc.dispose();
  }
}

/** The request envelope's `wsa:MessageID` (the canned answers relate to it). */
export function requestMessageId(request: RecordedRequest): string {
  return withDoc(request.body, 'request.xml', (doc) => String(doc.eval('string(/env:Envelope/env:Header/wsa:MessageID)', XDS_NS)));
}

/** A fixture envelope with the request's MessageID written into its empty `wsa:RelatesTo`. */
function relatedFixture(name: string, request: RecordedRequest): string {
  const messageId = requestMessageId(request);
  return withDoc(readFileSync(path.join(FIXTURES, name)), name, (doc) => {
    const relatesTo = doc.get('/env:Envelope/env:Header/wsa:RelatesTo', XDS_NS);
    if (!(relatesTo instanceof XmlElement)) throw new Error(`${name} has no wsa:RelatesTo`);
    relatesTo.addText(messageId);
    return doc.toString();
  });
}

/** ITI-18: the AdhocQueryResponse with one ExtrinsicObject, plain SOAP 1.2. */
export function iti18Answer(request: RecordedRequest): CannedAnswer {
  return {
    status: 200,
    contentType: 'application/soap+xml; charset=UTF-8; action="urn:ihe:iti:2007:RegistryStoredQueryResponse"',
    body: relatedFixture('iti18-response.xml', request),
  };
}

/** The Content-ID the ITI-43 fixture's `xop:Include` points to (URL-encoded there). */
export const ITI43_CONTENT_ID = '1.urn:uuid:9f4c2b1a-6d3e-4f5a-8b7c-0e1d2f3a4b5c@fse-bridge';

/** ITI-43: the RetrieveDocumentSetResponse as an MTOM package whose attachment part holds `bytes`. */
export function iti43Answer(request: RecordedRequest, bytes: Buffer): CannedAnswer {
  const mtom = buildMtom({
    rootXml: relatedFixture('iti43-response.xml', request),
    action: 'urn:ihe:iti:2007:RetrieveDocumentSetResponse',
    attachments: [{ contentId: ITI43_CONTENT_ID, contentType: 'application/pdf', body: bytes }],
  });
  return { status: 200, contentType: mtom.contentType, body: mtom.body };
}

/** A SOAP 1.2 Fault (Sender, wsa:ActionNotSupported) with HTTP 500. */
export function faultAnswer(request: RecordedRequest): CannedAnswer {
  return { status: 500, contentType: 'application/soap+xml; charset=UTF-8', body: relatedFixture('soap-fault.xml', request) };
}

const WSDL_FILES: Readonly<Record<string, string>> = {
  '/xds/registry': 'XDS.b_DocumentRegistry.wsdl',
  '/xds/repository': 'XDS.b_DocumentRepository.wsdl',
};

/**
 * The proposed scheme: `GET /xds/{registry,repository}?wsdl` with `soap12:address` rewritten to this server, and
 * `GET /xds/schema/<file>.xsd` for the schemas, which the WSDLs' relative `schemaLocation`s resolve to unchanged.
 * Returns undefined for any other request.
 */
export function metadataAnswer(request: RecordedRequest, baseUrl: string): CannedAnswer | undefined {
  if (request.method !== 'GET') return undefined;
  const url = new URL(request.url, baseUrl);
  const wsdl = WSDL_FILES[url.pathname];
  if (wsdl !== undefined && url.search === '?wsdl') {
    const body = withDoc(readFileSync(path.join(WSDL_DIR, wsdl)), wsdl, (doc) => {
      const location = doc.get('//wsdl:port/soap12:address/@location', {
        wsdl: 'http://schemas.xmlsoap.org/wsdl/', soap12: 'http://schemas.xmlsoap.org/wsdl/soap12/',
      });
      if (!(location instanceof XmlAttribute)) throw new Error(`${wsdl} has no soap12:address`);
      location.value = new URL(url.pathname, baseUrl).href;
      return doc.toString();
    });
    return { status: 200, contentType: 'text/xml; charset=UTF-8', body };
  }
  const file = url.pathname.startsWith('/xds/schema/') ? url.pathname.slice('/xds/schema/'.length) : '';
  if (schemaFiles().includes(file) && url.search === '') {
    return { status: 200, contentType: 'text/xml; charset=UTF-8', body: readFileSync(path.join(SCHEMA_DIR, file)) };
  }
  return undefined;
}
