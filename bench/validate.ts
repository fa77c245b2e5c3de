/**
 * `npm run bench:validate`, in one run: the cold start in a fresh process (native engine, empty cache: every
 * schematron file readied and an engine built); warm p50/p99 per document type on one thread with the stage split;
 * validations/s of a worker pool on the mixed corpus for each thread count asked, each pool in a fresh process; peak
 * RSS of the pool processes (workers included: threads share the process) and of this one. Uses the catalog named by FSE_CATALOG_DIR (samples from its examples/ and the
 * corpus beside it), else the project's rules and sample. Options: --seconds N (per type, default 3; pools run twice
 * as long), --threads 1,2,... (default FSE_VALIDATION_WORKERS), --skip-cold, --skip-saxon (no side-by-side schematron
 * table), --sef-cold (also time the saxon-js SEF compile of every file: minutes).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { allSchematronFiles, resolveCatalog } from '../src/catalog/catalog.js';
import { loadConfig } from '../src/config.js';
import type { ValidationReport } from '../src/validation/findings.js';
import { compileSchematron } from '../src/validation/schematron/sef-compiler.js';
import { createInlineValidator, prepareEngineSetup } from '../src/validation/validation-pool.js';
import type { ColdStart } from './cold-start.js';
import { poolRow, type PoolFigures } from './validate-pool.js';
import { benchSamples } from './validate-samples.js';
import { ms, pct } from './stats.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' }, threads: { type: 'string' },
    'skip-cold': { type: 'boolean' }, 'sef-cold': { type: 'boolean' }, 'skip-saxon': { type: 'boolean' },
  },
});
const seconds = Number(values.seconds);
const config = loadConfig();
const catalog = resolveCatalog(config.catalogDir);
const threadCounts = (values.threads ?? String(config.validationWorkers)).split(',').map(Number);
const out = (line = '') => process.stdout.write(`${line}\n`);
const s = (msValue: number) => (msValue / 1000).toFixed(2);

/** Cold start as a first boot sees it, in a fresh process (bench/cold-start.ts): its JIT and memory are its own. */
function coldStart(): void {
  const script = fileURLToPath(new URL('./cold-start.ts', import.meta.url));
  const child = spawnSync(process.execPath, [...process.execArgv, script], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`cold start failed: ${child.stderr}`);
  const c = JSON.parse(child.stdout) as ColdStart;
  out(`\n## Cold start (fresh process), native engine, empty cache, ${c.files} schematron files`);
  out(`- **${s(c.prepareMs + c.engineMs)} s**: prepareEngineSetup ${s(c.prepareMs)} s (${c.sefCompiled} SEF compiled), engine creation ${s(c.engineMs)} s; its peak RSS ${ms(c.peakRssMb)} MB`);
  out(`- files on saxon-js (native fallbacks): ${c.fallbacks.length === 0 ? 'none' : c.fallbacks.join(', ')}`);
  for (const line of c.progress) out(`  - ${line}`);
}

async function sefCold(): Promise<void> {
  out('\n## Cold SEF compile per schematron (.sch -> XSLT -> SEF, empty cache; the saxon engine and the fallbacks)');
  const cold = mkdtempSync(path.join(os.tmpdir(), 'sef-cold-'));
  for (const file of allSchematronFiles(catalog)) {
    const t = performance.now();
    await compileSchematron(file, cold);
    out(`- ${path.basename(file)}: ${s(performance.now() - t)} s`);
  }
  rmSync(cold, { recursive: true, force: true });
}

type Stage = keyof ValidationReport['timings'];
const STAGES: readonly Stage[] = ['parseMs', 'regionalMs', 'xsdMs', 'schematronMs', 'terminologyMs'];

async function main(): Promise<void> {
  out(`# bench:validate — catalog ${catalog.kind} (${catalog.dir}), schematron engine ${config.schematronEngine}, ${os.availableParallelism()} cores, node ${process.version}`);
  if (!values['skip-cold']) coldStart();
  if (values['sef-cold']) await sefCold();

  const setup = await prepareEngineSetup(catalog, config.sefCacheDir, undefined, { engine: config.schematronEngine });
  const inline = await createInlineValidator(setup);
  const byType = benchSamples(config.catalogDir);
  out('\n## Warm, one thread (inline engine), stage p50 in ms');
  out('| type | docs | verdicts | validations/s | p50 ms | p99 ms | parse | regional (+saxon parse) | xsd | schematron | terminology |');
  out('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const [type, docs] of byType) {
    for (const d of docs) await inline.validate(d); // warm-up: JIT, caches
    const times: number[] = [];
    const stage = new Map<Stage, number[]>(STAGES.map((k) => [k, []]));
    const verdicts = new Set<string>();
    const end = performance.now() + seconds * 1000;
    for (let i = 0; performance.now() < end; i++) {
      const t = performance.now();
      const r = await inline.validate(docs[i % docs.length] as string);
      times.push(performance.now() - t);
      for (const k of STAGES) stage.get(k)?.push(r.timings[k]);
      verdicts.add(r.valid ? 'valid' : `${r.failedStage}`);
    }
    const split = STAGES.map((k) => ms(pct(stage.get(k) ?? [], 50))).join(' | ');
    out(`| ${type} | ${docs.length} | ${[...verdicts].join('/')} | ${ms(times.length / seconds)} | ${ms(pct(times, 50))} | ${ms(pct(times, 99))} | ${split} |`);
  }
  await inline.close();
  const main = process.memoryUsage();
  out(`\nMain thread after the inline engine: heap ${ms(main.heapUsed / 2 ** 20)} MB, external ${ms(main.external / 2 ** 20)} MB, RSS ${ms(main.rss / 2 ** 20)} MB`);

  if (config.catalogDir && !values['skip-saxon']) schematronSideBySide();

  const all = [...byType.values()].flat();
  const limit = config.validationWorkerHeapMb;
  const inlinePeak = process.resourceUsage().maxRSS / 1024;
  out(`\n## Worker pool, all types mixed (${all.length} documents), threads * 4 in flight, ${seconds * 2} s each, worker heap limit ${limit ? `${limit} MB` : 'none'}`);
  out('Each pool runs in a fresh process (main thread + workers, as the server runs them), so its memory is its own.');
  out('| threads | validations/s | p50 ms | p99 ms | peak RSS MB | per worker heap+external MB |');
  out('|---|---|---|---|---|---|');
  let poolPeak = 0;
  for (const threads of threadCounts) {
    const figures = poolInFreshProcess(threads, seconds * 2);
    poolPeak = Math.max(poolPeak, figures.peakRssMb);
    out(poolRow(figures));
  }
  out(`\nPeak RSS: pool processes ${ms(poolPeak)} MB (workers included); this process, with the one-thread inline engine, ${ms(inlinePeak)} MB`);
}

/** Schematron per document, native and saxon-js side by side (bench/schematron-engines.ts), in a fresh process. */
function schematronSideBySide(): void {
  const script = fileURLToPath(new URL('./schematron-engines.ts', import.meta.url));
  const child = spawnSync(process.execPath, [...process.execArgv, script, '--rounds', '15'], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`schematron side by side failed: ${child.stderr}`);
  out('\n## Schematron per document, warm, one thread: native and saxon-js side by side (bench:schematron, 15 rounds)');
  out(child.stdout.split('\n').filter((l) => l.startsWith('|')).join('\n'));
}

/** A pool run in a fresh process (bench/validate-pool-run.ts). */
function poolInFreshProcess(threads: number, poolSeconds: number): PoolFigures {
  const script = fileURLToPath(new URL('./validate-pool-run.ts', import.meta.url));
  const child = spawnSync(process.execPath, [...process.execArgv, script, String(threads), String(poolSeconds)], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`pool run failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as PoolFigures;
}

await main();
