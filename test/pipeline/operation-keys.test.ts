import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildSampleCda } from '../../src/dev/sample-cda.js';
import type { RegistryAction } from '../../src/domain/registry-action.js';
import { encodeProvideAndRegister } from '../../src/ebxml/provide-and-register.js';
import { decodeRegistryResponse } from '../../src/ebxml/registry-response.js';
import { SOAP_ACTION } from '../../src/metadata/vocabulary.js';
import { validateAndCreateId } from '../../src/operations/gateway/validate-and-create.js';
import { validateAndReplaceId } from '../../src/operations/gateway/validate-and-replace.js';
import { samplePdf, startBridge, type Harness } from '../support/bridge-harness.js';
import { creationBody, headersFor, send, validated } from '../support/pipeline-calls.js';
import { callSoap, withBody } from '../support/soap-calls.js';
import { docUniqueId, ldoSubmission } from '../support/xds-submissions.js';

/** The stored operation of an id: what its Gateway operation built at submission time. */
async function operationRow(h: Harness, id: string) {
  const r = await h.app.resources().db.pool.query<{ kind: string; registry_action: RegistryAction | null }>(
    'SELECT kind, registry_action FROM gateway_operation WHERE id = $1', [id]);
  return r.rows[0];
}

describe('both doors key a publication with one recipe and store what the registry records', () => {
  let h: Harness;
  before(async () => {
    h = await startBridge();
  });
  after(async () => h.stop());

  test('REST validate-and-create: the operation id of its document and PDF, the submission built once and stored', async () => {
    const ext = 'KEY-REST';
    const pdf = await samplePdf(buildSampleCda({ docExtension: ext }));
    const docId = `2.16.840.1.113883.2.9.2.120.4.4^${ext}`;
    const res = await send(h, 'POST', '/v1/documents/validate-and-create', await headersFor(h, pdf), pdf, creationBody(docId));
    assert.equal(res.status, 202, res.text);
    const row = await operationRow(h, validateAndCreateId({ documentId: docId, pdf }));
    assert.equal(row?.kind, 'validate-and-create');
    assert.equal(row?.registry_action?.kind, 'register');
    const entry = await h.app.resources().registry.getDocumentEntry({ uniqueId: docUniqueId(ext) });
    assert.equal(row?.registry_action?.kind === 'register' ? row.registry_action.submission.documents[0]?.entry.entryUuid : undefined, entry?.entryUuid);
  });

  test('REST replace: keyed by the replaced document too; the RPLC target is left to the worker', async () => {
    const first = await validated(h, 'KEY-R1');
    assert.equal((await send(h, 'POST', '/v1/documents', await headersFor(h, first.pdf), first.pdf, creationBody(first.docId, { workflowInstanceId: first.wid }))).status, 202);
    const second = await validated(h, 'KEY-R2');
    const res = await send(h, 'PUT', `/v1/documents/validate-and-replace/${encodeURIComponent(first.docId)}`,
      await headersFor(h, second.pdf, { action_id: 'UPDATE' }), second.pdf, creationBody(second.docId));
    assert.equal(res.status, 202, res.text);
    const row = await operationRow(h, validateAndReplaceId({ documentId: second.docId, targetId: first.docId, pdf: second.pdf }));
    assert.equal(row?.kind, 'validate-and-replace');
    assert.equal(row?.registry_action?.kind === 'register' ? row.registry_action.replacing : undefined, first.docId);
  });

  test('ITI-41: the same recipe (document uniqueId and PDF), the producer\'s ebRIM stored', async () => {
    const ext = 'KEY-SOAP';
    const pdf = await samplePdf(buildSampleCda({ docExtension: ext }));
    const submission = ldoSubmission(ext, { bytes: pdf });
    const { xml, attachments } = encodeProvideAndRegister(submission, { mtom: true });
    const response = withBody(await callSoap(h, 'repository', SOAP_ACTION.iti41, xml, { mtom: true, attachments }), decodeRegistryResponse);
    assert.equal(response.status, 'Success', JSON.stringify(response.errors));
    const row = await operationRow(h, validateAndCreateId({ documentId: docUniqueId(ext), pdf }));
    assert.equal(row?.kind, 'validate-and-create');
    assert.equal(row?.registry_action?.kind === 'register' ? row.registry_action.submission.documents[0]?.entry.entryUuid : undefined,
      submission.documents[0]?.entry.entryUuid, 'the producer\'s own entryUUID');
  });
});
