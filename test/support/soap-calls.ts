import { randomUUID } from 'node:crypto';
import type { XmlDocument, XmlElement } from 'libxml2-wasm';
import type { StoredQueryRequest } from '../../src/domain/stored-query.js';
import type { DocumentRequest } from '../../src/domain/retrieve.js';
import { encodeAdhocQueryRequest } from '../../src/ebxml/adhoc-query-request.js';
import { decodeAdhocQueryResponse, type DecodedAdhocQueryResponse } from '../../src/ebxml/adhoc-query-response.js';
import { decodeRetrieveResponse, encodeRetrieveRequest, type DecodedRetrieveResponse } from '../../src/ebxml/retrieve-document-set.js';
import { SOAP_ACTION } from '../../src/metadata/vocabulary.js';
import { buildMtom, type MtomAttachment } from '../../src/soap-wire/mtom-builder.js';
import { parseMultipartRelated, type MimePart } from '../../src/soap-wire/multipart-related.js';
import { childElements, WSA_ANONYMOUS } from '../../src/soap-wire/soap-envelope.js';
import { NS, parseXml } from '../../src/xml/xml-toolkit.js';
import { XmlDocumentWriter, type XmlBuilder as XMLBuilder } from '../../src/xml/xml-writer.js';
import type { Harness } from './bridge-harness.js';

/**
 * A test XDS.b client: SOAP 1.2 envelopes with WS-Addressing built with the project's XML writer, sent plain or as MTOM, and the
 * answer parsed back (MTOM or not) with the project's own parsers.
 */
export interface SoapAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly raw: Buffer;
  /** The parsed envelope; the caller disposes it (or uses {@link withBody}). */
  readonly doc: XmlDocument;
  readonly parts: ReadonlyMap<string, MimePart>;
  readonly action?: string;
  readonly relatesTo?: string;
  readonly messageId: string;
}

export interface SoapCallOptions {
  readonly mtom?: boolean;
  readonly attachments?: readonly MtomAttachment[];
  /** Extra header blocks (WS-Security, ...). */
  readonly header?: (header: XMLBuilder) => void;
}

export function requestEnvelope(action: string, to: string, body: (parent: XMLBuilder) => void, options: SoapCallOptions = {}): { xml: string; messageId: string } {
  const messageId = `urn:uuid:${randomUUID()}`;
  const doc = new XmlDocumentWriter();
  const env = doc.root().ele(NS.soap12, 's:Envelope').att('xmlns:a', NS.wsa);
  const header = env.ele(NS.soap12, 's:Header');
  header.ele(NS.wsa, 'a:Action', { 's:mustUnderstand': 'true' }).txt(action);
  header.ele(NS.wsa, 'a:MessageID').txt(messageId);
  header.ele(NS.wsa, 'a:ReplyTo').ele(NS.wsa, 'a:Address').txt(WSA_ANONYMOUS);
  header.ele(NS.wsa, 'a:To', { 's:mustUnderstand': 'true' }).txt(to);
  options.header?.(header);
  body(env.ele(NS.soap12, 's:Body'));
  return { xml: doc.end(), messageId };
}

/** POSTs raw bytes with a content type to an endpoint and parses whatever comes back. */
export async function postRaw(url: string, contentType: string, body: Buffer | string, messageId = ''): Promise<SoapAnswer> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : new Uint8Array(body) });
  const raw = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get('content-type') ?? '';
  let envelope: Buffer = raw;
  let parts: ReadonlyMap<string, MimePart> = new Map();
  if (type.startsWith('multipart/related')) {
    const related = await parseMultipartRelated(type, (async function* () { yield raw; })(), { maxBytes: 1e9, maxParts: 1000, maxPartBytes: 1e9 });
    envelope = related.root.body;
    parts = related.parts;
  }
  const doc = parseXml(envelope);
  const header = childElements(doc.root).find((e) => e.name === 'Header');
  const wsa = (name: string) => header ? childElements(header).find((e) => e.namespaceUri === NS.wsa && e.name === name)?.content.trim() : undefined;
  return { status: res.status, contentType: type, raw, doc, parts, action: wsa('Action'), relatesTo: wsa('RelatesTo'), messageId };
}

/** Sends one XDS.b request to the bridge (`/xds/repository` or `/xds/registry`). */
export async function callSoap(h: Harness, endpoint: 'repository' | 'registry', action: string, body: (parent: XMLBuilder) => void, options: SoapCallOptions = {}): Promise<SoapAnswer> {
  const url = `${h.baseUrl}/xds/${endpoint}`;
  const { xml, messageId } = requestEnvelope(action, url, body, options);
  if (!options.mtom) return postRaw(url, `application/soap+xml; charset=UTF-8; action="${action}"`, xml, messageId);
  const pkg = buildMtom({ rootXml: xml, action, attachments: options.attachments ?? [] });
  return postRaw(url, pkg.contentType, pkg.body, messageId);
}

/** The one element of the Body. */
export function bodyOf(answer: SoapAnswer): XmlElement {
  const body = childElements(answer.doc.root).find((e) => e.name === 'Body');
  const [first] = body ? childElements(body) : [];
  if (!first) throw new Error(`no body element in ${answer.raw.toString('utf8').slice(0, 500)}`);
  return first;
}

/** Runs `fn` on the answer's body element and disposes the document. */
export function withBody<T>(answer: SoapAnswer, fn: (body: XmlElement) => T): T {
  try {
    return fn(bodyOf(answer));
  } finally {
    answer.doc.dispose();
  }
}

/** The fault's code, subcode and reason, when the answer is a SOAP Fault. */
export function faultOf(answer: SoapAnswer): { code: string; subcode?: string; reason: string } | undefined {
  return withBody(answer, (body) => {
    if (body.name !== 'Fault') return undefined;
    const value = (xpath: string) => body.find(xpath, { env: NS.soap12 })[0]?.content.trim();
    return { code: value('env:Code/env:Value') ?? '', subcode: value('env:Code/env:Subcode/env:Value'), reason: value('env:Reason/env:Text') ?? '' };
  });
}

/** ITI-18 through the bridge, encoded and decoded with the project's codecs. */
export async function storedQuery(h: Harness, request: StoredQueryRequest, options: SoapCallOptions = {}): Promise<DecodedAdhocQueryResponse> {
  const answer = await callSoap(h, 'registry', SOAP_ACTION.iti18, (parent) => { encodeAdhocQueryRequest(request, parent); }, options);
  if (answer.status !== 200) throw new Error(`ITI-18 answered ${answer.status}: ${answer.raw.toString('utf8').slice(0, 1000)}`);
  return withBody(answer, (body) => decodeAdhocQueryResponse(body, request.returnType));
}

/** ITI-43 through the bridge (plain request, MTOM answer). */
export async function retrieve(h: Harness, requests: readonly DocumentRequest[], options: SoapCallOptions = {}): Promise<DecodedRetrieveResponse> {
  const answer = await callSoap(h, 'repository', SOAP_ACTION.iti43, (parent) => encodeRetrieveRequest(requests, parent), options);
  if (answer.status !== 200) throw new Error(`ITI-43 answered ${answer.status}: ${answer.raw.toString('utf8').slice(0, 1000)}`);
  return withBody(answer, (body) => decodeRetrieveResponse(body, answer.parts));
}
