import { workerData } from 'node:worker_threads';
import { createValidationEngine, type EngineSetup } from './cda-validator.js';
import type { ValidationReport } from './findings.js';

/**
 * Worker-thread entry for the validation pool: each thread owns its compiled XSD, parsed SEFs and terminology,
 * built once from the setup the main thread compiled (libxml2-wasm and saxon-js state is thread-confined).
 */
const engine = createValidationEngine(workerData as EngineSetup);

export default function validate(task: { cdaText: string }): ValidationReport {
  return engine.validate(task.cdaText);
}
