import assert from 'node:assert/strict';
import os from 'node:os';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.ts';

/** The validation pool's size and memory bound: measured defaults (see config.ts), overridable per deployment. */
test('one validation worker per core and a 192 MB worker heap under the native engine, none under saxon', () => {
  const native = loadConfig({});
  assert.equal(native.validationWorkers, Math.max(1, os.availableParallelism()));
  assert.equal(native.validationWorkerHeapMb, 192);
  // saxon-js with the 22 official SEFs needs about 600 MB per thread: no default bound.
  assert.equal(loadConfig({ FSE_SCHEMATRON_ENGINE: 'saxon' }).validationWorkerHeapMb, undefined);
  const set = loadConfig({ FSE_VALIDATION_WORKERS: '3', FSE_VALIDATION_WORKER_HEAP_MB: '512', FSE_SCHEMATRON_ENGINE: 'saxon' });
  assert.deepEqual([set.validationWorkers, set.validationWorkerHeapMb], [3, 512]);
  assert.throws(() => loadConfig({ FSE_VALIDATION_WORKER_HEAP_MB: '8' }), /FSE_VALIDATION_WORKER_HEAP_MB/);
});
