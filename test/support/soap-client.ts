import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClientAsync, type Client, type IMTOMAttachments, type IOptions } from 'soap';
import { stripAngleBrackets } from '../../src/soap-wire/multipart-related.js';
import { parseXml } from '../../src/xml/xml-toolkit.js';

/**
 * XDS.b SOAP clients for tests, driven by the npm `soap` package from the project's own WSDLs (`wsdl/`).
 *
 * What `soap` (1.13) does for us: loads the WSDL and our schemas, builds the Body from structured arguments (element
 * order and namespaces from the schemas) or takes it verbatim (`_xml`), sends SOAP 1.2 (`forceSoap12Headers`:
 * `application/soap+xml; charset=utf-8; action="<soapAction>"`), and splits `multipart/related` responses
 * (`parseResponseAttachments`, formidable's multipart parser, root = first part). What it does not do, and this module
 * adds: WS-Addressing headers (it ignores `wsaw:Action`; we read the actions from the WSDL and add `wsa:*` through a
 * `addSoapHeader` function), resolving `xop:Include` against the parts, and typed views of the parsed responses.
 * See: xds-ini digest 2.1, 2.3-2.5; wsdl/README.md.
 */

const WSDL_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'wsdl');
const WSA_NS = 'http://www.w3.org/2005/08/addressing';
const WSA_ANONYMOUS = 'http://www.w3.org/2005/08/addressing/anonymous';
const WSDL_NS = { wsdl: 'http://schemas.xmlsoap.org/wsdl/', wsaw: 'http://www.w3.org/2006/05/addressing/wsdl', soap12: 'http://schemas.xmlsoap.org/wsdl/soap12/' };

const ACTORS = {
  registry: { wsdl: 'XDS.b_DocumentRegistry.wsdl', path: 'xds/registry', service: 'DocumentRegistry_Service', port: 'DocumentRegistry_Port_Soap12' },
  repository: { wsdl: 'XDS.b_DocumentRepository.wsdl', path: 'xds/repository', service: 'DocumentRepository_Service', port: 'DocumentRepository_Port_Soap12' },
} as const;

export type XdsActor = keyof typeof ACTORS;

/** The WS-Addressing actions of one operation, as its WSDL declares them (`wsaw:Action` on input and output). */
export interface OperationActions {
  readonly request: string;
  readonly response: string;
}

/** A `soap` client bound to one actor of a bridge, with the operations' actions read from the WSDL it was built from. */
export interface XdsClient {
  readonly actor: XdsActor;
  /** Where requests go: `<baseUrl>/xds/registry` or `<baseUrl>/xds/repository`. */
  readonly endpoint: string;
  /** The WSDL's `soap12:address` (the placeholder in `wsdl/`, the bridge's rewrite when fetched from it). */
  readonly wsdlAddress: string;
  readonly operations: ReadonlyMap<string, OperationActions>;
  /** The underlying `soap` client, configured for SOAP 1.2 and WS-Addressing, for what the helpers do not cover. */
  readonly soap: Client;
}

export interface XdsClientOptions {
  /** `file` (default): the WSDL in `wsdl/`; `bridge`: `GET <endpoint>?wsdl` and its schemas from the running bridge. */
  readonly wsdlSource?: 'file' | 'bridge';
}

/** A Document Registry client (ITI-42, ITI-18, ITI-57, ITI-62, INI delete) for the bridge at `baseUrl`. */
export function createRegistryClient(baseUrl: string, options: XdsClientOptions = {}): Promise<XdsClient> {
  return createXdsClient('registry', baseUrl, options);
}

/** A Document Repository client (ITI-41, ITI-43) for the bridge at `baseUrl`; MTOM responses are split into parts. */
export function createRepositoryClient(baseUrl: string, options: XdsClientOptions = {}): Promise<XdsClient> {
  return createXdsClient('repository', baseUrl, options);
}

async function createXdsClient(actor: XdsActor, baseUrl: string, options: XdsClientOptions): Promise<XdsClient> {
  const spec = ACTORS[actor];
  const endpoint = new URL(spec.path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).href;
  const wsdlLocation = options.wsdlSource === 'bridge' ? `${endpoint}?wsdl` : path.join(WSDL_DIR, spec.wsdl);
  const wsdlXml = options.wsdlSource === 'bridge' ? await fetchText(wsdlLocation) : await readFile(wsdlLocation, 'utf8');
  const { operations, address } = readWsdl(wsdlXml);

  const soapOptions: IOptions = {
    forceSoap12Headers: true,
    // ITI-43 answers are always MTOM, ITI-41 answers mirror the request. See: xds-ini digest 2.5.
    parseResponseAttachments: actor === 'repository',
    disableCache: true,
    endpoint,
  };
  const soap = await createClientAsync(wsdlLocation, soapOptions);
  soap.addSoapHeader(
    (method: { $name?: unknown }, location: string) => wsaHeaders(operations, String(method.$name), location),
    '', 'wsa', WSA_NS,
  );
  return { actor, endpoint, wsdlAddress: address, operations, soap };
}

async function fetchText(url: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return res.text();
}

/** The operations' `wsaw:Action` pairs and the port address, read with the project's XML toolkit. */
function readWsdl(xml: string): { operations: Map<string, OperationActions>; address: string } {
  const doc = parseXml(xml, 'service.wsdl');
  try {
    const operations = new Map<string, OperationActions>();
    for (const op of doc.find('/wsdl:definitions/wsdl:portType/wsdl:operation', WSDL_NS)) {
      const text = (xpath: string) => String(op.eval(`string(${xpath})`, WSDL_NS));
      operations.set(text('@name'), { request: text('wsdl:input/@wsaw:Action'), response: text('wsdl:output/@wsaw:Action') });
    }
    const address = String(doc.eval('string(//wsdl:service/wsdl:port/soap12:address/@location)', WSDL_NS));
    return { operations, address };
  } finally {
    doc.dispose();
  }
}

/**
 * The request's WS-Addressing headers, as IHE asks: Action (mustUnderstand), a fresh `urn:uuid:` MessageID, ReplyTo
 * anonymous (synchronous), To the endpoint. `soap` serialises the object (and escapes the values) in the wsa namespace.
 * See: xds-ini digest 2.4.
 */
function wsaHeaders(operations: ReadonlyMap<string, OperationActions>, operation: string, location: string): object {
  const actions = operations.get(operation);
  if (!actions) throw new Error(`operation ${operation} has no wsaw:Action in the WSDL`);
  return {
    // `soap:` is the `soap` package's envelope prefix (option envelopeKey, left at its default).
    Action: { attributes: { 'soap:mustUnderstand': 'true' }, $value: actions.request },
    MessageID: `urn:uuid:${randomUUID()}`,
    ReplyTo: { Address: WSA_ANONYMOUS },
    To: location,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Calls

/** What came back from one operation, parsed by `soap`, with the HTTP and WS-Addressing facts tests assert on. */
export interface XdsCallResult {
  /** The response body element as `soap` parsed it (`attributes` holds XML attributes, repeated children are arrays). */
  readonly body: SoapNode;
  readonly httpStatus: number;
  readonly contentType: string;
  /** Response headers `wsa:Action` and `wsa:RelatesTo` (empty when absent). */
  readonly addressing: { readonly action: string; readonly relatesTo: string };
  /** The request's `wsa:MessageID`. */
  readonly messageId: string;
  readonly rawRequest: string;
  /** The response envelope (the root part when MTOM). */
  readonly rawResponse: string;
  readonly attachments: IMTOMAttachments | undefined;
}

/** A SOAP Fault or an HTTP failure, with the fault's code, subcode and reason when the answer was a SOAP 1.2 Fault. */
export class SoapCallError extends Error {
  constructor(
    message: string,
    readonly httpStatus: number | undefined,
    readonly fault: { readonly code: string; readonly subcode: string; readonly reason: string } | undefined,
  ) {
    super(message);
    this.name = 'SoapCallError';
  }
}

/** A node of `soap`'s parsed object: text, or an object of attributes, text (`$value`) and children by local name. */
export type SoapNode = string | null | { readonly [key: string]: unknown };

type SoapCallback = (err: unknown, result: unknown, rawResponse: unknown, soapHeader: unknown, rawRequest: unknown,
  attachments?: IMTOMAttachments) => void;
type SoapMethod = (args: unknown, callback: SoapCallback, options: object) => void;

/**
 * Calls one WSDL operation (IHE name, e.g. `DocumentRegistry_RegisterDocumentSet-b`). `args` is either `soap`'s
 * structured object for the body element or `{ _xml: '<lcm:SubmitObjectsRequest …/>' }` to send a body verbatim.
 */
export async function callOperation(client: XdsClient, operation: string, args: object): Promise<XdsCallResult> {
  const spec = ACTORS[client.actor];
  const port = (client.soap[spec.service] as Record<string, Record<string, unknown>> | undefined)?.[spec.port];
  const method = port?.[operation];
  if (typeof method !== 'function' || !client.operations.has(operation)) {
    throw new Error(`${client.actor} WSDL has no operation ${operation}`);
  }
  const exchangeId = randomUUID();
  let http: { status: number; headers: Record<string, unknown> } | undefined;
  const onResponse = (_body: unknown, res: { status?: number; headers?: Record<string, unknown> } | undefined, eid: string) => {
    if (eid === exchangeId && res?.status !== undefined) http = { status: res.status, headers: res.headers ?? {} };
  };
  client.soap.on('response', onResponse);
  try {
    const [body, rawResponse, header, rawRequest, attachments] = await new Promise<
      [unknown, unknown, unknown, unknown, IMTOMAttachments | undefined]>((resolve, reject) => {
      (method as SoapMethod)(args, (err, result, raw, soapHeader, request, parts) => {
        if (err) reject(toCallError(err, http?.status));
        else resolve([result, raw, soapHeader, request, parts]);
      }, { exchangeId });
    });
    const headerNode = asNode(header);
    return {
      body: asNode(body),
      httpStatus: http?.status ?? 0,
      contentType: String(http?.headers['content-type'] ?? ''),
      addressing: { action: text(child(headerNode, 'Action')), relatesTo: text(child(headerNode, 'RelatesTo')) },
      messageId: messageIdOf(String(rawRequest)),
      rawRequest: String(rawRequest),
      rawResponse: String(rawResponse),
      attachments,
    };
  } finally {
    client.soap.off('response', onResponse);
  }
}

function messageIdOf(envelope: string): string {
  const doc = parseXml(envelope, 'request.xml');
  try {
    return String(doc.eval('string(/*/*[local-name()="Header"]/wsa:MessageID)', { wsa: WSA_NS }));
  } finally {
    doc.dispose();
  }
}

function toCallError(err: unknown, httpStatus: number | undefined): SoapCallError {
  const e = err as { message?: unknown; root?: unknown; response?: { status?: number } };
  const faultNode = child(child(child(asNode(e.root), 'Envelope'), 'Body'), 'Fault');
  const fault = faultNode === null ? undefined : {
    code: text(child(child(faultNode, 'Code'), 'Value')),
    subcode: text(child(child(child(faultNode, 'Code'), 'Subcode'), 'Value')),
    reason: text(child(child(faultNode, 'Reason'), 'Text')),
  };
  return new SoapCallError(String(e.message ?? err), httpStatus ?? e.response?.status, fault);
}

// ---------------------------------------------------------------------------------------------------------------
// Views of parsed nodes: `soap` keeps single children as objects and repeated ones as arrays, and only applies the
// WSDL's types when the response envelope uses the prefix `soap`, so every read goes through these helpers.

function asNode(value: unknown): SoapNode {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value as { readonly [key: string]: unknown };
}

/** All children named `name` (local name), whether `soap` produced one object or an array. */
export function children(node: SoapNode, name: string): SoapNode[] {
  if (node === null || typeof node === 'string') return [];
  const value = node[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value.map(asNode) : [asNode(value)];
}

function child(node: SoapNode, name: string): SoapNode {
  return children(node, name)[0] ?? null;
}

/** The text content of an element (`$value` when it also has attributes). */
export function text(node: SoapNode): string {
  if (node === null) return '';
  if (typeof node === 'string') return node;
  return typeof node.$value === 'string' || typeof node.$value === 'number' ? String(node.$value) : '';
}

/** The attributes of an element, by their name as written. */
export function attributes(node: SoapNode): Readonly<Record<string, string>> {
  if (node === null || typeof node === 'string') return {};
  const attrs = node.attributes;
  return typeof attrs === 'object' && attrs !== null ? attrs as Record<string, string> : {};
}

/** An `rs:RegistryError`. See: xds-ini digest 9. */
export interface RegistryErrorView {
  readonly errorCode: string;
  readonly codeContext: string;
  readonly severity: string;
  readonly location: string;
}

/** The status and errors of an `rs:RegistryResponse` or of a response type derived from it. */
function registryStatus(node: SoapNode): { status: string; errors: RegistryErrorView[] } {
  const errors = children(child(node, 'RegistryErrorList'), 'RegistryError').map((e) => {
    const a = attributes(e);
    return { errorCode: a.errorCode ?? '', codeContext: a.codeContext ?? '', severity: a.severity ?? '', location: a.location ?? '' };
  });
  return { status: attributes(node).status ?? '', errors };
}

/** One ebRIM object: its element name, attributes, Slots, Name, and nested Classifications/ExternalIdentifiers. */
export interface RegistryObjectView {
  readonly type: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly slots: Readonly<Record<string, readonly string[]>>;
  readonly name: string | undefined;
  readonly classifications: readonly RegistryObjectView[];
  readonly externalIdentifiers: readonly RegistryObjectView[];
}

function registryObject(type: string, node: SoapNode): RegistryObjectView {
  const slots: Record<string, string[]> = {};
  for (const slot of children(node, 'Slot')) {
    slots[attributes(slot).name ?? ''] = children(child(slot, 'ValueList'), 'Value').map(text);
  }
  const name = child(child(node, 'Name'), 'LocalizedString');
  return {
    type,
    attributes: attributes(node),
    slots,
    name: name === null ? undefined : attributes(name).value,
    classifications: children(node, 'Classification').map((c) => registryObject('Classification', c)),
    externalIdentifiers: children(node, 'ExternalIdentifier').map((e) => registryObject('ExternalIdentifier', e)),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// ITI-18 Registry Stored Query

/** A stored query: its UUID and parameters. Values are sent verbatim: quote them as IHE asks (xds-ini digest 5.2). */
export interface StoredQueryArgs {
  readonly queryId: string;
  /** Repeatable: the same name twice is two Slots (ANDed for the code parameters, xds-ini digest 10 item 7). */
  readonly parameters: readonly { readonly name: string; readonly values: readonly string[] }[];
  readonly returnType?: 'LeafClass' | 'ObjectRef';
}

export interface AdhocQueryResult {
  readonly status: string;
  readonly errors: readonly RegistryErrorView[];
  readonly totalResultCount: string | undefined;
  /** The RegistryObjectList's children, grouped by element name (ExtrinsicObject, RegistryPackage, ObjectRef, ...). */
  readonly registryObjects: readonly RegistryObjectView[];
  readonly call: XdsCallResult;
}

/**
 * ITI-18: sends `query:AdhocQueryRequest`, built by `soap` from `request` through our schemas, or verbatim when
 * `request` is the XML of an AdhocQueryRequest element. See: xds-ini digest 4.4.
 */
export async function registryStoredQuery(client: XdsClient, request: string | StoredQueryArgs): Promise<AdhocQueryResult> {
  const args = typeof request === 'string' ? { _xml: request } : {
    ResponseOption: { attributes: { returnType: request.returnType ?? 'LeafClass', returnComposedObjects: 'true' } },
    AdhocQuery: {
      attributes: { id: request.queryId },
      Slot: request.parameters.map((p) => ({ attributes: { name: p.name }, ValueList: { Value: [...p.values] } })),
    },
  };
  const call = await callOperation(client, 'DocumentRegistry_RegistryStoredQuery', args);
  const list = child(call.body, 'RegistryObjectList');
  const registryObjects: RegistryObjectView[] = [];
  if (list !== null && typeof list !== 'string') {
    for (const type of Object.keys(list).filter((k) => k !== 'attributes' && k !== '$value')) {
      registryObjects.push(...children(list, type).map((node) => registryObject(type, node)));
    }
  }
  return { ...registryStatus(call.body), totalResultCount: attributes(call.body).totalResultCount, registryObjects, call };
}

// ---------------------------------------------------------------------------------------------------------------
// ITI-43 Retrieve Document Set

export interface DocumentRequest {
  readonly repositoryUniqueId: string;
  readonly documentUniqueId: string;
  readonly homeCommunityId?: string;
}

export interface RetrievedDocument {
  readonly repositoryUniqueId: string;
  readonly documentUniqueId: string;
  readonly homeCommunityId: string | undefined;
  readonly mimeType: string;
  /** The exact bytes: the MIME part an `xop:Include` points to, or the decoded inline base64. */
  readonly bytes: Buffer;
  /** Whether the bytes came from an MTOM attachment (`xop:Include`) rather than inline base64. */
  readonly viaXop: boolean;
}

export interface RetrieveResult {
  readonly status: string;
  readonly errors: readonly RegistryErrorView[];
  readonly documents: readonly RetrievedDocument[];
  readonly call: XdsCallResult;
}

/** ITI-43: one DocumentRequest per entry; the answer's documents with their bytes. See: xds-ini digest 4.3, 2.5. */
export async function retrieveDocumentSet(client: XdsClient, requests: readonly DocumentRequest[]): Promise<RetrieveResult> {
  const call = await callOperation(client, 'DocumentRepository_RetrieveDocumentSet', {
    DocumentRequest: requests.map((r) => ({
      ...(r.homeCommunityId === undefined ? {} : { HomeCommunityId: r.homeCommunityId }),
      RepositoryUniqueId: r.repositoryUniqueId,
      DocumentUniqueId: r.documentUniqueId,
    })),
  });
  const parts = attachmentsById(call.attachments);
  const documents = children(call.body, 'DocumentResponse').map((response): RetrievedDocument => {
    const document = child(response, 'Document');
    const href = attributes(child(document, 'Include')).href;
    const value = (name: string) => text(child(response, name));
    return {
      repositoryUniqueId: value('RepositoryUniqueId'),
      documentUniqueId: value('DocumentUniqueId'),
      homeCommunityId: child(response, 'HomeCommunityId') === null ? undefined : value('HomeCommunityId'),
      mimeType: value('mimeType'),
      bytes: href === undefined ? Buffer.from(text(document), 'base64') : resolveXop(href, parts),
      viaXop: href !== undefined,
    };
  });
  return { ...registryStatus(child(call.body, 'RegistryResponse')), documents, call };
}

/** The response's MIME parts by Content-ID (angle brackets removed), bodies decoded when sent as base64. */
function attachmentsById(attachments: IMTOMAttachments | undefined): Map<string, Buffer> {
  const parts = new Map<string, Buffer>();
  for (const part of attachments?.parts ?? []) {
    const id = stripAngleBrackets((part.headers['content-id'] ?? '').trim());
    const base64 = (part.headers['content-transfer-encoding'] ?? '').trim().toLowerCase() === 'base64';
    parts.set(id, base64 ? Buffer.from(part.body.toString('latin1'), 'base64') : part.body);
  }
  return parts;
}

/** `cid:` + the URL-encoded Content-ID (RFC 2392): decode, then match exactly. See: xds-ini digest 2.5. */
function resolveXop(href: string, parts: ReadonlyMap<string, Buffer>): Buffer {
  if (!href.toLowerCase().startsWith('cid:')) throw new Error(`xop:Include href ${href} is not a cid: URL`);
  const part = parts.get(decodeURIComponent(href.slice('cid:'.length)));
  if (!part) throw new Error(`xop:Include href ${href} matches no MIME part (have: ${[...parts.keys()].join(', ')})`);
  return part;
}
