import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XmlElement, type XmlDocument } from 'libxml2-wasm';
import { parseContentType } from '../../src/soap-wire/content-type.js';
import { parseXml } from '../../src/xml/xml-toolkit.js';
import {
  createRegistryClient,
  createRepositoryClient,
  registryStoredQuery,
  retrieveDocumentSet,
  SoapCallError,
  type XdsClient,
} from '../support/soap-client.js';
import {
  faultAnswer,
  iti18Answer,
  iti43Answer,
  metadataAnswer,
  startCannedServer,
  type CannedServer,
  type RecordedRequest,
} from './canned-xds-server.js';
import { compileSchemas, FIXTURES, XDS_NS, type SchemaSet } from './xds-schemas.js';

/*
 * The test-support client (test/support/soap-client.ts) against a real node:http server that records the requests and
 * answers with canned SOAP 1.2 responses: what goes on the wire (Content-Type, envelope, WS-Addressing, body) and what
 * the helpers return (parsed objects, exact document bytes from MTOM). See: xds-ini digest 2.1-2.5, 4.3, 4.4.
 */

const FIND_DOCUMENTS = 'urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d';
const PATIENT = "'RSSMRA75C03F839K^^^&2.16.840.1.113883.2.9.4.3.2&ISO'";
const UUID_URN = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** Bytes that look like MIME syntax, and every byte value, so that any text decoding or trimming shows. */
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\r\n--MIMEBoundary_x\r\n\r\n'), Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(4096)]);

let schemas: SchemaSet;
before(() => {
  schemas = compileSchemas();
});
after(() => schemas.dispose());

/** Parses a recorded SOAP request and hands the document to `fn`. */
function withEnvelope<T>(request: RecordedRequest, fn: (doc: XmlDocument) => T): T {
  const doc = parseXml(request.body, 'request.xml');
  try {
    return fn(doc);
  } finally {
    doc.dispose();
  }
}

const str = (doc: XmlDocument, xpath: string): string => String(doc.eval(`string(${xpath})`, XDS_NS));

/** The wire checks every XDS.b request must pass: SOAP 1.2 Content-Type with action, IHE WS-Addressing headers. */
function assertSoap12Request(request: RecordedRequest, endpoint: string, action: string): void {
  assert.equal(request.method, 'POST');
  assert.equal(new URL(request.url, endpoint).href, endpoint);
  const contentType = parseContentType(request.headers['content-type'] ?? '');
  assert.equal(contentType.mediaType, 'application/soap+xml');
  assert.equal(contentType.params.get('action'), action);
  assert.equal(contentType.params.get('charset')?.toLowerCase(), 'utf-8');
  withEnvelope(request, (doc) => {
    assert.equal(doc.root.namespaceUri, XDS_NS.env);
    assert.equal(doc.root.name, 'Envelope');
    assert.equal(str(doc, '/env:Envelope/env:Header/wsa:Action'), action);
    assert.match(str(doc, '/env:Envelope/env:Header/wsa:Action/@env:mustUnderstand'), /^(true|1)$/);
    assert.match(str(doc, '/env:Envelope/env:Header/wsa:MessageID'), UUID_URN);
    assert.equal(str(doc, '/env:Envelope/env:Header/wsa:To'), endpoint);
    assert.equal(str(doc, '/env:Envelope/env:Header/wsa:ReplyTo/wsa:Address'), 'http://www.w3.org/2005/08/addressing/anonymous');
    assert.equal(doc.find('/env:Envelope/env:Body/*', XDS_NS).length, 1, 'document/literal bare: one body element');
  });
}

/** The one Body element, validated against our schemas. */
function bodyElement(doc: XmlDocument): XmlElement {
  const body = doc.get('/env:Envelope/env:Body/*', XDS_NS);
  if (!(body instanceof XmlElement)) throw new Error('empty Body');
  return body;
}

describe('registry client, ITI-18', () => {
  let server: CannedServer;
  let client: XdsClient;
  before(async () => {
    server = await startCannedServer((request, baseUrl) => metadataAnswer(request, baseUrl) ?? iti18Answer(request));
    client = await createRegistryClient(server.baseUrl);
  });
  after(() => server.close());

  test('the client knows every registry operation and its actions from our WSDL', () => {
    assert.equal(client.endpoint, `${server.baseUrl}/xds/registry`);
    assert.equal(client.wsdlAddress, 'http://localhost:8080/xds/registry');
    assert.deepEqual([...client.operations.keys()].sort(), [
      'DocumentRegistry_DeleteDocumentSet', 'DocumentRegistry_DeleteDocumentSet_XDSDeletetWS',
      'DocumentRegistry_RegisterDocumentSet-b', 'DocumentRegistry_RegistryStoredQuery', 'DocumentRegistry_UpdateDocumentSet',
    ]);
    assert.deepEqual(client.operations.get('DocumentRegistry_RegistryStoredQuery'), {
      request: 'urn:ihe:iti:2007:RegistryStoredQuery', response: 'urn:ihe:iti:2007:RegistryStoredQueryResponse',
    });
  });

  test('structured arguments become a schema-valid AdhocQueryRequest in a SOAP 1.2 envelope with WS-Addressing', async () => {
    server.requests.length = 0;
    const result = await registryStoredQuery(client, {
      queryId: FIND_DOCUMENTS,
      parameters: [
        { name: '$XDSDocumentEntryPatientId', values: [PATIENT] },
        { name: '$XDSDocumentEntryStatus', values: ["('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved')"] },
        { name: '$XDSDocumentEntryEventCodeList', values: ["('P99^^2.16.840.1.113883.2.9.3.3.6.1.3')"] },
        { name: '$XDSDocumentEntryEventCodeList', values: ["('J07BX03^^2.16.840.1.113883.6.73')"] },
      ],
    });
    assert.equal(server.requests.length, 1);
    const [request] = server.requests as [RecordedRequest];
    assertSoap12Request(request, client.endpoint, 'urn:ihe:iti:2007:RegistryStoredQuery');
    withEnvelope(request, (doc) => {
      const body = bodyElement(doc);
      assert.equal(body.namespaceUri, XDS_NS.query);
      assert.equal(body.name, 'AdhocQueryRequest');
      assert.deepEqual(schemas.validate(body), []);
      assert.equal(str(doc, '//query:ResponseOption/@returnType'), 'LeafClass');
      assert.equal(str(doc, '//rim:AdhocQuery/@id'), FIND_DOCUMENTS);
      assert.equal(str(doc, "//rim:Slot[@name='$XDSDocumentEntryPatientId']/rim:ValueList/rim:Value"), PATIENT);
      assert.equal(doc.find("//rim:Slot[@name='$XDSDocumentEntryEventCodeList']", XDS_NS).length, 2, 'repeated slots stay two slots');
      assert.equal(str(doc, '/env:Envelope/env:Header/wsa:MessageID'), result.call.messageId);
    });

    assert.equal(result.call.httpStatus, 200);
    assert.equal(result.call.addressing.action, 'urn:ihe:iti:2007:RegistryStoredQueryResponse');
    assert.equal(result.call.addressing.relatesTo, result.call.messageId);
    assert.equal(result.status, 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success');
    assert.deepEqual(result.errors, []);
    assert.equal(result.totalResultCount, '1');
    assert.equal(result.registryObjects.length, 1);
    const [entry] = result.registryObjects;
    assert.equal(entry?.type, 'ExtrinsicObject');
    assert.equal(entry?.attributes.id, 'urn:uuid:5d8a0f4c-7d9e-4a3b-9b1e-2f6c8a1d3e50');
    assert.equal(entry?.attributes.mimeType, 'application/pdf+text/x-cda-r2+xml');
    assert.equal(entry?.name, 'Referto di laboratorio');
    assert.deepEqual(entry?.slots.languageCode, ['it-IT']);
    assert.deepEqual(entry?.slots['urn:ita:2022:description'], ['Emocromo^Esame', 'Glicemia^Esame']);
    assert.equal(entry?.classifications.length, 1);
    assert.equal(entry?.classifications[0]?.attributes.nodeRepresentation, '11502-2');
    assert.deepEqual(entry?.classifications[0]?.slots.codingScheme, ['2.16.840.1.113883.6.1']);
    assert.deepEqual(entry?.externalIdentifiers.map((e) => [e.name, e.attributes.value]), [
      ['XDSDocumentEntry.patientId', 'RSSMRA75C03F839K^^^&2.16.840.1.113883.2.9.4.3.2&ISO'],
      ['XDSDocumentEntry.uniqueId', '2.16.840.1.113883.2.9.2.120.4.4^290700'],
    ]);
  });

  test('an AdhocQueryRequest given as XML is sent verbatim as the body', async () => {
    server.requests.length = 0;
    const xml = parseXml(readFileSync(path.join(FIXTURES, 'iti18-request.xml')), 'iti18-request.xml');
    const element = xml.root.toString();
    xml.dispose();
    const result = await registryStoredQuery(client, element);
    assert.equal(result.registryObjects.length, 1);
    const [request] = server.requests as [RecordedRequest];
    assertSoap12Request(request, client.endpoint, 'urn:ihe:iti:2007:RegistryStoredQuery');
    withEnvelope(request, (doc) => {
      assert.deepEqual(schemas.validate(bodyElement(doc)), []);
      assert.equal(str(doc, "//rim:Slot[@name='$XDSDocumentEntryTypeCode']/rim:ValueList/rim:Value"),
        "('11502-2^^2.16.840.1.113883.6.1','34105-7^^2.16.840.1.113883.6.1')");
    });
  });

  test('every call has its own MessageID', async () => {
    const first = await registryStoredQuery(client, { queryId: FIND_DOCUMENTS, parameters: [] });
    const second = await registryStoredQuery(client, { queryId: FIND_DOCUMENTS, parameters: [] });
    assert.notEqual(first.call.messageId, second.call.messageId);
    assert.equal(second.call.addressing.relatesTo, second.call.messageId);
  });
});

describe('repository client, ITI-43 with an MTOM answer', () => {
  let server: CannedServer;
  let client: XdsClient;
  before(async () => {
    server = await startCannedServer((request) => iti43Answer(request, PDF));
    client = await createRepositoryClient(`${server.baseUrl}/`);
  });
  after(() => server.close());

  test('the request is a schema-valid RetrieveDocumentSetRequest; the bytes come back exactly, from the xop:Include part', async () => {
    const result = await retrieveDocumentSet(client, [
      { repositoryUniqueId: '2.16.840.1.113883.2.9.2.120.4.5.1', documentUniqueId: '2.16.840.1.113883.2.9.2.120.4.4^290700' },
    ]);
    const [request] = server.requests as [RecordedRequest];
    assertSoap12Request(request, `${server.baseUrl}/xds/repository`, 'urn:ihe:iti:2007:RetrieveDocumentSet');
    withEnvelope(request, (doc) => {
      const body = bodyElement(doc);
      assert.equal(body.namespaceUri, XDS_NS.xds);
      assert.equal(body.name, 'RetrieveDocumentSetRequest');
      assert.deepEqual(schemas.validate(body), []);
      assert.equal(str(doc, '//xds:DocumentRequest/xds:DocumentUniqueId'), '2.16.840.1.113883.2.9.2.120.4.4^290700');
      assert.equal(doc.find('//xds:HomeCommunityId', XDS_NS).length, 0);
    });

    assert.equal(parseContentType(result.call.contentType).mediaType, 'multipart/related');
    assert.equal(result.call.addressing.action, 'urn:ihe:iti:2007:RetrieveDocumentSetResponse');
    assert.equal(result.call.addressing.relatesTo, result.call.messageId);
    assert.equal(result.status, 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success');
    assert.equal(result.documents.length, 1);
    const [document] = result.documents;
    assert.equal(document?.repositoryUniqueId, '2.16.840.1.113883.2.9.2.120.4.5.1');
    assert.equal(document?.documentUniqueId, '2.16.840.1.113883.2.9.2.120.4.4^290700');
    assert.equal(document?.mimeType, 'application/pdf');
    assert.equal(document?.viaXop, true);
    assert.ok(document?.bytes.equals(PDF), 'document bytes differ from the attachment');
  });

  test('HomeCommunityId is sent when given, before RepositoryUniqueId', async () => {
    server.requests.length = 0;
    await retrieveDocumentSet(client, [
      { homeCommunityId: 'urn:oid:2.16.840.1.113883.2.9.2.120', repositoryUniqueId: '2.16.840.1.113883.2.9.2.120.4.5.1', documentUniqueId: 'a^1' },
      { repositoryUniqueId: '2.16.840.1.113883.2.9.2.120.4.5.1', documentUniqueId: 'a^2' },
    ]);
    withEnvelope(server.requests[0] as RecordedRequest, (doc) => {
      assert.deepEqual(schemas.validate(bodyElement(doc)), []);
      assert.equal(doc.find('//xds:DocumentRequest', XDS_NS).length, 2);
      assert.equal(str(doc, '//xds:DocumentRequest[1]/*[1]'), 'urn:oid:2.16.840.1.113883.2.9.2.120');
    });
  });
});

describe('faults and the served WSDL', () => {
  test('a SOAP 1.2 Fault rejects with its code, subcode, reason and HTTP status', async () => {
    const server = await startCannedServer(faultAnswer);
    try {
      const client = await createRegistryClient(server.baseUrl);
      await assert.rejects(registryStoredQuery(client, { queryId: FIND_DOCUMENTS, parameters: [] }), (err: unknown) => {
        assert.ok(err instanceof SoapCallError);
        assert.equal(err.httpStatus, 500);
        assert.deepEqual(err.fault, {
          code: 'env:Sender', subcode: 'wsa:ActionNotSupported', reason: 'The action is not supported by this endpoint',
        });
        return true;
      });
    } finally {
      await server.close();
    }
  });

  test('wsdlSource "bridge" loads ?wsdl and the schemas by the proposed URL scheme, and still builds valid requests', async () => {
    const server = await startCannedServer((request, baseUrl) => metadataAnswer(request, baseUrl) ?? iti18Answer(request));
    try {
      const client = await createRegistryClient(server.baseUrl, { wsdlSource: 'bridge' });
      assert.equal(client.wsdlAddress, `${server.baseUrl}/xds/registry`, 'the served WSDL carries the rewritten address');
      const gets = server.requests.filter((r) => r.method === 'GET').map((r) => r.url);
      assert.ok(gets.includes('/xds/registry?wsdl'));
      for (const file of ['query.xsd', 'lcm.xsd', 'rs.xsd', 'rim.xsd']) assert.ok(gets.includes(`/xds/schema/${file}`), file);
      for (const url of gets) assert.match(url, /^\/xds\/(registry\?wsdl|schema\/[a-z-]+\.xsd)$/, 'every GET stays inside the scheme');

      const result = await registryStoredQuery(client, { queryId: FIND_DOCUMENTS, parameters: [{ name: '$XDSDocumentEntryPatientId', values: [PATIENT] }] });
      assert.equal(result.registryObjects.length, 1);
      const post = server.requests.find((r) => r.method === 'POST') as RecordedRequest;
      withEnvelope(post, (doc) => assert.deepEqual(schemas.validate(bodyElement(doc)), []));
    } finally {
      await server.close();
    }
  });

  test('wsdlSource "bridge" fails clearly when the bridge serves no WSDL', async () => {
    const server = await startCannedServer(() => ({ status: 404, contentType: 'text/plain', body: 'no' }));
    try {
      await assert.rejects(createRepositoryClient(server.baseUrl, { wsdlSource: 'bridge' }), /GET .*\/xds\/repository\?wsdl: HTTP 404/);
    } finally {
      await server.close();
    }
  });
});
