/**
 * The cold start of bench:validate, run by it in a fresh process as a first boot is: the native engine, an empty SEF
 * cache, every schematron file of the catalog (FSE_CATALOG_DIR) readied and one engine built. Prints one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { resolveCatalog } from '../src/catalog/catalog.js';
import { loadConfig } from '../src/config.js';
import { createInlineValidator, prepareEngineSetup } from '../src/validation/validation-pool.js';

/** What the cold start measured, for the parent benchmark. */
export interface ColdStart {
  readonly files: number;
  readonly prepareMs: number;
  readonly engineMs: number;
  readonly sefCompiled: number;
  readonly fallbacks: readonly string[];
  readonly progress: readonly string[];
  readonly peakRssMb: number;
}

const cold = mkdtempSync(path.join(os.tmpdir(), 'sef-cold-'));
try {
  const progress: string[] = [];
  const catalog = resolveCatalog(loadConfig().catalogDir);
  const t0 = performance.now();
  const setup = await prepareEngineSetup(catalog, cold, undefined, { engine: 'native', onProgress: (l) => progress.push(l) });
  const t1 = performance.now();
  const validator = await createInlineValidator(setup);
  const t2 = performance.now();
  await validator.close();
  const result: ColdStart = {
    files: setup.files.length, prepareMs: t1 - t0, engineMs: t2 - t1, sefCompiled: Object.keys(setup.sefByFile).length,
    fallbacks: Object.keys(setup.nativeFallbacks ?? {}).map((f) => path.basename(f)), progress,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  rmSync(cold, { recursive: true, force: true });
}
