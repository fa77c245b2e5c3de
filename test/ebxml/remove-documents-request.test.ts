import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRepositoryUniqueId, parseUniqueId } from '../../src/domain/ids.js';
import type { DocumentRequest } from '../../src/domain/retrieve.js';
import { EbxmlError } from '../../src/ebxml/ebxml-error.js';
import { decodeRemoveDocumentsRequest, encodeRemoveDocumentsRequest } from '../../src/ebxml/remove-documents-request.js';
import { NS, withXml } from '../../src/xml/xml-toolkit.js';
import { writeXml } from '../../src/xml/xml-writer.js';

const requests: DocumentRequest[] = [
  { repositoryUniqueId: parseRepositoryUniqueId('2.16.840.1.113883.2.9.2.120.4.5.1'), documentUniqueId: parseUniqueId('2.16.840.1.113883.2.9.2.120.4.4^RMD-1') },
  { repositoryUniqueId: parseRepositoryUniqueId('1.3.6.1.4.1.21367.2010.1.2.1125'), documentUniqueId: parseUniqueId('1.3.6.1.4.1.21367.2005.3.99.1.1010'), homeCommunityId: 'urn:oid:1.3.6.1.4.1.21367.13.70.200' },
];

test('RemoveDocumentsRequest round trip: the rmd element, its xds-b DocumentRequests, HomeCommunityId kept', () => {
  const xml = writeXml((d) => encodeRemoveDocumentsRequest(requests, d));
  withXml(xml, (doc) => {
    assert.deepEqual([doc.root.namespaceUri, doc.root.name], [NS.rmd, 'RemoveDocumentsRequest']);
    assert.equal(doc.root.find('xds:DocumentRequest', { xds: NS.xdsb }).length, 2);
  });
  assert.deepEqual(withXml(xml, (doc) => decodeRemoveDocumentsRequest(doc.root)), requests);
});

test('RemoveDocumentsRequest with no DocumentRequest, a missing DocumentUniqueId or a malformed id is refused with IHE codes', () => {
  const decode = (inner: string) => withXml(`<r:RemoveDocumentsRequest xmlns:r="${NS.rmd}" xmlns:x="${NS.xdsb}">${inner}</r:RemoveDocumentsRequest>`, (doc) => decodeRemoveDocumentsRequest(doc.root));
  const refusedWith = (code: string, pattern: RegExp) => (e: unknown) => e instanceof EbxmlError && e.code === code && pattern.test(e.codeContext);
  assert.throws(() => decode(''), refusedWith('XDSRepositoryError', /RemoveDocumentsRequest has no DocumentRequest/));
  assert.throws(() => decode('<x:DocumentRequest><x:RepositoryUniqueId>1.2.3</x:RepositoryUniqueId></x:DocumentRequest>'), refusedWith('XDSRepositoryError', /missing DocumentUniqueId/));
  assert.throws(() => decode('<x:DocumentRequest><x:RepositoryUniqueId>not an oid</x:RepositoryUniqueId><x:DocumentUniqueId>1.2</x:DocumentUniqueId></x:DocumentRequest>'),
    refusedWith('XDSDocumentUniqueIdError', /malformed id/));
});
