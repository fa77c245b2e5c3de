import { Piscina } from 'piscina';
import type { CatalogDescriptor } from '../catalog/catalog.js';
import { allSchematronFiles } from '../catalog/catalog.js';
import type { Logger } from '../logging/logger.js';
import { createValidationEngine, type EngineSetup } from './cda-validator.js';
import type { ValidationReport } from './findings.js';
import type { ThreadMemory } from './validation-worker.js';
import { nativeFallbacks, saxonFiles, type SchematronEngineName } from './schematron/schematron-engines.js';
import { compileAll, formatCompileProgress } from './schematron/sef-compiler.js';
import { validationWorkerScript } from './worker-script.js';

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
 * Readies the catalog's schematron once per catalog version, before any worker starts. Under `native` it finds the
 * files the native engine refuses (compiling the 22 official files natively takes about 2 s) and compiles to SEF
 * only those; under `saxon` every file. SEFs come from the on-disk cache or are compiled, reporting each file (a cold
 * compile of the official catalog takes minutes; See: performance notes, "Schematron"), so workers only load them.
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
  // The native engine never guesses: a file it cannot evaluate exactly runs on saxon-js, and says so.
  const fallbacks = engine === 'native' ? nativeFallbacks(files) : {};
  // In the log only: the CLI's stderr stays silent when nothing is slow (the 22 official files take about 2 s).
  if (engine === 'native') {
    const line = `schematron: ${files.length - Object.keys(fallbacks).length} of ${files.length} file(s) compiled natively`;
    logger?.info(line, { files: files.length, fallbacks: Object.keys(fallbacks).length, ms: Date.now() - started });
  }
  for (const [file, reason] of Object.entries(fallbacks)) {
    logger?.warn('schematron file runs on saxon-js: the native engine cannot evaluate it exactly', { file, reason });
    options.onFallback?.(file, reason);
  }
  const onSaxon = saxonFiles(engine, files, fallbacks);
  const compiled = await compileAll(onSaxon, cacheDir, 2, (event) => {
    const line = formatCompileProgress(event);
    logger?.info(line, event.kind === 'plan'
      ? { files: onSaxon.length, toCompile: event.total, cached: event.cached, cacheDir }
      : { file: event.schPath, done: event.done, total: event.total, ms: event.ms });
    options.onProgress?.(line);
  });
  const sefByFile = Object.fromEntries(compiled.map((c) => [c.schPath, c.sefPath]));
  logger?.info('schematron ready', {
    files: files.length, onSaxon: onSaxon.length, compiled: compiled.filter((c) => !c.fromCache).length,
    ms: Date.now() - started, catalog: catalog.kind, engine, fallbacks: Object.keys(fallbacks).length,
  });
  return { catalog, files, sefByFile, schematronEngine: engine, nativeFallbacks: fallbacks };
}

/** The pool: validations, and each thread's memory (the benchmark's figures, the bound's check). */
export interface ValidationPool extends CdaValidator {
  /** The memory of each thread that answered: one `memory` task per thread, run concurrently so each gets one. */
  threadMemory(): Promise<ThreadMemory[]>;
}

export interface PoolOptions {
  /**
   * V8 old-generation limit of each worker, MB (`FSE_VALIDATION_WORKER_HEAP_MB`); none when absent. A worker over it
   * is replaced and its tasks fail (the running one and those queued on it, see TASKS_QUEUED_PER_WORKER).
   */
  readonly maxHeapMb?: number;
}

/**
 * Young generation of each worker, MB: measured with bench:validate, two workers on the mixed corpus, 16 MB instead
 * of V8's default cut the peak RSS from 423 to 390 MB (native only) and 890 to 864 MB (regional.sch on saxon-js) at
 * the same throughput within noise.
 */
const WORKER_YOUNG_GENERATION_MB = 16;

/**
 * Tasks piscina hands each worker at once. A validation is synchronous, so the extra tasks wait in the worker's own
 * queue and the worker starts the next one without waiting for the main thread to receive a result and dispatch
 * again. Measured (two workers, mixed corpus, 8 in flight, same minutes): 1 -> 413-427/s, 2 -> 434-465/s,
 * 3 -> 479-485/s, 4 -> 459/s; a request waits behind at most two others on its worker (about 2.5 ms each).
 */
const TASKS_QUEUED_PER_WORKER = 3;

/** Worker-thread pool: validations run off the event loop so the HTTP server stays responsive. */
export function createValidationPool(setup: EngineSetup, threads: number, options: PoolOptions = {}): ValidationPool {
  const pool = new Piscina({
    filename: validationWorkerScript(import.meta.url).href,
    // The parent's `--import tsx` would register tsx's loader-hooks thread in each worker: the script is JavaScript.
    execArgv: withoutTsx(process.execArgv),
    workerData: setup,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Number.POSITIVE_INFINITY,
    concurrentTasksPerWorker: TASKS_QUEUED_PER_WORKER,
    resourceLimits: {
      maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB,
      ...(options.maxHeapMb ? { maxOldGenerationSizeMb: options.maxHeapMb } : {}),
    },
  });
  return {
    validate: (cdaText) => pool.run({ cdaText }) as Promise<ValidationReport>,
    async threadMemory() {
      const answers = await Promise.all(Array.from({ length: threads }, () => pool.run({}, { name: 'memory' }) as Promise<ThreadMemory>));
      return [...new Map(answers.map((m) => [m.threadId, m])).values()];
    },
    close: () => pool.destroy(),
  };
}

/** Node options minus those that load tsx (`--import tsx`, `--import=tsx`, `--loader tsx`, `--require tsx/cjs`). */
export function withoutTsx(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i] as string;
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    const loads = ['--import', '--loader', '--experimental-loader', '--require', '-r'].includes(flag);
    const value = inline ?? (loads ? execArgv[i + 1] : undefined);
    if (loads && value !== undefined && /^tsx(\/|$)/.test(value)) {
      if (inline === undefined) i++;
      continue;
    }
    out.push(arg);
  }
  return out;
}

/** Same engine on the calling thread: for the CLI and single-thread benchmarks. */
export async function createInlineValidator(setup: EngineSetup): Promise<CdaValidator> {
  const engine = await createValidationEngine(setup);
  return {
    validate: async (cdaText) => engine.validate(cdaText),
    close: async () => engine.dispose(),
  };
}
