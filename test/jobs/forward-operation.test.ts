import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { parseUniqueId } from '../../src/domain/ids.js';
import type { RegistryAction } from '../../src/domain/registry-action.js';
import { buildSampleCda } from '../../src/dev/sample-cda.js';
import { sampleClaims } from '../../src/dev/sample-claims.js';
import { createGatewayClient } from '../../src/gateway/gateway-client.js';
import { forwardOperation, type ForwardDeps } from '../../src/jobs/forward-operation.js';
import type { SignatureClaims } from '../../src/jwt/claims.js';
import { silentLogger } from '../../src/logging/logger.js';
import { CREATE } from '../../src/operations/gateway/create.js';
import { publicationAction } from '../../src/operations/gateway/publication.js';
import { REPLACE } from '../../src/operations/gateway/replace.js';
import { parsePublicationCreationBody } from '../../src/rest/publication-bodies.js';
import { createOperationStore, type NewOperation } from '../../src/stores/operation-store.js';
import { createRegistryStore } from '../../src/stores/registry-store.js';
import { createTransactionStore } from '../../src/stores/transaction-store.js';
import { createPgVisibilityRequestStore } from '../../src/stores/pg-visibility-request-store.js';
import { samplePdf } from '../support/bridge-harness.js';
import { createTestSchema, type TestSchema } from '../support/test-database.js';
import { creationBody } from '../simulators/sim-fixtures.js';

/** A body no JSON parser reads: were the worker to parse the REST body, it would have nothing to index. */
const UNREADABLE = '{"identificativoDoc": ';
const claims = sampleClaims() as unknown as SignatureClaims;
const docId = (ext: string) => `2.16.840.1.113883.2.9.2.120.4.4^${ext}`;

describe('the worker applies the registry change stored with the operation, never the REST body', () => {
  let db: TestSchema;
  let deps: ForwardDeps;
  const replays: unknown[][] = [];
  before(async () => {
    db = await createTestSchema();
    deps = {
      pool: db.pool, registry: createRegistryStore(db.pool), operations: createOperationStore(db.pool), transactions: createTransactionStore(db.pool),
      visibility: createPgVisibilityRequestStore(db.pool),
      // Nothing listens on port 1: the Gateway is unreachable, so the worker indexes locally and schedules the replay.
      gateway: createGatewayClient({ baseUrl: 'http://127.0.0.1:1/v1', timeoutMs: 2_000, jwtMode: 'forward', audience: 'http://127.0.0.1:1/v1' }),
      scheduleReplay: async (...args) => { replays.push(args); },
    };
  });
  after(async () => {
    await deps.gateway.close();
    await db.drop();
  });

  /** A REST publication as its Gateway operation stores it: the submission built at submission time, then the body broken. */
  async function stored(ext: string, replacing?: string): Promise<{ op: NewOperation; action: RegistryAction; pdf: Uint8Array }> {
    const pdf = await samplePdf(buildSampleCda({ docExtension: ext }));
    const body = creationBody(docId(ext), { identificativoSottomissione: `2.16.840.1.113883.2.9.2.120.4.3.${Date.now()}${ext.length}` });
    const call = {
      documentId: docId(ext), claims, pdf, requestBody: body, trace: { traceId: randomUUID(), spanId: 's' },
      metadata: { kind: 'body', body: { ok: true, value: parsePublicationCreationBody(body) } },
    } as const;
    const action = await publicationAction(call, replacing);
    const route = replacing ? REPLACE : CREATE;
    const op: NewOperation = {
      id: `${route.kind}:${ext}`, kind: route.kind, documentId: docId(ext), targetId: replacing, method: route.method, path: route.path(replacing ?? ''),
      tokens: { authorization: 'Bearer x', signature: 'y' }, claims, requestBody: UNREADABLE, pdf, traceId: call.trace.traceId, spanId: 's',
      registryAction: action,
    };
    await deps.operations.insert(op);
    return { op, action, pdf };
  }

  const run = (operationId: string) => forwardOperation({ operationId }, {
    deps, logger: silentLogger(), jobId: operationId, attempt: 1, maxAttempts: 1, correlation: { traceId: 't' },
  });

  test('an operation whose requestBody would not parse is still indexed, from its stored submission', async () => {
    const { op, action, pdf } = await stored('WORKER-1');
    assert.equal(action.kind, 'register');
    await run(op.id);
    const entry = await deps.registry.getDocumentEntry({ uniqueId: parseUniqueId(op.documentId) });
    assert.equal(entry?.status, 'Approved');
    assert.equal(entry?.size, pdf.length);
    assert.equal(action.kind === 'register' ? action.submission.documents[0]?.entry.entryUuid : undefined, entry?.entryUuid, 'the entry built at submission time');
    const row = await deps.operations.get(op.id);
    assert.deepEqual([row?.state, row?.localIndexed], ['local', true]);
    assert.deepEqual(replays.at(-1), [op.id, 1, 500]);
  });

  test('a replace names its target by uniqueId, resolved when applied: the RPLC deprecates the entry indexed meanwhile', async () => {
    const first = await stored('WORKER-R1');
    const second = await stored('WORKER-R2', first.op.documentId);
    await run(first.op.id);
    // The creation awaits its replay: the replace follows it into the local index and waits its turn for the Gateway.
    await assert.rejects(run(second.op.id), { name: 'WaitForPredecessor' });
    assert.equal((await deps.registry.getDocumentEntry({ uniqueId: parseUniqueId(first.op.documentId) }))?.status, 'Deprecated');
    assert.equal((await deps.registry.getDocumentEntry({ uniqueId: parseUniqueId(second.op.documentId) }))?.status, 'Approved');
  });

  test('a call the bridge could not read when it was submitted has nothing to index; the Gateway still gets it', async () => {
    const pdf = await samplePdf(buildSampleCda({ docExtension: 'WORKER-BAD' }));
    const call = {
      documentId: docId('WORKER-BAD'), claims, pdf, requestBody: UNREADABLE, trace: { traceId: randomUUID(), spanId: 's' },
      metadata: { kind: 'body', body: { ok: false, reason: 'FseError: /msg/mandatory-element' } },
    } as const;
    const action = await publicationAction(call, undefined);
    assert.deepEqual(action, { kind: 'unreadable', reason: 'FseError: /msg/mandatory-element' });
    const id = 'create:WORKER-BAD';
    await deps.operations.insert({
      id, kind: 'create', documentId: call.documentId, method: 'POST', path: CREATE.path(), tokens: { authorization: 'Bearer x', signature: 'y' },
      claims, requestBody: UNREADABLE, pdf, traceId: call.trace.traceId, spanId: 's', registryAction: action,
    });
    await run(id);
    const row = await deps.operations.get(id);
    assert.deepEqual([row?.state, row?.localIndexed, row?.attempts], ['local', false, 1], 'sent (the Gateway judges it), nothing indexed');
    assert.equal(await deps.registry.getDocumentEntry({ uniqueId: parseUniqueId(call.documentId) }), undefined);
  });
});
