import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { until } from '../../src/demo/until.js';
import { parseUniqueId, personKey } from '../../src/domain/ids.js';
import { samlTrustStoreFromPem } from '../../src/saml/saml-trust-store.js';
import { startIniSimulator, type IniSimulator } from '../../src/simulators/ini/ini-simulator.js';
import { createPgConsentStore } from '../../src/stores/pg-consent-store.js';
import { startBridge, type Harness } from './bridge-harness.js';
import { creationBody, headersFor, send, validated } from './pipeline-calls.js';
import { startRegionStub, type RegionStub } from './region-stub.js';
import { doctorAttributes, samlParty, securityHeader, signedAssertion, trustFile } from './saml-identities.js';
import { storedQuery } from './soap-calls.js';
import { SAMPLE_PATIENT } from './xds-submissions.js';

/**
 * The test bed of obscuring on request, on real servers: the bridge of region 120 (its own schema and queue), the
 * Gateway simulator with the INI simulator behind it, and a region standing for the patient's RDA (090), to which
 * INI forwards what it indexes; the patient has given consent. `seenBy` says whether a doctor (LeafClass,
 * ObjectRef) and INI relaying one (LeafClass) find a document. See: privacy digest 4; xds-ini digest 4.5, 6.14.
 */
export interface ObscuringBed {
  readonly h: Harness;
  readonly ini: IniSimulator;
  /** Publishes a sample document through the REST door and waits until INI and the registry hold it. */
  publish(ext: string): Promise<string>;
  seenBy(id: string): Promise<{ leaf: boolean; objectRef: boolean; ini: boolean }>;
  /** The metadata updates the Gateway simulator received for a document. */
  metadataCalls(id: string): NonNullable<Harness['simulator']>['received'];
  stop(): Promise<void>;
}

export const PATIENT = personKey(SAMPLE_PATIENT);
export const COLLEAGUE = 'BNCMRA70A01H501Y^^^&2.16.840.1.113883.2.9.4.3.2&ISO';
export const HIDDEN = { leaf: false, objectRef: false, ini: false };
export const SHOWN = { leaf: true, objectRef: true, ini: true };

const findDocuments = (returnType: 'LeafClass' | 'ObjectRef') => ({ returnType, query: { type: 'FindDocuments' as const, patientId: SAMPLE_PATIENT, statuses: ['Approved' as const] } });

export async function startObscuringBed(name: string, env: Record<string, string> = {}): Promise<ObscuringBed> {
  const hospital = samlParty(`hospital-${name}`);
  const iniParty = samlParty(`ini-${name}`);
  const gatewayParty = samlParty(`gateway-${name}`);
  const rda: RegionStub = await startRegionStub({ code: '090' });
  const ini = await startIniSimulator({
    signer: iniParty.signer, trustedSigners: samlTrustStoreFromPem(readFileSync(gatewayParty.pki.signCert, 'utf8'), ['120']),
    allowedIssuers: ['120'], regions: [rda.region], patients: { [SAMPLE_PATIENT]: '090' },
  });
  const h = await startBridge(
    { FSE_SAML_TRUST: trustFile([{ party: hospital, issuers: ['120'] }, { party: iniParty, issuers: ['000'] }]), ...env },
    { gatewayIni: { url: ini.url, signer: gatewayParty.signer } },
  );
  await createPgConsentStore(h.app.resources().db.pool).record(PATIENT, true, { subject: PATIENT, role: 'ASS', channel: 'citizen-portal' });
  const asHospital = { header: securityHeader(signedAssertion(hospital, doctorAttributes({ subjectId: COLLEAGUE }))) };
  const asIni = { header: securityHeader(signedAssertion(iniParty, doctorAttributes({ subjectId: COLLEAGUE, organizationId: '000', organization: 'INI' }), { issuer: '000' })) };
  return {
    h, ini,
    async publish(ext) {
      const { pdf, wid, docId } = await validated(h, `${ext}-${Date.now()}`);
      const published = await send(h, 'POST', '/v1/documents', await headersFor(h, pdf), pdf, creationBody(docId, { workflowInstanceId: wid }));
      assert.equal(published.status, 202, published.text);
      await h.simulator?.control.iniSettled();
      await until(async () => ini.index.approvedOf(docId), 'the document on INI');
      await until(() => h.app.resources().registry.getDocumentEntry({ uniqueId: parseUniqueId(docId) }), 'the document in the registry');
      return docId;
    },
    async seenBy(id) {
      const leaf = await storedQuery(h, findDocuments('LeafClass'), asHospital);
      const refs = await storedQuery(h, findDocuments('ObjectRef'), asHospital);
      const relayed = await storedQuery(h, findDocuments('LeafClass'), asIni);
      const entry = await h.app.resources().registry.getDocumentEntry({ uniqueId: parseUniqueId(id) });
      const has = (r: typeof leaf) => (r.result.kind === 'LeafClass' ? r.result.documentEntries.some((e) => e.uniqueId === id)
        : r.result.refs.some((u) => u === entry?.entryUuid));
      for (const r of [leaf, refs, relayed]) assert.equal(r.status, 'Success', JSON.stringify(r.errors));
      return { leaf: has(leaf), objectRef: has(refs), ini: has(relayed) };
    },
    metadataCalls: (id) => h.simulator?.received.filter((r) => r.operation === 'metadata' && decodeURIComponent(r.path).includes(id)) ?? [],
    async stop() {
      await h.stop();
      await ini.stop();
      await rda.stop();
    },
  };
}
