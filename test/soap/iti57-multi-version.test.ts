import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildSampleCda } from '../../src/dev/sample-cda.js';
import type { DocumentEntry, Submission } from '../../src/domain/xds.js';
import { encodeProvideAndRegister } from '../../src/ebxml/provide-and-register.js';
import { decodeRegistryResponse, type DecodedRegistryResponse } from '../../src/ebxml/registry-response.js';
import { EBXML_NS } from '../../src/ebxml/rim-read.js';
import { encodeRegistryObjectList } from '../../src/ebxml/submit-objects-request.js';
import { SOAP_ACTION } from '../../src/metadata/vocabulary.js';
import type { XmlBuilder as XMLBuilder } from '../../src/xml/xml-writer.js';
import { samplePdf, startBridge, type Harness } from '../support/bridge-harness.js';
import { callSoap, withBody } from '../support/soap-calls.js';
import { docUniqueId, ldoSubmission, metadataUpdateOf } from '../support/xds-submissions.js';

/**
 * ITI-57 with several new versions on the national path, end to end on both queue backends: one Gateway update per
 * document, recorded together; a refusal after an acceptance puts the accepted one back. See: docs/multi-document.md.
 */

async function submit(h: Harness, endpoint: 'repository' | 'registry', action: string, submission: Submission): Promise<DecodedRegistryResponse> {
  const answer = endpoint === 'repository'
    ? await (async () => {
      const { xml, attachments } = encodeProvideAndRegister(submission, { mtom: true });
      return callSoap(h, 'repository', action, xml, { mtom: true, attachments });
    })()
    : await callSoap(h, 'registry', action, (parent: XMLBuilder) => { encodeRegistryObjectList(submission, parent.ele(EBXML_NS.lcm, 'lcm:SubmitObjectsRequest')); });
  assert.equal(answer.status, 200, answer.raw.toString('utf8').slice(0, 1000));
  return withBody(answer, decodeRegistryResponse);
}

/** One ITI-57 SubmissionSet carrying a new version of each entry (the first update's SubmissionSet, every HasMember in it). */
function updatesOf(entries: readonly DocumentEntry[], title: string): Submission {
  const parts = entries.map((e) => metadataUpdateOf(e, { title }));
  const [first] = parts;
  assert.ok(first);
  return {
    ...first,
    documents: parts.flatMap((p) => p.documents),
    associations: parts.flatMap((p) => p.associations.map((a) => ({ ...a, sourceUuid: first.submissionSet.entryUuid }))),
  };
}

for (const backend of ['postgres', 'redis'] as const) {
  describe(`ITI-57 with several new versions, all or nothing (QUEUE_BACKEND=${backend})`, () => {
    let h: Harness;
    const exts = [`MV-A-${backend}`, `MV-B-${backend}`];
    const entryOf = (ext: string) => h.app.resources().registry.getDocumentEntry({ uniqueId: docUniqueId(ext) });
    const current = async () => Promise.all(exts.map(async (e) => {
      const entry = await entryOf(e);
      assert.ok(entry, `${e} is registered`);
      return entry;
    }));
    before(async () => {
      h = await startBridge({ QUEUE_BACKEND: backend });
      for (const e of exts) {
        const published = await submit(h, 'repository', SOAP_ACTION.iti41, ldoSubmission(e, { bytes: await samplePdf(buildSampleCda({ docExtension: e })) }));
        assert.equal(published.status, 'Success', JSON.stringify(published.errors));
      }
    });
    after(async () => h.stop());

    test('two new versions: one Gateway update each, both versions recorded', async () => {
      const response = await submit(h, 'registry', SOAP_ACTION.iti57, updatesOf(await current(), 'Lettera rivista'));
      assert.equal(response.status, 'Success', JSON.stringify(response.errors));
      for (const e of await current()) assert.deepEqual([e.version, e.title], [2, 'Lettera rivista']);
      for (const e of exts) assert.equal(h.simulator?.documents.get(docUniqueId(e))?.metadataUpdates, 1);
    });

    test('the second update refused after the first was accepted: the first is put back upstream, no new version anywhere', async () => {
      const sim = h.simulator;
      assert.ok(sim);
      sim.control.injectError({ operation: 'metadata', status: 400, body: { type: '/msg/mandatory-element', title: 'Campo obbligatorio', detail: 'Il campo tipologia struttura deve essere valorizzato.', status: 400 }, after: 1 });
      const since = sim.received.length;
      const response = await submit(h, 'registry', SOAP_ACTION.iti57, updatesOf(await current(), 'Titolo mai visto'));
      assert.equal(response.status, 'Failure');
      const [idA, idB] = exts.map(docUniqueId);
      const byLocation = new Map(response.errors.map((e) => [e.location, e]));
      assert.match(byLocation.get(idA)?.codeContext ?? '', /accepted by the national Gateway, then put back to version 2 \(update done\)/);
      assert.match(byLocation.get(idB)?.codeContext ?? '', /GTW nazionale 400 \/msg\/mandatory-element/);
      const log = sim.received.slice(since).filter((r) => r.operation === 'metadata');
      assert.deepEqual(log.map((r) => [decodeURIComponent(r.path.split('/')[3] ?? ''), r.status]), [[idA, 200], [idB, 400], [idA, 200]]);
      const restored = JSON.parse(log[2]?.json ?? '{}') as Record<string, unknown>;
      assert.equal(restored.tipoDocumentoLivAlto, 'LDO', 'the restoring update carries the fields of version 2');
      for (const e of await current()) assert.deepEqual([e.version, e.title], [2, 'Lettera rivista']);
    });
  });
}
