import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Requester } from '../../src/access/requester.js';
import { until } from '../../src/demo/until.js';
import type { RecordedBy } from '../../src/domain/citizen-rights.js';
import { parseUniqueId, personKey } from '../../src/domain/ids.js';
import { newTraceContext } from '../../src/logging/context.js';
import { changeVisibility } from '../../src/operations/change-visibility.js';
import { samlTrustStoreFromPem } from '../../src/saml/saml-trust-store.js';
import { startIniSimulator, type IniSimulator } from '../../src/simulators/ini/ini-simulator.js';
import { createPgConsentStore } from '../../src/stores/pg-consent-store.js';
import { startBridge, type Harness } from '../support/bridge-harness.js';
import { creationBody, headersFor, send, validated } from '../support/pipeline-calls.js';
import { samlParty, trustFile } from '../support/saml-identities.js';
import { SAMPLE_PATIENT } from '../support/xds-submissions.js';

/*
 * The region as the RDA of its own patient, on real servers: the bridge of region 120 publishes through the Gateway
 * simulator, INI (the INI simulator behind it) forwards its copy of the metadata back to the bridge, which is the
 * patient's assisting region. INI's copy carries the SubmissionSet uniqueId and the DocumentEntry uniqueId the
 * bridge indexed itself: it is the same document, already indexed, so it is taken (Success) and INI indexes it; the
 * registry holds one entry and one SubmissionSet, INI's. The same for a metadata update (an obscuring on request)
 * that INI forwards back. See: xds-ini digest 1.2 (INI feeds the regional index even for the region's own patients;
 * INI's metadata overwrite local ones), 1.4 F, 4.5, 4.8 (idempotency).
 */
const iniParty = samlParty('ini-rda');
const gatewayParty = samlParty('gateway-rda');
const PATIENT = personKey(SAMPLE_PATIENT);
const citizen: Requester = { channel: 'token', verified: true, viaIni: false, subject: PATIENT, role: 'ASS', purpose: 'PERSONAL', patient: PATIENT };
const by: RecordedBy = { subject: PATIENT, role: 'ASS', channel: 'citizen-portal' };

describe('the region as its own patient\'s RDA: INI\'s copy of what the bridge published', () => {
  let ini: IniSimulator;
  let h: Harness;
  const rows = async (sql: string, params: unknown[]) => (await h.app.resources().db.pool.query<Record<string, unknown>>(sql, params)).rows;
  const entriesOf = (id: string) => rows('SELECT entry_uuid, version, status FROM document_entry WHERE unique_id = $1 ORDER BY version', [id]);
  const submissionSetsOf = (id: string) => rows(
    `SELECT DISTINCT s.entry_uuid, s.unique_id FROM submission_set s JOIN association a ON a.source_uuid = s.entry_uuid
       JOIN document_entry d ON d.entry_uuid = a.target_uuid WHERE d.unique_id = $1`, [id]);
  const forwardsOf = (kind: string) => ini.control.forwards.filter((f) => f.kind === kind);

  before(async () => {
    ini = await startIniSimulator({
      signer: iniParty.signer, trustedSigners: samlTrustStoreFromPem(readFileSync(gatewayParty.pki.signCert, 'utf8'), ['120']),
      allowedIssuers: ['120'], patients: { [SAMPLE_PATIENT]: '120' },
    });
    h = await startBridge({ FSE_SAML_TRUST: trustFile([{ party: iniParty, issuers: ['000'] }]) }, { gatewayIni: { url: ini.url, signer: gatewayParty.signer } });
    // INI reaches the region's registry and repository (the bridge itself): the patient's RDA is 120.
    ini.control.setRegion({ code: '120', registryUrl: `${h.baseUrl}/xds/registry`, repositoryUrl: `${h.baseUrl}/xds/repository` });
    await createPgConsentStore(h.app.resources().db.pool).record(PATIENT, true, by);
  });
  after(async () => {
    await h?.stop();
    await ini?.stop();
  });

  test('published through the REST door: INI\'s register reaches the bridge, is Success, and INI indexes it; then an obscuring likewise', async () => {
    const { pdf, wid, docId } = await validated(h, `RDA-OWN-${Date.now()}`);
    const published = await send(h, 'POST', '/v1/documents', await headersFor(h, pdf), pdf, creationBody(docId, { workflowInstanceId: wid }));
    assert.equal(published.status, 202, published.text);
    await h.simulator?.control.iniSettled();
    await until(async () => (forwardsOf('iti42').some((f) => f.outcome !== 'pending') ? true : undefined), 'INI\'s register forwarded');
    assert.deepEqual(forwardsOf('iti42').map((f) => [f.outcome, f.lastError]), [['delivered', undefined]], 'the bridge took INI\'s register');
    const onIni = await until(async () => ini.index.approvedOf(docId), 'the document on INI');
    await until(async () => ((await entriesOf(docId)).length > 0 ? true : undefined), 'the document in the registry');
    await until(async () => ((await rows('SELECT 1 FROM repository_document WHERE unique_id = $1', [docId])).length === 1 ? true : undefined), 'the bytes in the repository');
    assert.deepEqual(await entriesOf(docId), [{ entry_uuid: onIni.entryUuid, version: 1, status: 'Approved' }], 'one entry: INI\'s');
    assert.equal((await submissionSetsOf(docId)).length, 1, 'one SubmissionSet');

    const obscured = await changeVisibility({ uniqueId: docId, obscured: true, requester: citizen, by }, newTraceContext(), h.app.resources().visibility);
    assert.equal(obscured.outcome, 'done', JSON.stringify(obscured));
    await h.simulator?.control.iniSettled();
    await until(async () => (forwardsOf('iti57').some((f) => f.outcome !== 'pending') ? true : undefined), 'INI\'s update forwarded');
    assert.deepEqual(forwardsOf('iti57').map((f) => [f.outcome, f.lastError]), [['delivered', undefined]], 'the bridge took INI\'s update');
    const updated = await until(async () => (ini.index.approvedOf(docId)?.entryUuid !== onIni.entryUuid ? ini.index.approvedOf(docId) : undefined), 'the update on INI');
    assert.deepEqual(updated.eventCodes.map((c) => c.code), ['P99']);
    const approved = (await entriesOf(docId)).filter((e) => e.status === 'Approved');
    assert.deepEqual(approved.map((e) => e.entry_uuid), [updated.entryUuid], 'one Approved entry: INI\'s new version');
    assert.equal((await submissionSetsOf(docId)).length, 1, 'one SubmissionSet');
    const entry = await h.app.resources().registry.getDocumentEntry({ uniqueId: parseUniqueId(docId) });
    assert.deepEqual(entry?.eventCodes.map((c) => c.code), ['P99']);
  });
});
