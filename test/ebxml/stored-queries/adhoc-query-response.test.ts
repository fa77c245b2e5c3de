import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { EntryUuid } from '../../../src/domain/ids.js';
import type { QueryResult } from '../../../src/domain/stored-query.js';
import {
  decodeAdhocQueryResponse, encodeAdhocQueryResponseDocument, type AdhocQueryResponse,
} from '../../../src/ebxml/adhoc-query-response.js';
import { EBXML_NS, elements } from '../../../src/ebxml/rim-read.js';
import { withXml } from '../../../src/xml/xml-toolkit.js';
import { aDocumentEntry, aFolder, anAssociation, aSubmissionSet, newUuid } from '../../support/xds-builders.js';

/**
 * The AdhocQueryResponse codec: LeafClass and ObjectRef round trips, Failure with its RegistryErrorList and the
 * empty RegistryObjectList the schema requires, and an INI-style LeafClass response with its quirks.
 * See: IHE ITI TF-2a 3.18.4.1.3; xds-ini digest 4.4, 8.4, 10 item 2.
 */

const roundTrip = (response: AdhocQueryResponse) =>
  withXml(encodeAdhocQueryResponseDocument(response), (doc) => decodeAdhocQueryResponse(doc.root, response.result.kind));

test('LeafClass round trip: entries, SubmissionSets, Folders and Associations', () => {
  const entry = aDocumentEntry();
  const ss = aSubmissionSet();
  const folder = aFolder({ lastUpdateTime: '20240401120000' });
  const result: QueryResult = {
    kind: 'LeafClass',
    documentEntries: [entry, aDocumentEntry({ status: 'Deprecated', version: 2 })],
    submissionSets: [ss],
    folders: [folder],
    associations: [anAssociation('HasMember', ss.entryUuid, entry.entryUuid, { SubmissionSetStatus: ['Original'] }), anAssociation('HasMember', folder.entryUuid, entry.entryUuid)],
  };
  assert.deepEqual(roundTrip({ status: 'Success', errors: [], result }), { status: 'Success', errors: [], result });
});

test('ObjectRef round trip, the return type inferred when not given', () => {
  const refs = [newUuid(), newUuid()];
  const xml = encodeAdhocQueryResponseDocument({ status: 'Success', errors: [], result: { kind: 'ObjectRef', refs } });
  withXml(xml, (doc) => {
    assert.deepEqual(decodeAdhocQueryResponse(doc.root), { status: 'Success', errors: [], result: { kind: 'ObjectRef', refs } });
    assert.equal(elements(doc.root, 'rim:RegistryObjectList/rim:ObjectRef').length, 2);
  });
});

test('Failure carries the RegistryErrorList before an empty RegistryObjectList; no match is an empty Success', () => {
  const failure: AdhocQueryResponse = {
    status: 'Failure',
    errors: [{ code: 'XDSTooManyResults', codeContext: 'FindDocuments matches more than 1000 objects', severity: 'Error' }],
    result: { kind: 'LeafClass', documentEntries: [], submissionSets: [], folders: [], associations: [] },
  };
  withXml(encodeAdhocQueryResponseDocument(failure), (doc) => {
    assert.equal(doc.root.namespaceUri, EBXML_NS.query);
    assert.equal(doc.root.attr('status')?.value, 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure');
    const children = elements(doc.root, '*').map((el) => `${el.namespaceUri === EBXML_NS.rs ? 'rs' : 'rim'}:${el.name}`);
    assert.deepEqual(children, ['rs:RegistryErrorList', 'rim:RegistryObjectList']);
    assert.equal(elements(doc.root, 'rim:RegistryObjectList/*').length, 0);
    assert.deepEqual(decodeAdhocQueryResponse(doc.root, 'LeafClass'), failure);
  });
  const empty = encodeAdhocQueryResponseDocument({ status: 'Success', errors: [], result: { kind: 'ObjectRef', refs: [] } });
  withXml(empty, (doc) => {
    assert.equal(elements(doc.root, 'rim:RegistryObjectList').length, 1);
    assert.equal(elements(doc.root, 'rs:RegistryErrorList').length, 0);
  });
});

test('an INI LeafClass response: bare classifiedObject, top-level SubmissionSet marker, trailing scheme ObjectRefs ignored', () => {
  const xml = readFileSync(new URL('./fixtures/ini-leafclass-response.xml', import.meta.url), 'utf8');
  const decoded = withXml(xml, (doc) => decodeAdhocQueryResponse(doc.root));
  assert.equal(decoded.status, 'Success');
  assert.equal(decoded.result.kind, 'LeafClass');
  if (decoded.result.kind !== 'LeafClass') return;
  const [entry] = decoded.result.documentEntries;
  assert.equal(entry?.entryUuid, 'urn:uuid:8a4b1c2d-3e4f-4a5b-9c6d-7e8f9a0b1c2d' as EntryUuid);
  assert.equal(entry?.uniqueId, '2.16.840.1.113883.2.9.4.3.8^030A04196626647_EROFARM');
  assert.deepEqual(entry?.classCode, { code: 'PRE', scheme: '2.16.840.1.113883.2.9.3.3.6.1.5', display: 'Prescrizione' });
  assert.deepEqual(entry?.authors[0]?.roles, ['FAR']);
  assert.deepEqual(decoded.result.submissionSets.map((s) => s.uniqueId), ['2.16.840.1.113883.2.9.2.120.4.3.555']);
  assert.deepEqual([decoded.result.folders.length, decoded.result.associations.length], [0, 0]);
});

test("INI's 'No results from the query' error is read as it came", () => {
  const xml = encodeAdhocQueryResponseDocument({
    status: 'Failure', errors: [{ code: 'XDSRegistryError', codeContext: 'No results from the query', severity: 'Error' }],
    result: { kind: 'ObjectRef', refs: [] },
  });
  const decoded = withXml(xml, (doc) => decodeAdhocQueryResponse(doc.root, 'ObjectRef'));
  assert.deepEqual(decoded.errors.map((e) => e.codeContext), ['No results from the query']);
});
