import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { buildSampleCda } from '../../src/dev/sample-cda.js';
import type { RepositoryUniqueId } from '../../src/domain/ids.js';
import type { Submission } from '../../src/domain/xds.js';
import { encodeProvideAndRegister } from '../../src/ebxml/provide-and-register.js';
import { decodeRegistryResponse, type DecodedRegistryResponse } from '../../src/ebxml/registry-response.js';
import { SOAP_ACTION } from '../../src/metadata/vocabulary.js';
import { createOperationStore } from '../../src/stores/operation-store.js';
import { compensationId, provideAndRegisterMany } from '../../src/operations/iti41-multi-document.js';
import { ANONYMOUS_CALLER } from '../../src/domain/caller.js';
import { mutateCda, removeAll } from '../support/cda-mutations.js';
import { OPEN_ACCESS_POLICY, samplePdf, startBridge, type Harness } from '../support/bridge-harness.js';
import { callSoap, retrieve, storedQuery, withBody } from '../support/soap-calls.js';
import { aFolder, anAssociation } from '../support/xds-builders.js';
import { docUniqueId, ldoSubmission, REGION_REPOSITORY, SAMPLE_PATIENT } from '../support/xds-submissions.js';

/**
 * ITI-41 with several documents on the national path, end to end (SOAP door, pipeline, worker, Gateway simulator,
 * regional registry), on both queue backends: all or nothing, compensation visible in the simulator's log.
 * See: docs/multi-document.md; IHE ITI TF-2 3.41.4.1.3.
 */

/** One SubmissionSet with a document per `pdfs` entry, every document in one Folder (SS, Folder and membership HasMembers). */
function submissionOf(exts: readonly string[], pdfs: readonly Uint8Array[]): Submission {
  const parts = exts.map((ext, i) => ldoSubmission(ext, { bytes: pdfs[i] }));
  const [first] = parts;
  assert.ok(first);
  const ss = first.submissionSet;
  const folder = aFolder({ patientId: SAMPLE_PATIENT, codes: [{ code: 'CON', scheme: '2.16.840.1.113883.2.9.3.3.6.1.4' }], title: 'Ricovero' });
  const documents = parts.flatMap((p) => p.documents);
  const members = documents.map((d) => anAssociation('HasMember', folder.entryUuid, d.entry.entryUuid));
  return {
    submissionSet: ss, documents, folders: [folder],
    associations: [
      ...documents.map((d) => anAssociation('HasMember', ss.entryUuid, d.entry.entryUuid, { SubmissionSetStatus: ['Original'] })),
      anAssociation('HasMember', ss.entryUuid, folder.entryUuid),
      ...members,
      ...members.map((m) => anAssociation('HasMember', ss.entryUuid, m.entryUuid)),
    ],
  };
}

async function provide(h: Harness, submission: Submission): Promise<DecodedRegistryResponse> {
  const { xml, attachments } = encodeProvideAndRegister(submission, { mtom: true });
  const answer = await callSoap(h, 'repository', SOAP_ACTION.iti41, xml, { mtom: true, attachments });
  assert.equal(answer.status, 200, answer.raw.toString('utf8').slice(0, 2000));
  return withBody(answer, decodeRegistryResponse);
}

const findDocuments = { returnType: 'LeafClass' as const, query: { type: 'FindDocuments' as const, patientId: SAMPLE_PATIENT, statuses: ['Approved' as const] } };

for (const backend of ['postgres', 'redis'] as const) {
  describe(`ITI-41 with several documents, all or nothing (QUEUE_BACKEND=${backend})`, () => {
    let h: Harness;
    before(async () => {
      h = await startBridge({ QUEUE_BACKEND: backend, FSE_ACCESS_POLICY: OPEN_ACCESS_POLICY });
    });
    after(async () => h.stop());
    const sim = () => {
      assert.ok(h.simulator, 'the harness runs the Gateway simulator');
      return h.simulator;
    };

    test('two documents and a Folder: every one validated before any publication, one publication each, registered together', async () => {
      const exts = [`MD-OK-A-${backend}`, `MD-OK-B-${backend}`];
      const submission = submissionOf(exts, await Promise.all(exts.map((e) => samplePdf(buildSampleCda({ docExtension: e })))));
      const since = sim().received.length;
      const response = await provide(h, submission);
      assert.equal(response.status, 'Success', JSON.stringify(response.errors));

      const calls = sim().received.slice(since).filter((r) => r.operation === 'validation' || r.operation === 'create');
      assert.deepEqual(calls.map((r) => [r.operation, r.status]), [['validation', 201], ['validation', 201], ['create', 202], ['create', 202]]);
      const bodies = calls.filter((r) => r.operation === 'create').map((r) => JSON.parse(r.parts?.find((p) => p.name === 'requestBody')?.text ?? '{}') as Record<string, unknown>);
      assert.deepEqual(bodies.map((b) => [b.identificativoDoc, b.identificativoSottomissione]),
        exts.map((e, i) => [docUniqueId(e), `${submission.submissionSet.uniqueId}.${i + 1}`]), 'one submission id per publication, derived from the SubmissionSet');

      const { registry } = h.app.resources();
      for (const e of exts) assert.equal((await registry.getDocumentEntry({ uniqueId: docUniqueId(e) }))?.status, 'Approved');
      const folder = submission.folders[0];
      assert.ok(folder);
      assert.equal((await registry.packageUniqueIdsTaken([submission.submissionSet.uniqueId, folder.uniqueId])).size, 2, 'SubmissionSet and Folder registered');
      const found = await storedQuery(h, findDocuments);
      assert.equal(found.result.kind, 'LeafClass');
      const ids = found.result.kind === 'LeafClass' ? found.result.documentEntries.map((d) => d.uniqueId) : [];
      for (const e of exts) assert.ok(ids.includes(docUniqueId(e)), `${e} is found by ITI-18`);

      // The same submission again: answered Success from the registry, nothing sent to the Gateway.
      const before = sim().received.length;
      assert.equal((await provide(h, submission)).status, 'Success');
      assert.equal(sim().received.slice(before).filter((r) => r.operation === 'create' || r.operation === 'validation').length, 0);
      for (const e of exts) assert.equal(sim().documents.get(docUniqueId(e))?.publications, 1);
    });

    test('the second document refused after the first was accepted: the first is deleted upstream, nothing half-visible, one Failure with both', async () => {
      // Both documents carry the same CDA: the Gateway consumes its validation with the first publication and refuses
      // the second with /msg/cda-match (one validation, one publication). See: Gateway API digest 7.7.
      const exts = [`MD-REF-A-${backend}`, `MD-REF-B-${backend}`];
      const pdf = await samplePdf(buildSampleCda({ docExtension: exts[0] }));
      const submission = submissionOf(exts, [pdf, pdf]);
      const since = sim().received.length;
      const response = await provide(h, submission);
      assert.equal(response.status, 'Failure');
      const [idA, idB] = exts.map(docUniqueId);
      assert.ok(idA && idB);
      const byLocation = new Map(response.errors.map((e) => [e.location, e]));
      assert.match(byLocation.get(idA)?.codeContext ?? '', /accepted by the national Gateway, then withdrawn \(DELETE done\)/);
      assert.equal(byLocation.get(idB)?.code, 'InvalidDocumentContent');
      assert.match(byLocation.get(idB)?.codeContext ?? '', /\/msg\/cda-match/);

      // The simulator's log: the first published, the second refused, then the compensating DELETE of the first.
      const log = sim().received.slice(since).filter((r) => r.operation === 'create' || r.operation === 'delete').map((r) => [r.operation, r.status, r.method]);
      assert.deepEqual(log, [['create', 202, 'POST'], ['create', 400, 'POST'], ['delete', 200, 'DELETE']]);
      const deleted = sim().received.slice(since).find((r) => r.operation === 'delete');
      assert.ok(deleted?.path.endsWith(encodeURIComponent(idA)), deleted?.path);
      assert.equal(sim().documents.get(idA)?.state, 'deleted');

      // Nothing half-visible: no entry, no SubmissionSet or Folder, no bytes, nothing for ITI-18 or ITI-43.
      const { registry, db } = h.app.resources();
      for (const id of [idA, idB]) assert.equal(await registry.getDocumentEntry({ uniqueId: id }), undefined);
      const folder = submission.folders[0];
      assert.ok(folder);
      assert.equal((await registry.packageUniqueIdsTaken([submission.submissionSet.uniqueId, folder.uniqueId])).size, 0);
      const found = await storedQuery(h, findDocuments);
      const ids = found.result.kind === 'LeafClass' ? found.result.documentEntries.map((d) => d.uniqueId) : [];
      assert.ok(!ids.includes(idA) && !ids.includes(idB), 'ITI-18 finds neither');
      const fetched = await retrieve(h, [{ repositoryUniqueId: REGION_REPOSITORY as RepositoryUniqueId, documentUniqueId: idA }]);
      assert.equal(fetched.documents.length, 0, 'ITI-43 returns no bytes');

      // The compensation is an operation of the pipeline, recorded with the Gateway's answer.
      const operations = createOperationStore(db.pool);
      const published = sim().received.slice(since).find((r) => r.operation === 'create' && r.status === 202);
      assert.ok(published);
      const rows = await db.pool.query<{ id: string }>(`SELECT id FROM gateway_operation WHERE kind = 'create' AND document_id = $1 AND answer_status = 202`, [idA]);
      const [row] = rows.rows;
      assert.ok(row);
      const compensation = await operations.get(compensationId({ id: row.id, documentId: idA }));
      assert.equal(compensation?.answer?.status, 200);
      assert.equal(compensation?.kind, 'delete');

      // The same SubmissionSet sent again, its second document now a CDA of its own: a new attempt (new operation
      // ids, as the first attempt was withdrawn), both published, registered together.
      const pdfB = await samplePdf(buildSampleCda({ docExtension: exts[1] }));
      const again = await provide(h, { ...submission, documents: submission.documents.map((d, i) => (i === 1 ? { ...d, bytes: pdfB } : d)) });
      assert.equal(again.status, 'Success', JSON.stringify(again.errors));
      assert.equal(sim().documents.get(idA)?.state, 'published');
      assert.equal(sim().documents.get(idA)?.publications, 2, 'published, withdrawn, published again');
      for (const id of [idA, idB]) assert.equal((await registry.getDocumentEntry({ uniqueId: id }))?.status, 'Approved');
    });

    test('the same submission twice at once: one publication per document, both answered Success', async () => {
      const exts = [`MD-TWICE-A-${backend}`, `MD-TWICE-B-${backend}`];
      const submission = submissionOf(exts, await Promise.all(exts.map((e) => samplePdf(buildSampleCda({ docExtension: e })))));
      const answers = await Promise.all([provide(h, submission), provide(h, submission)]);
      assert.deepEqual(answers.map((a) => a.status), ['Success', 'Success'], JSON.stringify(answers.map((a) => a.errors)));
      for (const e of exts) {
        assert.equal(sim().documents.get(docUniqueId(e))?.publications, 1, `${e} published once`);
        assert.equal((await h.app.resources().registry.getDocumentEntry({ uniqueId: docUniqueId(e) }))?.status, 'Approved');
      }
    });

    test('a document the Gateway finds invalid: nothing is published, the Failure names that document', async () => {
      const exts = [`MD-INV-A-${backend}`, `MD-INV-B-${backend}`];
      const bad = mutateCda(buildSampleCda({ docExtension: exts[1] }), (doc) => removeAll(doc, '/hl7:ClinicalDocument/hl7:realmCode'));
      const submission = submissionOf(exts, [await samplePdf(buildSampleCda({ docExtension: exts[0] })), await samplePdf(bad)]);
      const since = sim().received.length;
      const response = await provide(h, submission);
      assert.equal(response.status, 'Failure');
      assert.deepEqual(response.errors.map((e) => e.location), [docUniqueId(exts[1] ?? '')]);
      assert.equal(response.errors[0]?.code, 'InvalidDocumentContent');
      assert.match(response.errors[0]?.codeContext ?? '', /GTW nazionale 422 \/msg\/semantic: HDR-001/);
      assert.deepEqual(sim().received.slice(since).map((r) => r.operation), ['validation', 'validation'], 'no publication, so nothing to withdraw');
      for (const e of exts) assert.equal(await h.app.resources().registry.getDocumentEntry({ uniqueId: docUniqueId(e) }), undefined);
    });

    test('the Gateway lost after the validations: the publication left for replay is withdrawn too, once the Gateway is back', async () => {
      // The operation called directly with the bridge's own dependencies; its Gateway client is the bridge's, which
      // starts the outage once both validations are answered, so the publication meets it. Nothing else is replaced.
      const exts = [`MD-LOST-A-${backend}`, `MD-LOST-B-${backend}`];
      const submission = submissionOf(exts, await Promise.all(exts.map((e) => samplePdf(buildSampleCda({ docExtension: e })))));
      const { visibility, gateway } = h.app.resources();
      let validations = 0;
      const losing = {
        send: async (request: Parameters<typeof gateway.send>[0]) => {
          const answer = await gateway.send(request);
          validations += 1;
          if (validations === exts.length) await sim().control.setOutage('refuse');
          return answer;
        },
      };
      let response: Awaited<ReturnType<typeof provideAndRegisterMany>>;
      try {
        response = await provideAndRegisterMany({ submission, caller: ANONYMOUS_CALLER, ctx: { traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex') } },
          { ...visibility, profile: 'italian', gateway: { ...gateway, send: losing.send } });
      } finally {
        await sim().control.setOutage(false);
      }
      assert.equal(response.status, 'Failure');
      const [idA, idB] = exts.map(docUniqueId);
      assert.ok(idA && idB);
      const byLocation = new Map(response.errors.map((e) => [e.location, e]));
      assert.equal(byLocation.get(idA)?.code, 'XDSRegistryNotAvailable');
      assert.match(byLocation.get(idA)?.codeContext ?? '', /not confirmed by the national Gateway, withdrawn \(DELETE queued/);
      assert.match(byLocation.get(idB)?.codeContext ?? '', /not published/);
      // Once the Gateway is back, the replayed publication is followed by its DELETE (ordering per document).
      for (let i = 0; i < 2400 && sim().documents.get(idA)?.state !== 'deleted'; i += 1) await sleep(25);
      assert.equal(sim().documents.get(idA)?.state, 'deleted', 'the replayed publication was withdrawn');
      assert.equal(sim().documents.get(idA)?.publications, 1);
      assert.equal(sim().documents.has(idB), false, 'the second document never reached the Gateway');
      for (const id of [idA, idB]) assert.equal(await h.app.resources().registry.getDocumentEntry({ uniqueId: id }), undefined, 'nothing indexed locally');
    });

    test('the Gateway unreachable while validating: XDSRegistryNotAvailable, nothing stored; sent again later, published', async () => {
      const exts = [`MD-OUT-A-${backend}`, `MD-OUT-B-${backend}`];
      const submission = submissionOf(exts, await Promise.all(exts.map((e) => samplePdf(buildSampleCda({ docExtension: e })))));
      await sim().control.setOutage('refuse');
      let response: DecodedRegistryResponse;
      try {
        response = await provide(h, submission);
      } finally {
        await sim().control.setOutage(false);
      }
      assert.equal(response.status, 'Failure');
      assert.deepEqual([...new Set(response.errors.map((e) => e.code))], ['XDSRegistryNotAvailable']);
      const { db, registry } = h.app.resources();
      const rows = await db.pool.query('SELECT id FROM gateway_operation WHERE document_id = ANY($1::text[])', [exts.map(docUniqueId)]);
      assert.equal(rows.rowCount, 0, 'no operation entered the pipeline');
      for (const e of exts) assert.equal(await registry.getDocumentEntry({ uniqueId: docUniqueId(e) }), undefined);
      assert.equal((await provide(h, submission)).status, 'Success');
      for (const e of exts) assert.equal(sim().documents.get(docUniqueId(e))?.publications, 1);
    });
  });
}
