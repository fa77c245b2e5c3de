import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { XmlDocument } from 'libxml2-wasm';
import { EbxmlError } from '../../src/ebxml/ebxml-error.js';
import { EBXML_NS } from '../../src/ebxml/rim-read.js';
import { decodeSubmitObjectsRequest, encodeSubmitObjectsRequest } from '../../src/ebxml/submit-objects-request.js';
import type { Submission } from '../../src/domain/xds.js';
import { withXml } from '../../src/xml/xml-toolkit.js';
import { aDocumentEntry, aFolder, anAssociation, aSubmission } from '../support/xds-builders.js';

const FIXTURE = readFileSync(new URL('./fixtures/submit-objects-request.xml', import.meta.url), 'utf8');
const UUID = /^urn:uuid:[0-9a-f-]{36}$/;
const decode = (xml: string): Submission => withXml(xml, (doc) => decodeSubmitObjectsRequest(doc.root));

/** Decodes the fixture after `edit` changed the parsed tree (DOM edits, not string edits). */
function decodeEdited(edit: (doc: XmlDocument) => void): Submission {
  return withXml(FIXTURE, (doc) => {
    edit(doc);
    return decodeSubmitObjectsRequest(doc.root);
  });
}

const removeAll = (doc: XmlDocument, xpath: string) => { for (const n of doc.find(xpath, EBXML_NS)) n.remove(); };
const isMetadataError = (context: RegExp) => (err: unknown) =>
  err instanceof EbxmlError && err.code === 'XDSRegistryMetadataError' && context.test(err.codeContext);

test('Submission round trip: domain -> SubmitObjectsRequest -> domain', () => {
  const submission = aSubmission([{ entry: aDocumentEntry() }, { entry: aDocumentEntry() }]);
  const folder = aFolder();
  const full: Submission = {
    ...submission,
    folders: [folder],
    associations: [...submission.associations, anAssociation('HasMember', submission.submissionSet.entryUuid, folder.entryUuid)],
  };
  assert.deepEqual(decode(encodeSubmitObjectsRequest(full)), full);
});

test('decodes a tool-shaped request: other prefixes, default rim namespace, top-level SubmissionSet marker', () => {
  const { submissionSet, documents, folders, associations } = decode(FIXTURE);
  const [doc] = documents;
  assert.ok(doc);
  assert.equal(documents.length, 1);
  assert.equal(folders.length, 0);
  assert.equal(submissionSet.uniqueId, '2.16.840.1.113883.2.9.2.120.4.3.489593');
  assert.equal(submissionSet.sourceId, '2.16.840.1.113883.2.9.2.120');
  assert.deepEqual(submissionSet.contentTypeCode, { code: 'PHR', scheme: '2.16.840.1.113883.2.9.3.3.6.1.4' });
  assert.equal(doc.entry.uniqueId, '2.16.840.1.113883.2.9.2.120.4.4^0001');
  assert.equal(doc.entry.patientId, 'RSSMRA80A01H501U^^^&2.16.840.1.113883.2.9.4.3.2&ISO');
  assert.equal(doc.entry.size, 0);
  assert.deepEqual(doc.entry.classCode, { code: 'REF', scheme: '2.16.840.1.113883.2.9.3.3.6.1.5', display: 'Referto' });
  assert.deepEqual(doc.entry.authors, [{
    person: 'PRVMDC80A01H501X^^^^^^^^&2.16.840.1.113883.2.9.4.3.2&ISO', institutions: [], roles: ['AAS'], specialties: [], telecom: [],
  }]);
  assert.deepEqual(doc.entry.extraSlots, {
    'urn:ita:2017:repository-type': ['CONSERVAZIONE'], 'urn:ita:2022:documentSigned': ['true^Documento firmato'],
  });
  assert.deepEqual(associations.map((a) => [a.type, a.slots]), [['HasMember', { SubmissionSetStatus: ['Original'] }], ['RPLC', {}]]);
});

test('symbolic ids become fresh urn:uuid ids and every reference is rewritten consistently', () => {
  const { submissionSet, documents, associations } = decode(FIXTURE);
  const entry = documents[0]?.entry;
  const [hasMember, rplc] = associations;
  assert.ok(entry && hasMember && rplc);
  for (const id of [submissionSet.entryUuid, entry.entryUuid, hasMember.entryUuid, rplc.entryUuid]) assert.match(id, UUID);
  assert.equal(new Set([submissionSet.entryUuid, entry.entryUuid, hasMember.entryUuid, rplc.entryUuid]).size, 4);
  assert.equal(entry.logicalId, entry.entryUuid, 'lid="Document1" follows id="Document1"');
  assert.equal(hasMember.sourceUuid, submissionSet.entryUuid);
  assert.equal(hasMember.targetUuid, entry.entryUuid);
  assert.equal(rplc.sourceUuid, entry.entryUuid);
  assert.equal(rplc.targetUuid, 'urn:uuid:0b2a5d4c-3d2e-4f1a-9c8b-7a6f5e4d3c2b', 'references to registry objects are kept');
});

test('each request gets its own UUIDs for the same symbolic ids (never persisted)', () => {
  const a = decode(FIXTURE);
  const b = decode(FIXTURE);
  assert.notEqual(a.submissionSet.entryUuid, b.submissionSet.entryUuid);
  assert.notEqual(a.documents[0]?.entry.entryUuid, b.documents[0]?.entry.entryUuid);
});

test('missing DocumentEntry patientId is an XDSRegistryMetadataError', () => {
  assert.throws(() => decodeEdited((doc) => removeAll(doc, '//rim:ExternalIdentifier[@id="patientId_1"]')),
    isMetadataError(/XDSDocumentEntry\.patientId/));
});

test('missing DocumentEntry uniqueId is an XDSRegistryMetadataError', () => {
  assert.throws(() => decodeEdited((doc) => removeAll(doc, '//rim:ExternalIdentifier[@id="uniqueId_1"]')),
    isMetadataError(/XDSDocumentEntry\.uniqueId/));
});

test('missing SubmissionSet patientId and uniqueId are XDSRegistryMetadataErrors', () => {
  assert.throws(() => decodeEdited((doc) => removeAll(doc, '//rim:ExternalIdentifier[@id="IdSSPatientId"]')),
    isMetadataError(/XDSSubmissionSet\.patientId/));
  assert.throws(() => decodeEdited((doc) => removeAll(doc, '//rim:ExternalIdentifier[@id="IdSSUniqueId"]')),
    isMetadataError(/XDSSubmissionSet\.uniqueId/));
});

test('a missing required attribute (mimeType) is an XDSRegistryMetadataError naming it', () => {
  assert.throws(() => decodeEdited((doc) => removeAll(doc, '//rim:ExtrinsicObject/@mimeType')), isMetadataError(/@mimeType/));
});

test('a symbolic reference to no object of the request is an UnresolvedReferenceException', () => {
  // Without the ExtrinsicObject, HasMember's targetObject="Document1" names nothing in the request.
  assert.throws(() => decodeEdited((doc) => removeAll(doc, '//rim:ExtrinsicObject')),
    (err: unknown) => err instanceof EbxmlError && err.code === 'UnresolvedReferenceException' && /Document1/.test(err.codeContext));
});

test('a request without a SubmissionSet marker is an XDSRegistryMetadataError', () => {
  assert.throws(() => decodeEdited((doc) => removeAll(doc, '//rim:Classification[@id="Classification1"]')),
    isMetadataError(/SubmissionSet or Folder/));
});
