import { Piscina } from 'piscina';
import type { CatalogDescriptor } from '../catalog/catalog.js';
import { allSchematronFiles } from '../catalog/catalog.js';
import type { Logger } from '../logging/logger.js';
import { createValidationEngine, type EngineSetup } from './cda-validator.js';
import type { ValidationReport } from './findings.js';
import { nativeFallbacks, type SchematronEngineName } from './schematron/schematron-engines.js';
import { compileAll } from './schematron/sef-compiler.js';

/** Validates CDAs; implementations run in worker threads (the server) or inline (the CLI, benchmarks). */
export interface CdaValidator {
  validate(cdaText: string): Promise<ValidationReport>;
  close(): Promise<void>;
}

/**
 * Compiles (or loads from the on-disk cache) every schematron of the catalog to SEF, once per catalog version.
 * Runs in the main thread before any worker starts, so workers only load finished SEFs.
 */
export async function prepareEngineSetup(
  catalog: CatalogDescriptor,
  cacheDir: string,
  logger?: Logger,
  engine: SchematronEngineName = 'saxon',
  onFallback?: (file: string, reason: string) => void,
): Promise<EngineSetup> {
  const files = allSchematronFiles(catalog);
  const started = Date.now();
  const compiled = await compileAll(files, cacheDir, 2);
  const sefByFile = Object.fromEntries(compiled.map((c) => [c.schPath, c.sefPath]));
  // The native engine never guesses: a file it cannot evaluate exactly runs on saxon-js, and says so.
  const fallbacks = engine === 'native' ? nativeFallbacks(files) : {};
  for (const [file, reason] of Object.entries(fallbacks)) {
    logger?.warn('schematron file runs on saxon-js: the native engine cannot evaluate it exactly', { file, reason });
    onFallback?.(file, reason);
  }
  logger?.info('schematron ready', {
    files: files.length, ms: Date.now() - started, catalog: catalog.kind, engine, fallbacks: Object.keys(fallbacks).length,
  });
  return { catalog, sefByFile, schematronEngine: engine, nativeFallbacks: fallbacks };
}

/** Worker-thread pool: validations run off the event loop so the HTTP server stays responsive. */
export function createValidationPool(setup: EngineSetup, threads: number): CdaValidator {
  // From TypeScript sources the worker starts through a bootstrap that registers the tsx loader.
  const entry = import.meta.url.endsWith('.ts') ? './validation-worker-entry.mjs' : './validation-worker.js';
  const pool = new Piscina({
    filename: new URL(entry, import.meta.url).href,
    workerData: setup,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Number.POSITIVE_INFINITY,
  });
  return {
    validate: (cdaText) => pool.run({ cdaText }) as Promise<ValidationReport>,
    close: () => pool.destroy(),
  };
}

/** Same engine on the calling thread: for the CLI and single-thread benchmarks. */
export function createInlineValidator(setup: EngineSetup): CdaValidator {
  const engine = createValidationEngine(setup);
  return {
    validate: async (cdaText) => engine.validate(cdaText),
    close: async () => undefined,
  };
}
