import { createRequire } from 'node:module';
import path from 'node:path';
import { threadId, workerData } from 'node:worker_threads';
import { createValidationEngine, type EngineSetup } from './cda-validator.js';
import type { ValidationReport } from './findings.js';

/**
 * Worker-thread entry for the validation pool: each thread owns its compiled XSD, compiled schematron and terminology,
 * built once from the setup the main thread prepared (libxml2-wasm and saxon-js state is thread-confined).
 */
const engine = await createValidationEngine(workerData as EngineSetup);

export default function validate(task: { cdaText: string }): ValidationReport {
  return engine.validate(task.cdaText);
}

/** One thread's memory: V8 heap and external/array-buffer bytes are per thread (libxml2's wasm memory is external). */
export interface ThreadMemory {
  readonly threadId: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
  /** Whether saxon-js (a CommonJS package) is loaded: it costs a thread about 90 MB, so only fallbacks load it. */
  readonly saxonJsLoaded: boolean;
}

/** The `memory` task of the pool: this thread's figures, for the benchmark and the memory bound. */
export function memory(): ThreadMemory {
  const { heapUsed, external, arrayBuffers } = process.memoryUsage();
  const saxonJsLoaded = Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes(`${path.sep}saxon-js${path.sep}`));
  return { threadId, heapUsed, external, arrayBuffers, saxonJsLoaded };
}
