import { Piscina } from 'piscina';
import type { CatalogDescriptor } from '../catalog/catalog.js';
import { allSchematronFiles } from '../catalog/catalog.js';
import type { Logger } from '../logging/logger.js';
import { createValidationEngine, type EngineSetup } from './cda-validator.js';
import type { ValidationReport } from './findings.js';
import { nativeFallbacks, type SchematronEngineName } from './schematron/schematron-engines.js';
import { compileAll, formatCompileProgress } from './schematron/sef-compiler.js';

/** Validates CDAs; implementations run in worker threads (the server) or inline (the CLI, benchmarks). */
export interface CdaValidator {
  validate(cdaText: string): Promise<ValidationReport>;
  close(): Promise<void>;
}

export interface PrepareOptions {
  /** The schematron files to compile; default every file of the catalog. The engine can then run only those. */
  readonly files?: readonly string[];
  /** Hears each progress line (the CLI writes them to stderr); the logger, if any, logs them too. */
  readonly onProgress?: (line: string) => void;
  /** `FSE_SCHEMATRON_ENGINE`: native (default) or saxon, the reference. */
  readonly engine?: SchematronEngineName;
  /** Hears each file the native engine leaves to saxon-js, with why (the metric of fallbacks). */
  readonly onFallback?: (file: string, reason: string) => void;
}

/**
 * Compiles (or loads from the on-disk cache) the catalog's schematron to SEF, once per catalog version, reporting
 * each file compiled (a cold compile of the official catalog takes minutes; See: performance notes, "Schematron").
 * Runs in the main thread before any worker starts, so workers only load finished SEFs.
 */
export async function prepareEngineSetup(
  catalog: CatalogDescriptor,
  cacheDir: string,
  logger?: Logger,
  options: PrepareOptions = {},
): Promise<EngineSetup> {
  const files = options.files ?? allSchematronFiles(catalog);
  const engine = options.engine ?? 'saxon';
  const started = Date.now();
  const compiled = await compileAll(files, cacheDir, 2, (event) => {
    const line = formatCompileProgress(event);
    logger?.info(line, event.kind === 'plan'
      ? { files: files.length, toCompile: event.total, cached: event.cached, cacheDir }
      : { file: event.schPath, done: event.done, total: event.total, ms: event.ms });
    options.onProgress?.(line);
  });
  const sefByFile = Object.fromEntries(compiled.map((c) => [c.schPath, c.sefPath]));
  const compiledNow = compiled.filter((c) => !c.fromCache).length;
  // The native engine never guesses: a file it cannot evaluate exactly runs on saxon-js, and says so.
  const fallbacks = engine === 'native' ? nativeFallbacks(files) : {};
  for (const [file, reason] of Object.entries(fallbacks)) {
    logger?.warn('schematron file runs on saxon-js: the native engine cannot evaluate it exactly', { file, reason });
    options.onFallback?.(file, reason);
  }
  logger?.info('schematron ready', {
    files: files.length, compiled: compiledNow, ms: Date.now() - started, catalog: catalog.kind, engine, fallbacks: Object.keys(fallbacks).length,
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
