import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { jobCatalogue, JOB_NAMES } from '../../src/jobs/catalogue.js';
import {
  assertCatalogueComplete,
  businessJobId,
  CatalogueIncompleteError,
  defineCatalogue,
  defineJob,
  jobOptionsFor,
  LANE_PRIORITY,
} from '../../src/queue/job-catalogue.js';
import type { JobQueue } from '../../src/queue/queues.js';

interface DocRef {
  readonly uniqueId: string;
}

const publish = defineJob({
  name: 'publish',
  lane: 'live',
  attempts: 5,
  backoff: 1000,
  jobId: (p: DocRef) => p.uniqueId,
  process: async () => undefined,
});

describe('job catalogue', () => {
  test('a declared job without a processor refuses to boot', () => {
    const catalogue = defineCatalogue([publish]);
    assert.doesNotThrow(() => assertCatalogueComplete(['publish'], catalogue));
    assert.throws(
      () => assertCatalogueComplete(['publish', 'replace', 'delete'], catalogue),
      (err: unknown) => err instanceof CatalogueIncompleteError && err.missing.join() === 'replace,delete',
    );
  });

  test('an entry filed under another name, or without a process function, counts as missing', () => {
    const misfiled = { replace: publish };
    assert.throws(() => assertCatalogueComplete(['replace'], misfiled), CatalogueIncompleteError);
    const broken = { publish: { ...publish, process: undefined as unknown as typeof publish.process } };
    assert.throws(() => assertCatalogueComplete(['publish'], broken), CatalogueIncompleteError);
    // Inherited properties are not processors.
    assert.throws(() => assertCatalogueComplete(['toString'], defineCatalogue([])), CatalogueIncompleteError);
  });

  test('the placeholder catalogue used by `fse-bridge worker` is complete', () => {
    assert.doesNotThrow(() => assertCatalogueComplete(JOB_NAMES, jobCatalogue));
  });

  test('definitions are checked once, at definition', () => {
    const base = { name: 'x', lane: 'bulk', backoff: 10, jobId: () => 'k', process: async () => undefined } as const;
    assert.throws(() => defineJob({ ...base, attempts: 0 }), /attempts/);
    assert.throws(() => defineJob({ ...base, attempts: 1.5 }), /attempts/);
    assert.throws(() => defineJob({ ...base, attempts: 1, backoff: -1 }), /backoff/);
    assert.throws(() => defineCatalogue([publish, publish]), /defined twice/);
  });

  test('job ids come from the business key, scoped by job name and safe for BullMQ', () => {
    assert.equal(businessJobId('publish', 'urn:uuid:1234'), 'publish/urn%3Auuid%3A1234');
    assert.equal(businessJobId('publish', '2.16.840^abc/1'), 'publish/2.16.840%5Eabc%2F1');
    assert.notEqual(businessJobId('publish', 'a/b'), businessJobId('publish/a', 'b'));
    assert.throws(() => businessJobId('publish', ''), /empty business key/);
  });

  test('lanes map to BullMQ priorities, live first, and retries back off exponentially', () => {
    assert.ok(LANE_PRIORITY.live < LANE_PRIORITY.bulk);
    assert.ok(LANE_PRIORITY.live > 0, 'priority 0 would jump ahead of every prioritized job');
    assert.deepEqual(jobOptionsFor(publish), { attempts: 5, backoff: { type: 'exponential', delay: 1000 }, priority: LANE_PRIORITY.live });
    assert.equal(jobOptionsFor(publish, 'bulk').priority, LANE_PRIORITY.bulk);
  });

  test('enqueue is typed by the catalogue: job names and payloads are checked at compile time', () => {
    const catalogue = defineCatalogue([publish]);
    // Only compiled, never called: the assertions are the @ts-expect-error lines.
    const typed = (queue: JobQueue<typeof catalogue>) => {
      void queue.enqueue('publish', { uniqueId: 'ok' });
      // @ts-expect-error unknown job name
      void queue.enqueue('publsh', { uniqueId: 'x' });
      // @ts-expect-error wrong payload
      void queue.enqueue('publish', { documentId: 'x' });
    };
    assert.equal(typeof typed, 'function');
  });
});
