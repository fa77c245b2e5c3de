import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRepositoryUniqueId, parseUniqueId } from '../../src/domain/ids.js';
import { registryError } from '../../src/errors/xds-codes.js';
import { EbxmlError } from '../../src/ebxml/ebxml-error.js';
import { decodeProvideAndRegister, encodeProvideAndRegisterDocument } from '../../src/ebxml/provide-and-register.js';
import { decodeRegistryResponse, encodeRegistryResponse } from '../../src/ebxml/registry-response.js';
import { decodeRemoveObjectsRequest, encodeRemoveObjectsRequest } from '../../src/ebxml/remove-objects-request.js';
import { decodeRetrieveRequest, decodeRetrieveResponse, encodeRetrieveRequest, encodeRetrieveResponse } from '../../src/ebxml/retrieve-document-set.js';
import type { MimePart } from '../../src/soap-wire/multipart-related.js';
import { withXml } from '../../src/xml/xml-toolkit.js';
import { writeXml, type XmlBuilder } from '../../src/xml/xml-writer.js';
import { aDocumentEntry, aSubmission, newUuid } from '../support/xds-builders.js';

const bytes = Buffer.concat([Buffer.from('%PDF-1.7\r\n--boundary-lookalike\r\n'), Buffer.from(Array.from({ length: 256 }, (_, i) => i))]);
const partsOf = (attachments: readonly { contentId: string; contentType: string; body: Uint8Array }[]): Map<string, MimePart> =>
  new Map(attachments.map((a) => [a.contentId, { headers: {}, contentId: a.contentId, contentType: a.contentType, body: Buffer.from(a.body) }]));

function written(fill: (parent: XmlBuilder) => void): string {
  return writeXml(fill);
}

test('ProvideAndRegister round trip, MTOM and inline base64: the same submission and the exact bytes', () => {
  const submission = aSubmission([{ entry: aDocumentEntry(), bytes }, { entry: aDocumentEntry(), bytes: Buffer.from('second') }]);
  for (const mtom of [true, false]) {
    const { text, attachments } = encodeProvideAndRegisterDocument(submission, { mtom });
    assert.equal(attachments.length, mtom ? 2 : 0);
    const decoded = withXml(text, (doc) => decodeProvideAndRegister(doc.root, partsOf(attachments)));
    assert.deepEqual(decoded.submissionSet, submission.submissionSet);
    assert.deepEqual(decoded.documents.map((d) => [d.entry, Buffer.from(d.bytes ?? [])]), submission.documents.map((d) => [d.entry, Buffer.from(d.bytes ?? [])]));
  }
});

test('ProvideAndRegister without a Document for an entry is XDSMissingDocument; an xop:Include to no part too', () => {
  const submission = aSubmission([{ entry: aDocumentEntry(), bytes }]);
  const { text } = encodeProvideAndRegisterDocument(submission, { mtom: true });
  assert.throws(() => withXml(text, (doc) => decodeProvideAndRegister(doc.root, new Map())),
    (err: unknown) => err instanceof EbxmlError && err.code === 'XDSMissingDocument' && /names no MIME part/.test(err.codeContext));
  const { text: none } = encodeProvideAndRegisterDocument({ ...submission, documents: submission.documents.map(({ entry }) => ({ entry })) }, { mtom: true });
  assert.throws(() => withXml(none, (doc) => decodeProvideAndRegister(doc.root, new Map())),
    (err: unknown) => err instanceof EbxmlError && err.code === 'XDSMissingDocument' && /has no Document/.test(err.codeContext));
});

test('RetrieveDocumentSet request and response round trips (MTOM parts and inline)', () => {
  const requests = [
    { repositoryUniqueId: parseRepositoryUniqueId('2.16.840.1.113883.2.9.2.120.4.5.1'), documentUniqueId: parseUniqueId('2.16.840.1.113883.2.9.2.120.4.4^A') },
    { repositoryUniqueId: parseRepositoryUniqueId('2.16.840.1.113883.2.9.2.90.4.5.1'), documentUniqueId: parseUniqueId('2.16.840.1.113883.2.9.2.90.4.4^B'), homeCommunityId: 'urn:oid:2.16.840.1.113883.2.9.2.90' },
  ];
  assert.deepEqual(withXml(written((d) => encodeRetrieveRequest(requests, d)), (doc) => decodeRetrieveRequest(doc.root)), requests);
  const [first, second] = requests;
  assert.ok(first && second);
  const response = {
    status: 'PartialSuccess' as const,
    errors: [registryError('XDSDocumentUniqueIdError', 'not here', second.documentUniqueId)],
    documents: [{ ...first, mimeType: 'application/pdf+text/x-cda-r2+xml', bytes: new Uint8Array(bytes) }],
  };
  for (const mtom of [true, false]) {
    let attachments: ReturnType<typeof encodeRetrieveResponse> = [];
    const xml = written((d) => { attachments = encodeRetrieveResponse(response, d, mtom); });
    const decoded = withXml(xml, (doc) => decodeRetrieveResponse(doc.root, partsOf(attachments)));
    assert.equal(decoded.status, 'PartialSuccess');
    assert.deepEqual(decoded.errors, response.errors);
    assert.deepEqual(decoded.documents.map((d) => ({ ...d, bytes: Buffer.from(d.bytes) })), response.documents.map((d) => ({ ...d, bytes: Buffer.from(d.bytes) })));
  }
});

test('RetrieveDocumentSet requests with no DocumentRequest or a malformed id are refused', () => {
  const empty = '<x:RetrieveDocumentSetRequest xmlns:x="urn:ihe:iti:xds-b:2007"/>';
  assert.throws(() => withXml(empty, (doc) => decodeRetrieveRequest(doc.root)), (e: unknown) => e instanceof EbxmlError && e.code === 'XDSRepositoryError');
  const bad = `<x:RetrieveDocumentSetRequest xmlns:x="urn:ihe:iti:xds-b:2007"><x:DocumentRequest><x:RepositoryUniqueId>not an oid</x:RepositoryUniqueId>
    <x:DocumentUniqueId>1.2^3</x:DocumentUniqueId></x:DocumentRequest></x:RetrieveDocumentSetRequest>`;
  assert.throws(() => withXml(bad, (doc) => decodeRetrieveRequest(doc.root)), (e: unknown) => e instanceof EbxmlError && e.code === 'XDSDocumentUniqueIdError');
});

test('RemoveObjectsRequest round trip; AdhocQuery or another deletion scope refused', () => {
  const uuids = [newUuid(), newUuid()];
  assert.deepEqual(withXml(written((d) => encodeRemoveObjectsRequest(uuids, d)), (doc) => decodeRemoveObjectsRequest(doc.root)), uuids);
  const scoped = `<l:RemoveObjectsRequest xmlns:l="urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0" deletionScope="urn:oasis:names:tc:ebxml-regrep:DeletionScopeType:DeprecateAll"
    xmlns:r="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"><r:ObjectRefList><r:ObjectRef id="${uuids[0] ?? ''}"/></r:ObjectRefList></l:RemoveObjectsRequest>`;
  assert.throws(() => withXml(scoped, (doc) => decodeRemoveObjectsRequest(doc.root)), (e: unknown) => e instanceof EbxmlError && /deletionScope/.test(e.codeContext));
  const symbolic = scoped.replace(/ deletionScope="[^"]*"/, '').replace(uuids[0] ?? '', 'Document1');
  assert.throws(() => withXml(symbolic, (doc) => decodeRemoveObjectsRequest(doc.root)), (e: unknown) => e instanceof EbxmlError && e.code === 'XDSRegistryMetadataError');
});

test('RegistryResponse round trip: status, ResponseSlotList, errors and warnings with highestSeverity', () => {
  const response = {
    status: 'Success' as const,
    errors: [registryError('XDSRegistryNotAvailable', 'GTW down', '1.2^3', 'Warning')],
    slots: { workflowInstanceId: ['2.16.840.1.113883.2.9.2.120.4.4.abc^^^^urn:ihe:iti:xdw:2013:workflowInstanceId'], traceId: ['0af7651916cd43dd8448eb211c80319c'] },
  };
  const xml = written((d) => encodeRegistryResponse(response, d));
  assert.match(xml, /highestSeverity="urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Warning"/);
  assert.deepEqual(withXml(xml, (doc) => decodeRegistryResponse(doc.root)), response);
  const failure = { status: 'Failure' as const, errors: [registryError('XDSRepositoryMetadataError', 'hash'), registryError('XDSRegistryBusy', 'w', undefined, 'Warning')] };
  const failed = written((d) => encodeRegistryResponse(failure, d));
  assert.match(failed, /highestSeverity="urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error"/);
  assert.deepEqual(withXml(failed, (doc) => decodeRegistryResponse(doc.root)), { ...failure, slots: {} });
});
