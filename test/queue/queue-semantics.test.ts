import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { currentContext, runWithContext, type RequestContext } from '../../src/logging/context.js';
import { defineCatalogue, defineJob, type JobContext } from '../../src/queue/job-catalogue.js';
import type { JobCorrelation } from '../../src/queue/job-context.js';
import { BACKENDS, openFixture, waitFor } from './harness.js';

interface Ref {
  readonly key: string;
}

/** Two job types, one per lane, that record the order in which they ran and what context they saw. */
function recordingCatalogue(hook: (key: string) => Promise<void> = async () => undefined) {
  const ran: string[] = [];
  const seen: Array<{ key: string; ambient?: RequestContext; correlation: JobCorrelation }> = [];
  const process = async (payload: Ref, ctx: JobContext<unknown>) => {
    seen.push({ key: payload.key, ambient: currentContext(), correlation: ctx.correlation });
    await hook(payload.key);
    ran.push(payload.key);
  };
  const live = defineJob({ name: 'publish', lane: 'live', attempts: 1, backoff: 0, jobId: (p: Ref) => p.key, process });
  const bulk = defineJob({ name: 'replay', lane: 'bulk', attempts: 1, backoff: 0, jobId: (p: Ref) => p.key, process });
  return { catalogue: defineCatalogue([live, bulk]), ran, seen };
}

for (const kind of BACKENDS) {
  describe(`queue semantics on ${kind}`, () => {
    test('the same business key enqueued twice is one job and one execution, also after completion', async () => {
      const { catalogue, ran } = recordingCatalogue();
      const f = await openFixture(kind, catalogue);
      try {
        const a = await f.queue.enqueue('publish', { key: 'wf-1^doc' });
        const b = await f.queue.enqueue('publish', { key: 'wf-1^doc' });
        assert.equal(a, b);
        assert.equal((await f.queue.counts()).waiting, 1);
        // The same key under another job type is another job.
        assert.notEqual(await f.queue.enqueue('replay', { key: 'wf-1^doc' }), a);
        await f.startWorkers();
        await waitFor('completion', async () => (await f.queue.counts()).completed === 2);

        // Within the retention window a resubmission of a completed job is still the same job...
        assert.equal(await f.queue.enqueue('publish', { key: 'wf-1^doc' }), a);
        // ...which a sentinel queued behind it (same lane, FIFO, concurrency 1) proves did not run again.
        await f.queue.enqueue('publish', { key: 'sentinel' });
        await waitFor('sentinel', () => ran.includes('sentinel'));
        assert.deepEqual(ran.filter((k) => k === 'wf-1^doc'), ['wf-1^doc', 'wf-1^doc'], 'one run per job type');
        assert.equal((await f.queue.getJob(a))?.state, 'completed');
        // The processor returns before BullMQ records the completion: wait for it, then count.
        await waitFor('sentinel completed', async () => (await f.queue.counts()).completed === 3);
        assert.deepEqual(await f.queue.counts(), { waiting: 0, active: 0, delayed: 0, completed: 3, failed: 0, dead: 0 });
      } finally {
        await f.close();
      }
    });

    test('live jobs run ahead of bulk jobs waiting before them', async () => {
      const { catalogue, ran } = recordingCatalogue();
      const f = await openFixture(kind, catalogue);
      try {
        await f.queue.enqueue('replay', { key: 'bulk-1' });
        await f.queue.enqueue('replay', { key: 'bulk-2' });
        // A live job type replayed in the bulk lane waits with the bulk work.
        await f.queue.enqueue('publish', { key: 'bulk-3' }, { lane: 'bulk' });
        await f.queue.enqueue('publish', { key: 'live-1' });
        await f.queue.enqueue('publish', { key: 'live-2' });
        await f.startWorkers(1);
        await waitFor('all five jobs', () => ran.length === 5);
        assert.deepEqual(ran, ['live-1', 'live-2', 'bulk-1', 'bulk-2', 'bulk-3']);
      } finally {
        await f.close();
      }
    });

    test('the correlation context of the producer is restored around the processor', async () => {
      const { catalogue, seen } = recordingCatalogue();
      const f = await openFixture(kind, catalogue);
      try {
        const front: RequestContext = {
          traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
          spanId: '00f067aa0ba902b7',
          workflowInstanceId: '2.16.840.1.113883.2.9.2.120.4.4.abc^^^^urn:ihe:iti:xdw:2013:workflowInstanceId',
          caller: 'ospedale-1',
        };
        await runWithContext(front, () => f.queue.enqueue('publish', { key: 'traced' }));
        await f.queue.enqueue('publish', { key: 'untraced' });
        await f.startWorkers();
        await waitFor('both jobs', () => seen.length === 2);

        const traced = seen.find((s) => s.key === 'traced');
        assert.equal(traced?.ambient?.traceId, front.traceId);
        assert.equal(traced?.ambient?.workflowInstanceId, front.workflowInstanceId);
        assert.equal(traced?.ambient?.caller, 'ospedale-1');
        assert.notEqual(traced?.ambient?.spanId, front.spanId, 'each run is a span of its own');
        assert.deepEqual(traced?.correlation, { traceId: front.traceId, workflowInstanceId: front.workflowInstanceId, caller: 'ospedale-1' });
        // A job enqueued outside any request still gets a trace of its own.
        assert.match(seen.find((s) => s.key === 'untraced')?.ambient?.traceId ?? '', /^[\da-f]{32}$/);
      } finally {
        await f.close();
      }
    });

    test('close() waits for the job in progress to finish', async () => {
      const events: string[] = [];
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const { catalogue } = recordingCatalogue(async (key) => {
        events.push(`started ${key}`);
        await gate;
        events.push(`finished ${key}`);
      });
      const f = await openFixture(kind, catalogue);
      try {
        const jobId = await f.queue.enqueue('publish', { key: 'slow' });
        const workers = await f.startWorkers();
        await waitFor('job start', () => events.includes('started slow'));
        const closing = workers.close().then(() => events.push('closed'));
        // Give close() every chance to return early; it must not.
        await sleep(100);
        assert.deepEqual(events, ['started slow']);
        release();
        await closing;
        assert.deepEqual(events, ['started slow', 'finished slow', 'closed']);
        assert.equal((await f.queue.getJob(jobId))?.state, 'completed');
      } finally {
        release();
        await f.close();
      }
    });
  });
}
