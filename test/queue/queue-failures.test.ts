import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UnrecoverableError } from 'bullmq';
import { defineCatalogue, defineJob } from '../../src/queue/job-catalogue.js';
import { BACKENDS, openFixture, waitFor } from './harness.js';

interface DocRef {
  readonly uniqueId: string;
}

/** Test jobs whose behaviour each test scripts through `plan`: what attempt n of a key does. */
function failureCatalogue(plan: (key: string, attempt: number) => 'ok' | 'transient' | 'permanent') {
  const runs: Array<{ key: string; attempt: number }> = [];
  const process = async (payload: DocRef, ctx: { attempt: number }) => {
    runs.push({ key: payload.uniqueId, attempt: ctx.attempt });
    const outcome = plan(payload.uniqueId, ctx.attempt);
    if (outcome === 'transient') throw new Error(`gateway unavailable (${payload.uniqueId})`);
    if (outcome === 'permanent') throw new UnrecoverableError(`document rejected (${payload.uniqueId})`);
  };
  const catalogue = defineCatalogue([
    defineJob({ name: 'publish', lane: 'live', attempts: 3, backoff: 10, jobId: (p: DocRef) => p.uniqueId, process }),
  ]);
  return { catalogue, runs };
}

for (const kind of BACKENDS) {
  describe(`queue failures on ${kind}`, () => {
    test('a job runs once and completes', async () => {
      const { catalogue, runs } = failureCatalogue(() => 'ok');
      const f = await openFixture(kind, catalogue);
      try {
        const jobId = await f.queue.enqueue('publish', { uniqueId: '2.16.840.1.113883.2.9.2.120.4.4^doc1' });
        await f.startWorkers();
        await waitFor('completion', async () => (await f.queue.getJob(jobId))?.state === 'completed');
        assert.deepEqual(runs, [{ key: '2.16.840.1.113883.2.9.2.120.4.4^doc1', attempt: 1 }]);
        const counts = await f.queue.counts();
        assert.equal(counts.completed, 1);
        assert.equal(counts.dead, 0);
      } finally {
        await f.close();
      }
    });

    test('a transient error is retried with backoff until the job succeeds', async () => {
      const { catalogue, runs } = failureCatalogue((_key, attempt) => (attempt < 3 ? 'transient' : 'ok'));
      const f = await openFixture(kind, catalogue);
      try {
        const jobId = await f.queue.enqueue('publish', { uniqueId: 'urn:uuid:7d1a1f6e-0000-4000-8000-000000000001' });
        await f.startWorkers();
        await waitFor('completion', async () => (await f.queue.getJob(jobId))?.state === 'completed');
        assert.deepEqual(runs.map((r) => r.attempt), [1, 2, 3]);
        assert.equal((await f.queue.getJob(jobId))?.attemptsMade, 3);
        assert.deepEqual(await f.queue.listFailed(), []);
      } finally {
        await f.close();
      }
    });

    test('UnrecoverableError goes straight to the dead-letter queue', async () => {
      const { catalogue, runs } = failureCatalogue(() => 'permanent');
      const f = await openFixture(kind, catalogue);
      try {
        const jobId = await f.queue.enqueue('publish', { uniqueId: 'doc-rejected' });
        await f.startWorkers();
        const [letter] = await waitFor('dead letter', async () => {
          const dead = await f.queue.listFailed();
          return dead.length > 0 && dead;
        });
        assert.equal(runs.length, 1, 'no retry after UnrecoverableError');
        assert.equal(letter?.jobId, jobId);
        assert.equal(letter?.name, 'publish');
        assert.deepEqual(letter?.payload, { uniqueId: 'doc-rejected' });
        assert.equal(letter?.unrecoverable, true);
        assert.equal(letter?.error.name, 'UnrecoverableError');
        assert.equal(letter?.error.message, 'document rejected (doc-rejected)');
        assert.equal(letter?.attemptsMade, 1);
        assert.match(letter?.correlation.traceId ?? '', /^[\da-f]{32}$/);
        assert.equal((await f.queue.getJob(jobId))?.state, 'failed');
      } finally {
        await f.close();
      }
    });

    test('a job that exhausts its attempts goes to the dead-letter queue', async () => {
      const { catalogue, runs } = failureCatalogue(() => 'transient');
      const f = await openFixture(kind, catalogue);
      try {
        const jobId = await f.queue.enqueue('publish', { uniqueId: 'doc-down' });
        await f.startWorkers();
        const dead = await waitFor('dead letter', async () => {
          const d = await f.queue.listFailed();
          return d.length > 0 && d;
        });
        assert.deepEqual(runs.map((r) => r.attempt), [1, 2, 3]);
        assert.equal(dead.length, 1);
        assert.equal(dead[0]?.jobId, jobId);
        assert.equal(dead[0]?.unrecoverable, false);
        assert.equal(dead[0]?.attemptsMade, 3);
        assert.equal(dead[0]?.error.message, 'gateway unavailable (doc-down)');
        assert.equal((await f.queue.counts()).dead, 1);
      } finally {
        await f.close();
      }
    });

    test('retry moves dead jobs back and runs them again, by id and then all', async () => {
      let gatewayUp = false;
      const { catalogue, runs } = failureCatalogue(() => (gatewayUp ? 'ok' : 'permanent'));
      const f = await openFixture(kind, catalogue);
      try {
        const first = await f.queue.enqueue('publish', { uniqueId: 'doc-a' });
        const second = await f.queue.enqueue('publish', { uniqueId: 'doc-b' });
        await f.startWorkers();
        await waitFor('two dead letters', async () => (await f.queue.listFailed()).length === 2);
        gatewayUp = true;

        assert.deepEqual(await f.queue.retry(first), [first]);
        await waitFor('first job completed', async () => (await f.queue.getJob(first))?.state === 'completed');
        assert.deepEqual((await f.queue.listFailed()).map((d) => d.jobId), [second]);

        assert.deepEqual(await f.queue.retry('all'), [second]);
        await waitFor('second job completed', async () => (await f.queue.getJob(second))?.state === 'completed');
        assert.deepEqual(await f.queue.listFailed(), []);
        assert.deepEqual(runs.map((r) => `${r.key}#${r.attempt}`).sort(), ['doc-a#1', 'doc-a#1', 'doc-b#1', 'doc-b#1']);
        assert.deepEqual(await f.queue.retry('no-such-job'), []);
      } finally {
        await f.close();
      }
    });

    test('a retried job that fails again is dead-lettered again', async () => {
      const { catalogue, runs } = failureCatalogue(() => 'permanent');
      const f = await openFixture(kind, catalogue);
      try {
        const jobId = await f.queue.enqueue('publish', { uniqueId: 'doc-still-broken' });
        await f.startWorkers();
        await waitFor('dead letter', async () => (await f.queue.listFailed()).length === 1);
        assert.deepEqual(await f.queue.retry(jobId), [jobId]);
        await waitFor('second run', () => runs.length === 2);
        const [letter] = await waitFor('dead letter again', async () => {
          const d = await f.queue.listFailed();
          return d.length === 1 && d;
        });
        assert.equal(letter?.jobId, jobId);
        assert.equal(letter?.attemptsMade, 1, 'a retry starts with fresh attempts');
      } finally {
        await f.close();
      }
    });

    test('a job type without a processor in the worker is dead-lettered, not retried', async () => {
      const producer = failureCatalogue(() => 'ok').catalogue;
      const f = await openFixture(kind, producer, defineCatalogue([]));
      try {
        const jobId = await f.queue.enqueue('publish', { uniqueId: 'doc-orphan' });
        await f.startWorkers();
        const [letter] = await waitFor('dead letter', async () => {
          const d = await f.queue.listFailed();
          return d.length > 0 && d;
        });
        assert.equal(letter?.jobId, jobId);
        assert.equal(letter?.unrecoverable, true);
        assert.match(letter?.error.message ?? '', /no processor for job publish/);
      } finally {
        await f.close();
      }
    });
  });
}
