import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { XmlElement } from 'libxml2-wasm';
import type { EntryUuid } from '../../src/domain/ids.js';
import type { DocumentRequest } from '../../src/domain/retrieve.js';
import { emptyResult, type StoredQueryRequest } from '../../src/domain/stored-query.js';
import type { Submission } from '../../src/domain/xds.js';
import { decodeAdhocQueryRequest } from '../../src/ebxml/adhoc-query-request.js';
import { encodeAdhocQueryResponse, type AdhocQueryResponse } from '../../src/ebxml/adhoc-query-response.js';
import { statusFor } from '../../src/ebxml/registry-error-list.js';
import { encodeRegistryResponse } from '../../src/ebxml/registry-response.js';
import { decodeRemoveObjectsRequest } from '../../src/ebxml/remove-objects-request.js';
import { decodeRetrieveRequest, encodeRetrieveResponse } from '../../src/ebxml/retrieve-document-set.js';
import { decodeSubmitObjectsRequest } from '../../src/ebxml/submit-objects-request.js';
import { registryError } from '../../src/errors/xds-codes.js';
import { SOAP_ACTION } from '../../src/metadata/vocabulary.js';
import type { VerifiedAssertion } from '../../src/saml/assertion-verifier.js';
import { singleAssertionOf } from '../../src/saml/security-header.js';
import { buildMtom, type MtomAttachment } from '../../src/soap-wire/mtom-builder.js';
import { decodeEnvelope } from '../../src/soap-wire/soap-envelope.js';
import { SoapFault } from '../../src/soap-wire/soap-fault.js';
import { readSoapPayload } from '../../src/soap-wire/soap-payload.js';
import { encodeEnvelope, encodeFault } from '../../src/soap-wire/soap-writer.js';
import type { IniRegion } from '../../src/simulators/ini/ini-simulator.js';
import { parseXml } from '../../src/xml/xml-toolkit.js';
import type { XmlBuilder } from '../../src/xml/xml-writer.js';
import type { RegistryResponse } from '../../src/domain/registry-response.js';

/**
 * A region as INI sees it, for the INI simulator's tests: a real HTTP server with a registry endpoint (ITI-42, ITI-57,
 * INI delete, ITI-18) and a repository endpoint (ITI-43), decoding what it receives with the project's codecs,
 * recording it (with the assertion as the test's own verifier judged it), and answering Success, a canned
 * AdhocQueryResponse, or MTOM documents. It can go down and come back on the same port.
 */

/** One message the region received. */
export interface StubReceived {
  readonly endpoint: 'registry' | 'repository';
  readonly action: string;
  readonly saml?: VerifiedAssertion;
  readonly samlError?: string;
  readonly submission?: Submission;
  readonly removed?: readonly EntryUuid[];
  readonly query?: StoredQueryRequest;
  readonly retrieve?: readonly DocumentRequest[];
}

export interface RegionStubOptions {
  readonly code: string;
  /** Judges the assertion of every call; a throw is recorded and answered with a Sender fault. */
  readonly verify?: (assertion: XmlElement) => VerifiedAssertion;
}

export interface RegionStub {
  readonly code: string;
  readonly region: IniRegion;
  readonly received: StubReceived[];
  /** The ITI-18 answer; by default Success with nothing. */
  queryAnswer: (request: StoredQueryRequest) => AdhocQueryResponse;
  /** The answer to ITI-42, ITI-57 and delete; by default Success. */
  writeAnswer: (received: StubReceived) => RegistryResponse;
  /** Documents served by ITI-43, by document uniqueId. */
  readonly documents: Map<string, { readonly bytes: Uint8Array; readonly mimeType: string }>;
  /** Closes the port (connections refused) until {@link up}. */
  down(): Promise<void>;
  up(): Promise<void>;
  stop(): Promise<void>;
}

const LIMITS = { maxBytes: 16 * 1024 * 1024, maxParts: 50, maxPartBytes: 16 * 1024 * 1024 };

interface Answer {
  readonly action: string;
  readonly body: (parent: XmlBuilder) => void;
  readonly attachments?: MtomAttachment[];
}

export async function startRegionStub(options: RegionStubOptions): Promise<RegionStub> {
  const received: StubReceived[] = [];
  const documents = new Map<string, { bytes: Uint8Array; mimeType: string }>();
  const stub: Pick<RegionStub, 'queryAnswer' | 'writeAnswer'> = {
    queryAnswer: (request) => ({ status: 'Success', errors: [], result: emptyResult(request.returnType) }),
    writeAnswer: () => ({ status: 'Success', errors: [] }),
  };

  const answer = (endpoint: StubReceived['endpoint'], action: string, body: XmlElement, saml: Pick<StubReceived, 'saml' | 'samlError'>): Answer => {
    const base = { endpoint, action, ...saml };
    if (endpoint === 'registry' && (action === SOAP_ACTION.iti42 || action === SOAP_ACTION.iti57)) {
      const r: StubReceived = { ...base, submission: decodeSubmitObjectsRequest(body) };
      received.push(r);
      const response = stub.writeAnswer(r);
      return { action: `${action}Response`, body: (p) => void encodeRegistryResponse(response, p) };
    }
    if (endpoint === 'registry' && (action === SOAP_ACTION.iniDelete || action === SOAP_ACTION.iti62)) {
      const r: StubReceived = { ...base, removed: decodeRemoveObjectsRequest(body) };
      received.push(r);
      const response = stub.writeAnswer(r);
      return { action: SOAP_ACTION.iniDeleteResponse, body: (p) => void encodeRegistryResponse(response, p) };
    }
    if (endpoint === 'registry' && action === SOAP_ACTION.iti18) {
      const query = decodeAdhocQueryRequest(body);
      received.push({ ...base, query });
      const response = stub.queryAnswer(query);
      return { action: SOAP_ACTION.iti18Response, body: (p) => void encodeAdhocQueryResponse(response, p) };
    }
    if (endpoint === 'repository' && action === SOAP_ACTION.iti43) {
      const requests = decodeRetrieveRequest(body);
      received.push({ ...base, retrieve: requests });
      const found = requests.flatMap((r) => {
        const doc = documents.get(r.documentUniqueId);
        return doc ? [{ ...r, ...doc }] : [];
      });
      const errors = requests.filter((r) => !documents.has(r.documentUniqueId))
        .map((r) => registryError('XDSDocumentUniqueIdError', `no document ${r.documentUniqueId}`, r.documentUniqueId));
      const status = statusFor(errors, found.length > 0);
      const attachments: MtomAttachment[] = [];
      return { action: SOAP_ACTION.iti43Response, attachments, body: (p) => void attachments.push(...encodeRetrieveResponse({ status, errors, documents: found }, p, true)) };
    }
    throw new SoapFault('Sender', `action ${action} is not served at the ${endpoint}`, 'wsa:ActionNotSupported');
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const endpoint = req.url === '/registry' ? 'registry' : req.url === '/repository' ? 'repository' : undefined;
    if (!endpoint || req.method !== 'POST') {
      res.writeHead(404).end();
      return;
    }
    let status = 200;
    let contentType = 'application/soap+xml; charset=UTF-8';
    let bytes: Buffer;
    try {
      const payload = await readSoapPayload(req.headers['content-type'], req, LIMITS);
      const doc = parseXml(payload.envelope);
      try {
        const envelope = decodeEnvelope(doc);
        let saml: Pick<StubReceived, 'saml' | 'samlError'> = {};
        if (options.verify) {
          try {
            if (!envelope.security) throw new Error('no wsse:Security header');
            saml = { saml: options.verify(singleAssertionOf(envelope.security)) };
          } catch (err) {
            received.push({ endpoint, action: envelope.action ?? '', samlError: String(err) });
            throw new SoapFault('Sender', 'assertion refused by the region', 'wsse:FailedAuthentication');
          }
        }
        const out = answer(endpoint, envelope.action ?? '', envelope.body, saml);
        const xml = encodeEnvelope({ action: out.action, relatesTo: envelope.messageId, body: out.body });
        if (out.attachments) {
          const pkg = buildMtom({ rootXml: xml, action: out.action, attachments: out.attachments });
          contentType = pkg.contentType;
          bytes = pkg.body;
        } else {
          bytes = Buffer.from(xml, 'utf8');
        }
      } finally {
        doc.dispose();
      }
    } catch (err) {
      const fault = err instanceof SoapFault ? err : new SoapFault('Receiver', String(err));
      status = fault.httpStatus;
      bytes = Buffer.from(encodeFault(fault), 'utf8');
    }
    res.writeHead(status, { 'content-type': contentType }).end(bytes);
  };

  const server = http.createServer((req, res) => void handle(req, res));
  let port = 0;
  const listen = () => new Promise<void>((resolve, reject) => {
    if (server.listening) return resolve();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      port = (server.address() as AddressInfo).port;
      resolve();
    });
  });
  const close = async () => {
    if (!server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  };
  await listen();
  const base = `http://127.0.0.1:${port}`;
  return Object.assign(stub, {
    code: options.code,
    region: { code: options.code, registryUrl: `${base}/registry`, repositoryUrl: `${base}/repository` },
    received,
    documents,
    down: close,
    up: listen,
    stop: close,
  });
}
