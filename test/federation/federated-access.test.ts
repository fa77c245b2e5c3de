import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { requesterOfCaller } from '../../src/access/requester.js';
import type { CallerIdentity } from '../../src/domain/caller.js';
import { parsePatientId } from '../../src/domain/ids.js';
import type { StoredQueryRequest } from '../../src/domain/stored-query.js';
import type { DocumentEntry } from '../../src/domain/xds.js';
import { encodeAdhocQueryResponse } from '../../src/ebxml/adhoc-query-response.js';
import type { IniClient } from '../../src/ini/ini-client.js';
import { SOAP_ACTION } from '../../src/metadata/vocabulary.js';
import { federatedQuery, type FederatedQueryDeps } from '../../src/operations/iti18-federated-query.js';
import { accessDeps } from '../support/access-deps.js';
import { envelope, iniClientOf, ScriptedIni } from '../support/scripted-ini.js';
import { createTestSchema, type TestSchema } from '../support/test-database.js';
import { ldoSubmission, SAMPLE_PATIENT } from '../support/xds-submissions.js';

/**
 * What INI answers for a patient of another region passes the same decision as the region's own entries: an entry
 * INI returns obscured (P99) or outside the requester's cone never reaches the requester, its associations neither.
 * INI is a real local server answering from a script. See: privacy digest 2, 4; xds-ini digest 1.4 E, 4.8.
 */
const colleague: CallerIdentity = {
  source: 'saml', verified: true, subjectId: 'BNCMRA70A01H501Y^^^&2.16.840.1.113883.2.9.4.3.2&ISO', role: 'APR', purposeOfUse: 'TREATMENT',
  actionId: 'READ', patientConsent: true, resourceId: SAMPLE_PATIENT,
};
const findDocuments: StoredQueryRequest = {
  returnType: 'LeafClass', query: { type: 'FindDocuments', patientId: parsePatientId(SAMPLE_PATIENT), statuses: ['Approved'] },
};

describe('federated answers pass the access decision', () => {
  const ini = new ScriptedIni();
  let db: TestSchema;
  let client: IniClient;
  let deps: FederatedQueryDeps;
  const open = ldoSubmission('FED-OPEN');
  const obscured = ldoSubmission('FED-P99', { eventCodes: ['P99'] });

  before(async () => {
    db = await createTestSchema();
    client = iniClientOf(await ini.listen(), { retries: 0, budgetMs: 2_000 });
    const access = accessDeps(db.pool);
    deps = { pool: db.pool, maxLeafClassResults: 100, maxObjectRefResults: 1000, patients: access.patients, ini: client, iniBudgetMs: 2_000, access };
  });
  after(async () => {
    await client?.close();
    await ini.close();
    await db?.drop();
  });

  const iniAnswers = (...submissions: (typeof open)[]) => ini.play(envelope(SOAP_ACTION.iti18Response, (p) => {
    const documentEntries: DocumentEntry[] = submissions.flatMap((s) => s.documents.map((d) => d.entry));
    encodeAdhocQueryResponse({
      status: 'Success', errors: [],
      result: { kind: 'LeafClass', documentEntries, submissionSets: submissions.map((s) => s.submissionSet), folders: [], associations: submissions.flatMap((s) => s.associations) },
    }, p);
  }));

  test('an entry INI returns obscured is dropped with its HasMember; the open one is there', async () => {
    iniAnswers(open, obscured);
    const answer = await federatedQuery({ request: findDocuments, caller: colleague, requester: requesterOfCaller(colleague, false) }, deps);
    assert.equal(answer.status, 'Success', JSON.stringify(answer.errors));
    assert.equal(answer.federated, true);
    const result = answer.result.kind === 'LeafClass' ? answer.result : undefined;
    assert.deepEqual(result?.documentEntries.map((e) => e.uniqueId), [open.documents[0]?.entry.uniqueId]);
    assert.deepEqual(result?.associations.map((a) => a.targetUuid), [open.documents[0]?.entry.entryUuid]);
    assert.deepEqual(answer.refusals, ['obscured: P99 obscures the document']);
  });

  test('a pharmacist gets nothing of a discharge letter INI returns, not even a reference', async () => {
    iniAnswers(open);
    const pharmacist = { ...colleague, role: 'FAR' };
    const request = { ...findDocuments, returnType: 'ObjectRef' as const };
    const answer = await federatedQuery({ request, caller: pharmacist, requester: requesterOfCaller(pharmacist, false) }, deps);
    const refs = answer.result.kind === 'ObjectRef' ? answer.result.refs : ['not ObjectRef'];
    assert.ok(!refs.includes(open.documents[0]!.entry.entryUuid), JSON.stringify(refs));
  });
});
