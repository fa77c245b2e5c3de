import { requesterOfCaller } from '../../src/access/requester.js';
import { accessDeps } from '../support/access-deps.js';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createAuditLog, type AuditLog } from '../../src/audit/index.js';
import { sampleClaims } from '../../src/dev/sample-claims.js';
import type { CallerIdentity } from '../../src/domain/caller.js';
import { parsePatientId, parseRepositoryUniqueId, parseUniqueId, type EntryUuid } from '../../src/domain/ids.js';
import type { DocumentRequest } from '../../src/domain/retrieve.js';
import type { StoredQueryRequest } from '../../src/domain/stored-query.js';
import { encodeAdhocQueryResponse } from '../../src/ebxml/adhoc-query-response.js';
import type { GatewayClient } from '../../src/gateway/gateway-client.js';
import { auditedIniClient } from '../../src/ini/audited-ini-client.js';
import type { IniClient } from '../../src/ini/ini-client.js';
import { IniBrokenAnswerError, IniUnavailableError } from '../../src/ini/ini-errors.js';
import { reconcileIni, type ReconcileDeps } from '../../src/jobs/reconcile-ini.js';
import { toSignatureClaims } from '../../src/jwt/claims.js';
import { silentLogger } from '../../src/logging/logger.js';
import { SOAP_ACTION } from '../../src/metadata/vocabulary.js';
import { federatedQuery, type FederatedQueryDeps } from '../../src/operations/iti18-federated-query.js';
import { federatedRetrieve, type FederatedRetrieveDeps } from '../../src/operations/iti43-federated-retrieve.js';
import { createAssistedPatientStore } from '../../src/stores/assisted-patient-store.js';
import { createOperationStore } from '../../src/stores/operation-store.js';
import { createRegistryStore } from '../../src/stores/registry-store.js';
import { createRepositoryStore } from '../../src/stores/repository-store.js';
import { createTransactionStore } from '../../src/stores/transaction-store.js';
import { envelope, fault, iniClientOf, notXml, proxyPage, ScriptedIni, type ScriptedAnswer } from '../support/scripted-ini.js';
import { createTestSchema, type TestSchema } from '../support/test-database.js';
import { ldoSubmission, SAMPLE_PATIENT } from '../support/xds-submissions.js';

/**
 * What the callers of the INI client answer when INI fails, now that the client throws only IniErrors: the federated
 * query (PartialSuccess with the regional part: XDSRegistryNotAvailable when INI is unavailable, XDSRegistryError for
 * a broken answer), the federated retrieve (XDSRepositoryError per document sent to INI), the access log (a Failure
 * named after the error) and the reconciliation job (the error is thrown, so the queue retries it, and nothing is
 * recorded). INI is a real local server answering from a script; the stores are on the real PostgreSQL.
 * See: src/ini/ini-errors.ts; xds-ini digest 1.4 E, 4.3, 4.8, 9; docs/federation.md.
 */

const BUDGET_MS = 2_000;
const OTHER_REGION_REPOSITORY = parseRepositoryUniqueId('2.16.840.1.113883.2.9.2.90.4.5.1');
const doctor: CallerIdentity = {
  source: 'saml', verified: true, subjectId: 'VRDGPP70A01H501S^^^&2.16.840.1.113883.2.9.4.3.2&ISO', role: 'AAS', purposeOfUse: 'TREATMENT',
  actionId: 'READ', patientConsent: true, resourceId: SAMPLE_PATIENT,
};
const findDocuments: StoredQueryRequest = {
  returnType: 'LeafClass', query: { type: 'FindDocuments', patientId: parsePatientId(SAMPLE_PATIENT), statuses: ['Approved'] },
};
const regional = ldoSubmission('INI-FAILURES-LOCAL');
const localId = regional.documents[0]?.entry.uniqueId;

/** A LeafClass answer whose DocumentEntry has a symbolic id: the ebRIM codec refuses it. */
const undecodable = (): ScriptedAnswer => envelope(SOAP_ACTION.iti18Response, (p) => {
  const [doc] = ldoSubmission('INI-FAILURES-BROKEN').documents;
  const documentEntries = doc ? [{ ...doc.entry, entryUuid: 'Document1' as EntryUuid }] : [];
  encodeAdhocQueryResponse({ status: 'Success', errors: [], result: { kind: 'LeafClass', documentEntries, submissionSets: [], folders: [], associations: [] } }, p);
});

describe('the callers of the INI client when INI fails', () => {
  const ini = new ScriptedIni();
  let db: TestSchema;
  let audit: AuditLog;
  let client: IniClient;
  let queryDeps: FederatedQueryDeps;
  let retrieveDeps: FederatedRetrieveDeps;

  before(async () => {
    db = await createTestSchema();
    audit = createAuditLog(db.pool);
    client = auditedIniClient(iniClientOf(await ini.listen(), { retries: 1, budgetMs: BUDGET_MS }), audit);
    const registry = createRegistryStore(db.pool);
    await registry.registerSubmission(regional);
    queryDeps = {
      pool: db.pool, maxLeafClassResults: 100, maxObjectRefResults: 1000, patients: createAssistedPatientStore(db.pool), ini: client, iniBudgetMs: BUDGET_MS, access: accessDeps(db.pool),
    };
    retrieveDeps = { repository: createRepositoryStore(db.pool), registry, ini: client, iniBudgetMs: BUDGET_MS, access: accessDeps(db.pool) };
  });
  after(async () => {
    await client?.close();
    await ini.close();
    await db?.drop();
  });

  const query = () => federatedQuery({ request: findDocuments, caller: doctor, requester: requesterOfCaller(doctor, false) }, queryDeps);
  const regionalIds = (answer: Awaited<ReturnType<typeof query>>) => (answer.result.kind === 'LeafClass' ? answer.result.documentEntries.map((e) => e.uniqueId) : []);
  const lastAudit = async () => (await audit.listByPatient(parsePatientId(SAMPLE_PATIENT), { limit: 1 }))[0];
  /** A PartialSuccess with the regional part and one error, located at INI, of `code`; returns that error. */
  const regionalPartAnd = (answer: Awaited<ReturnType<typeof query>>, code: string) => {
    assert.equal(answer.status, 'PartialSuccess');
    assert.deepEqual(regionalIds(answer), [localId]);
    assert.equal(answer.errors.length, 1);
    const [error] = answer.errors;
    assert.equal(error?.code, code);
    assert.equal(error?.location, 'INI');
    return error;
  };

  test('federated query, INI unavailable (faults, error pages): PartialSuccess, the regional part and XDSRegistryNotAvailable', async () => {
    ini.play(fault('Receiver'), proxyPage);
    const error = regionalPartAnd(await query(), 'XDSRegistryNotAvailable');
    assert.ok(error?.codeContext.startsWith(`INI did not answer within ${BUDGET_MS} ms: regional results only (INI registry: `), error?.codeContext);
    const record = await lastAudit();
    assert.equal(record?.transaction, 'ITI-18');
    assert.equal(record?.outcome, 'Failure');
    assert.deepEqual(record?.errorCodes, ['IniUnavailableError']);
  });

  for (const [what, broken, detail] of [
    ['no SOAP envelope', notXml, /answer is not XML \(HTTP 200\)/],
    ['a body the ebRIM codec refuses', undecodable(), /AdhocQueryResponse does not decode/],
  ] as const) {
    test(`federated query, INI's answer is ${what}: PartialSuccess, the regional part and XDSRegistryError, not retried`, async () => {
      ini.play(broken, fault('Receiver'));
      const error = regionalPartAnd(await query(), 'XDSRegistryError');
      assert.match(error?.codeContext ?? '', /^INI answered no AdhocQueryResponse: regional results only \(/);
      assert.match(error?.codeContext ?? '', detail);
      assert.equal(ini.received.length, 1);
      assert.deepEqual((await lastAudit())?.errorCodes, ['IniBrokenAnswerError']);
    });
  }

  const elsewhere: DocumentRequest[] = [{ repositoryUniqueId: OTHER_REGION_REPOSITORY, documentUniqueId: parseUniqueId('2.16.840.1.113883.2.9.2.90.4.4^REMOTE-1') }];

  test('federated retrieve, INI unavailable: XDSRepositoryError per document sent to INI', async () => {
    ini.play(proxyPage, proxyPage);
    const answer = await federatedRetrieve(elsewhere, doctor, requesterOfCaller(doctor, false), retrieveDeps);
    assert.equal(answer.status, 'Failure');
    assert.deepEqual(answer.errors.map((e) => [e.code, e.codeContext, e.location]),
      [['XDSRepositoryError', `INI did not answer within ${BUDGET_MS} ms`, elsewhere[0]?.documentUniqueId]]);
    assert.equal(ini.received.length, 2);
  });

  test('federated retrieve, INI\'s answer is no envelope: XDSRepositoryError naming it, not retried', async () => {
    ini.play(notXml, proxyPage);
    const answer = await federatedRetrieve(elsewhere, doctor, requesterOfCaller(doctor, false), retrieveDeps);
    assert.equal(answer.status, 'Failure');
    assert.equal(answer.errors.length, 1);
    assert.equal(answer.errors[0]?.code, 'XDSRepositoryError');
    assert.match(answer.errors[0]?.codeContext ?? '', /^INI answered no RetrieveDocumentSetResponse \(answer is not XML \(HTTP 200\)/);
    assert.equal(ini.received.length, 1);
  });

  describe('reconciliation of the Gateway\'s INI step', () => {
    const workflowInstanceId = `2.16.840.1.113883.2.9.2.120.4.4.${Date.now()}.PRSPDF.1`;
    let deps: ReconcileDeps;
    let operationId: string;
    /** The Gateway's status: its INI step failed (the ambiguous case in which the bridge asks INI). */
    const gateway: GatewayClient = {
      send: () => {
        const json = { transactionData: [{ eventType: 'SEND_TO_INI', eventStatus: 'BLOCKING_ERROR', message: 'INI non raggiungibile' }] };
        return Promise.resolve({ status: 200, contentType: 'application/json', body: Buffer.from(JSON.stringify(json)), json, headers: {} });
      },
      close: () => Promise.resolve(),
    };
    const run = () => reconcileIni({ operationId }, {
      deps, logger: silentLogger(), jobId: `reconcile:${operationId}`, attempt: 1, maxAttempts: 8, correlation: { traceId: 'a'.repeat(32) },
    });
    const events = async () => (await deps.transactions.listByWorkflowInstanceId(workflowInstanceId)).filter((e) => e.eventType === 'INI_RECONCILE');

    before(async () => {
      deps = { operations: createOperationStore(db.pool), gateway, transactions: createTransactionStore(db.pool), ini: client };
      operationId = randomUUID();
      await deps.operations.insert({
        id: operationId, kind: 'validate-and-create', documentId: localId ?? '', method: 'POST', path: '/documents/validate-and-create',
        tokens: { authorization: 'Bearer x', signature: 'y' }, claims: toSignatureClaims(sampleClaims()), traceId: 'a'.repeat(32), spanId: 'b'.repeat(16),
      });
      await deps.operations.saveAnswer(operationId, 'answered', { status: 201, contentType: 'application/json', body: Buffer.from('{}') }, workflowInstanceId);
    });

    test('INI unavailable: the job throws IniUnavailableError (the queue retries it) and records nothing', async () => {
      ini.play(fault('Sender'), fault('Sender'));
      await assert.rejects(run(), (err: unknown) => err instanceof IniUnavailableError && err.service === 'references');
      assert.deepEqual(await events(), []);
    });

    test('INI\'s answer is no envelope: the job throws IniBrokenAnswerError (retried as well) and records nothing', async () => {
      ini.play(notXml);
      await assert.rejects(run(), (err: unknown) => err instanceof IniBrokenAnswerError && err.service === 'references');
      assert.deepEqual(await events(), []);
    });

    test('INI answers that it has the document: SUCCESS, nothing sent again', async () => {
      ini.play(envelope(SOAP_ACTION.iti18Response, (p) => {
        encodeAdhocQueryResponse({ status: 'Success', errors: [], result: { kind: 'ObjectRef', refs: [`urn:uuid:${randomUUID()}` as EntryUuid] } }, p);
      }));
      await run();
      const [event] = await events();
      assert.equal(event?.eventStatus, 'SUCCESS');
      assert.match(event?.message ?? '', /già presente su INI/);
      assert.equal(ini.received.length, 1);
    });
  });
});
