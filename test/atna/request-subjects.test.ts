import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { XmlElement } from 'libxml2-wasm';
import { requestSubjects } from '../../src/atna-message/request-subjects.js';
import type { EntryUuid } from '../../src/domain/ids.js';
import { encodeRemoveObjectsRequest } from '../../src/ebxml/remove-objects-request.js';
import { EBXML_NS } from '../../src/ebxml/rim-read.js';
import { encodeRegistryObjectList } from '../../src/ebxml/submit-objects-request.js';
import { NS, withXml } from '../../src/xml/xml-toolkit.js';
import { writeXml, type XmlBuilder } from '../../src/xml/xml-writer.js';
import { ldoSubmission, SAMPLE_PATIENT } from '../support/xds-submissions.js';

const bodyOf = <T>(fill: (doc: XmlBuilder) => void, fn: (body: XmlElement) => T): T => withXml(writeXml(fill), (doc) => fn(doc.root));

test('ITI-42/57: the SubmissionSet uniqueId and patient from its ExternalIdentifiers', () => {
  const submission = ldoSubmission('SUBJ-42');
  const subjects = bodyOf((d) => encodeRegistryObjectList(submission, d.ele(EBXML_NS.lcm, 'lcm:SubmitObjectsRequest')), (b) => requestSubjects('ITI-42', b));
  assert.deepEqual(subjects, { submissionSetUniqueId: submission.submissionSet.uniqueId, patientId: SAMPLE_PATIENT });
});

test('ITI-62: the entryUUIDs of the ObjectRefList', () => {
  const uuids = ['urn:uuid:5f0c1d7e-1111-4a2b-9c3d-000000000001', 'urn:uuid:5f0c1d7e-1111-4a2b-9c3d-000000000002'] as EntryUuid[];
  assert.deepEqual(bodyOf((d) => encodeRemoveObjectsRequest(uuids, d), (b) => requestSubjects('ITI-62', b)), { objectIds: uuids });
});

test('ITI-86: the documents of a RemoveDocumentsRequest (xds-b DocumentRequests in the rmd element)', () => {
  const subjects = bodyOf((d) => {
    const req = d.ele('urn:ihe:iti:rmd:2017', 'rmd:RemoveDocumentsRequest').ele(NS.xdsb, 'xds:DocumentRequest');
    req.ele(NS.xdsb, 'xds:HomeCommunityId').txt('urn:oid:2.16.840.1.113883.2.9.2.120');
    req.ele(NS.xdsb, 'xds:RepositoryUniqueId').txt('2.16.840.1.113883.2.9.2.120.4.5.1');
    req.ele(NS.xdsb, 'xds:DocumentUniqueId').txt('2.16.840.1.113883.2.9.2.120.4.4^X');
  }, (b) => requestSubjects('ITI-86', b));
  assert.deepEqual(subjects, { documents: [{ uniqueId: '2.16.840.1.113883.2.9.2.120.4.4^X', repositoryUniqueId: '2.16.840.1.113883.2.9.2.120.4.5.1', homeCommunityId: 'urn:oid:2.16.840.1.113883.2.9.2.120' }] });
});

test('ITI-18: the stored query id and the AdhocQueryRequest, not reformatted', () => {
  const subjects = bodyOf((d) => {
    d.ele(EBXML_NS.query, 'query:AdhocQueryRequest').ele(EBXML_NS.rim, 'rim:AdhocQuery', { id: 'urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d' });
  }, (b) => requestSubjects('ITI-18', b));
  assert.equal(subjects.query?.id, 'urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d');
  assert.match(Buffer.from(subjects.query?.request ?? []).toString('utf8'), /^<query:AdhocQueryRequest [^>]*><rim:AdhocQuery [^>]*id="urn:uuid:14d4debf[^>]*\/><\/query:AdhocQueryRequest>$/);
});
