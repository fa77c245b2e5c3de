import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildSampleCda } from '../../src/dev/sample-cda.js';
import { samplePdf, startBridge, type Harness } from '../support/bridge-harness.js';
import { addOperator, signIn, type ConsoleClient } from '../support/console-calls.js';
import { enqueueStuckOperation } from '../support/poisoned-job.js';
import { creationBody, headersFor, send } from '../support/pipeline-calls.js';

const PREFIX = `console-${process.pid}`;

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('console: the journal of every exchange, journeys, raw views, overview, dead letters', () => {
  let h: Harness;
  let viewer: ConsoleClient;
  let operator: ConsoleClient;
  let admin: ConsoleClient;
  before(async () => {
    h = await startBridge({ FSE_QUEUE_PREFIX: PREFIX });
    await addOperator(h, 'vera', 'viewer');
    await addOperator(h, 'otto', 'operator');
    await addOperator(h, 'ada', 'admin');
    [viewer, operator, admin] = await Promise.all([signIn(h, 'vera'), signIn(h, 'otto'), signIn(h, 'ada')]);
  });
  after(async () => h?.stop());

  const transactions = async (query: string) => (await viewer.call('GET', `/console/api/transactions?${query}`)).json.items as Record<string, unknown>[];

  it('records a REST publication with its patient, document and workflow, and draws its journey to the Gateway', async () => {
    const ext = `CONSOLE.${Date.now()}`;
    const pdf = await samplePdf(buildSampleCda({ docExtension: ext }));
    const docId = `2.16.840.1.113883.2.9.2.120.4.4^${ext}`;
    const answer = await send(h, 'POST', '/v1/documents/validate-and-create', await headersFor(h, pdf), pdf, creationBody(docId));
    assert.ok(answer.status === 201 || answer.status === 202, answer.text);
    const [row] = await until('the journal row', async () => {
      const items = await transactions(`documentId=${encodeURIComponent(docId)}`);
      return items.length > 0 && items;
    });
    assert.equal(row?.door, 'rest');
    assert.equal(row?.action, 'validate-and-create');
    // The bridge's own trace (the answer relays the Gateway's), the one its operation row carries.
    const op = await h.app.resources().db.pool.query<{ trace_id: string }>('SELECT trace_id FROM gateway_operation WHERE document_id = $1', [docId]);
    assert.equal(row?.traceId, op.rows[0]?.trace_id);
    assert.equal(row?.workflowInstanceId, answer.body.workflowInstanceId);
    assert.match(String(row?.patientId), /^[A-Z0-9]{16}\^\^\^&2\.16\.840\.1\.113883\.2\.9\.4\.3\.2&ISO$/);
    // The same row by patient and by workflow, and not among failures.
    assert.ok((await transactions(`patient=${encodeURIComponent(String(row?.patientId))}`)).some((t) => t.id === row?.id));
    assert.ok((await transactions(`workflowInstanceId=${encodeURIComponent(String(row?.workflowInstanceId))}`)).some((t) => t.id === row?.id));
    assert.ok(!(await transactions('outcome=failure')).some((t) => t.id === row?.id));

    const detail = await until('the Gateway step', async () => {
      const d = (await viewer.call('GET', `/console/api/transactions/${row?.id}`)).json as { journey: { step: string; status: string; label: string }[] };
      return d.journey.some((s) => s.step === 'sent' && s.status === 'ok') && d;
    });
    const steps = detail.journey.map((s) => s.step);
    for (const step of ['received', 'queued', 'sent', 'answered']) assert.ok(steps.includes(step), `${step} in ${steps.join(',')}`);
    assert.equal(steps[0], 'received');
    assert.ok(detail.journey.some((s) => /PUBLICATION: SUCCESS/.test(s.label)), JSON.stringify(detail.journey));
  });

  it('shows the raw request and answer with the JWT signatures masked and the PDF summarised, and logs the view', async () => {
    const [row] = await transactions('door=rest&limit=1');
    const raw = (await operator.call('GET', `/console/api/transactions/${row?.id}/raw`)).json as { request: { headers: Record<string, string>; body: string } };
    assert.match(raw.request.headers.authorization ?? '', /^Bearer eyJ[\w-]+\.eyJ[\w-]+\.\[signature masked\]$/);
    assert.match(raw.request.headers['fse-jwt-signature'] ?? '', /\.\[signature masked\]$/);
    assert.match(raw.request.body, /\[application\/pdf, \d+ bytes captured, sha256 [0-9a-f]{64}\]/);
    assert.doesNotMatch(raw.request.body, /%PDF-/);
    assert.match(raw.request.body, /"identificativoDoc"/);
    const logged = await h.app.resources().db.pool.query("SELECT subject_id FROM audit_record WHERE transaction = 'CONSOLE-raw-view'");
    assert.deepEqual(logged.rows.map((r: { subject_id: string }) => r.subject_id), ['otto']);
  });

  it('records a refused call as a failure, by kind, and counts it in the overview', async () => {
    const pdf = await samplePdf();
    const refused = await send(h, 'POST', '/v1/documents/validation', { Authorization: 'Bearer not-a-jwt' }, pdf, '{"activity":"VALIDATION","mode":"ATTACHMENT"}');
    assert.ok(refused.status >= 400);
    await until('the failure row', async () => (await transactions('outcome=failure')).length > 0);
    const overview = (await viewer.call('GET', '/console/api/overview')).json as {
      perMinute: { publications: number; errors: number }[]; errorsByKind: { kind: string; count: number }[]; queues: Record<string, number>; gateway: { circuit: string };
    };
    assert.equal(overview.perMinute.length, 60);
    assert.ok(overview.perMinute.reduce((n, m) => n + m.publications, 0) >= 1);
    assert.ok(overview.perMinute.reduce((n, m) => n + m.errors, 0) >= 1);
    assert.ok(overview.errorsByKind.length >= 1);
    assert.equal(overview.gateway.circuit, 'closed');
    assert.equal(typeof overview.queues.dead, 'number');
  });

  it('lets an operator retry a dead letter, an admin discard one, and neither a viewer', async () => {
    await enqueueStuckOperation(h, PREFIX, 'poison-1');
    await enqueueStuckOperation(h, PREFIX, 'poison-2');
    await until('two dead letters', async () => ((await viewer.call('GET', '/console/api/dead-letters')).json.items as unknown[]).length === 2);
    const items = (await viewer.call('GET', '/console/api/dead-letters')).json.items as { jobId: string; error: { message: string } }[];
    assert.match(items[0]?.error.message ?? '', /waiting for 1 earlier operation/);
    assert.equal((await viewer.call('POST', '/console/api/dead-letters/poison-1/retry')).status, 403);
    assert.equal((await operator.call('DELETE', '/console/api/dead-letters/poison-2')).status, 403);
    const retried = await operator.call('POST', '/console/api/dead-letters/poison-1/retry');
    assert.equal(retried.status, 200, retried.text);
    assert.deepEqual(retried.json.retried, ['poison-1']);
    assert.equal((await admin.call('DELETE', '/console/api/dead-letters/poison-2')).status, 204);
    assert.equal((await admin.call('DELETE', '/console/api/dead-letters/poison-2')).status, 404);
    const left = ((await viewer.call('GET', '/console/api/dead-letters')).json.items as { jobId: string }[]).map((d) => d.jobId);
    assert.ok(!left.includes('poison-2'));
    const actions = await h.app.resources().db.pool.query<{ transaction: string; subject_id: string; outcome: string }>(
      "SELECT transaction, subject_id, outcome FROM audit_record WHERE transaction LIKE 'CONSOLE-dead-letter%' ORDER BY id");
    assert.deepEqual(actions.rows.map((r) => `${r.transaction} ${r.subject_id} ${r.outcome}`),
      ['CONSOLE-dead-letter-retry otto Success', 'CONSOLE-dead-letter-discard ada Success', 'CONSOLE-dead-letter-discard ada Failure']);
  });

  it('verifies the access-log chain and exports it as CSV with formula-looking values defused', async () => {
    const verified = await viewer.call('POST', '/console/api/access-log/verify');
    assert.equal(verified.status, 200);
    assert.equal(verified.json.ok, true, verified.text);
    const csv = await viewer.call('GET', '/console/api/access-log.csv');
    assert.match(csv.type, /^text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    assert.equal(lines[0], 'id,recordedAt,direction,transaction,counterpart,subjectId,subjectRole,organizationId,purposeOfUse,patientId,documentIds,outcome,errorCodes,traceId,hash');
    assert.ok(lines.some((l) => l.includes('CONSOLE-sign-in')));
  });

  it('streams a new transaction to a signed-in page as a Server-Sent Event', async () => {
    const controller = new AbortController();
    const res = await fetch(`${h.baseUrl}/console/api/events`, { headers: { cookie: viewer.cookie }, signal: controller.signal });
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const reader = res.body!.getReader();
    await reader.read(); // the retry: line, sent once the stream is listening
    await fetch(`${h.baseUrl}/v1/status/unknown-workflow-${Date.now()}`);
    let text = '';
    const deadline = Date.now() + 15_000;
    while (!/event: transaction\ndata: .*"action":"status"/.test(text) && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString('utf8');
    }
    controller.abort();
    assert.match(text, /event: transaction\ndata: .*"action":"status"/);
  });
});
