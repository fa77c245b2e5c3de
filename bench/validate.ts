/**
 * `npm run bench:validate`: warm validations per second and p50/p99 per document type (XSD + schematron +
 * terminology), on one thread and on every core; cold compile time per schematron; peak memory.
 * Uses the catalog named by FSE_CATALOG_DIR (samples from its examples/ and the corpus beside it), else the
 * project's rules and sample. Options: --seconds N (per type, default 3), --skip-cold.
 */
import { mkdtempSync, readdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { allSchematronFiles, resolveCatalog } from '../src/catalog/catalog.js';
import { loadConfig } from '../src/config.js';
import { buildSampleCda } from '../src/dev/sample-cda.js';
import { compileSchematron } from '../src/validation/schematron/sef-compiler.js';
import { createInlineValidator, createValidationPool, prepareEngineSetup } from '../src/validation/validation-pool.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '3' }, 'skip-cold': { type: 'boolean' } } });
const seconds = Number(values.seconds);
const config = loadConfig();
const catalog = resolveCatalog(config.catalogDir);
const out = (line = '') => process.stdout.write(`${line}\n`);

function samples(): Map<string, string[]> {
  const byType = new Map<string, string[]>();
  if (!config.catalogDir) {
    byType.set('LDO', [buildSampleCda()]);
    return byType;
  }
  const dirs = [path.join(config.catalogDir, 'examples', 'cda'), path.resolve(config.catalogDir, '..', 'corpus', 'ok')];
  for (const dir of dirs.filter(existsSync)) {
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.xml'))) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      const key = f.replace(/(_CT\d+)?(_OK)?\.xml$/, '');
      byType.set(key, [...(byType.get(key) ?? []), text]);
    }
  }
  return byType;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const fmt = (n: number) => n.toFixed(1);

async function main(): Promise<void> {
  out(`# bench:validate — catalog ${catalog.kind} (${catalog.dir}), schematron engine ${config.schematronEngine}, ${os.availableParallelism()} cores, node ${process.version}`);
  if (!values['skip-cold']) {
    out('\n## Cold compile per schematron (.sch -> XSLT -> SEF, empty cache)');
    const cold = mkdtempSync(path.join(os.tmpdir(), 'sef-cold-'));
    for (const file of allSchematronFiles(catalog)) {
      const t = performance.now();
      await compileSchematron(file, cold);
      out(`- ${path.basename(file)}: ${fmt((performance.now() - t) / 1000)} s`);
    }
    rmSync(cold, { recursive: true, force: true });
  }
  const setup = await prepareEngineSetup(catalog, config.sefCacheDir, undefined, { engine: config.schematronEngine });
  const inline = createInlineValidator(setup);
  const byType = samples();
  out('\n## Warm, one thread (inline engine)');
  out('| type | docs | verdicts | validations/s | p50 ms | p99 ms | parse p50 | regional+saxon parse p50 | xsd p50 | schematron p50 | terminology p50 |');
  out('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const [type, docs] of byType) {
    for (const d of docs) await inline.validate(d); // warm-up: SEF caches, JIT
    const times: number[] = [];
    const stage = { parse: [] as number[], regional: [] as number[], xsd: [] as number[], sch: [] as number[], voc: [] as number[] };
    const verdicts = new Set<string>();
    const end = performance.now() + seconds * 1000;
    let i = 0;
    while (performance.now() < end) {
      const doc = docs[i++ % docs.length] as string;
      const t = performance.now();
      const r = await inline.validate(doc);
      times.push(performance.now() - t);
      stage.parse.push(r.timings.parseMs);
      stage.regional.push(r.timings.regionalMs);
      stage.xsd.push(r.timings.xsdMs);
      stage.sch.push(r.timings.schematronMs);
      stage.voc.push(r.timings.terminologyMs);
      verdicts.add(r.valid ? 'valid' : `${r.failedStage}`);
    }
    const sorted = [...times].sort((a, b) => a - b);
    const p50 = (xs: number[]) => fmt(pct([...xs].sort((a, b) => a - b), 50));
    out(`| ${type} | ${docs.length} | ${[...verdicts].join('/')} | ${fmt(times.length / seconds)} | ${fmt(pct(sorted, 50))} | ${fmt(pct(sorted, 99))} | ${p50(stage.parse)} | ${p50(stage.regional)} | ${p50(stage.xsd)} | ${p50(stage.sch)} | ${p50(stage.voc)} |`);
  }
  await inline.close();

  const threads = os.availableParallelism();
  out(`\n## Warm, worker pool of ${threads} threads (all types mixed, ${threads * 4} in flight)`);
  const pool = createValidationPool(setup, threads);
  const all = [...byType.values()].flat();
  await Promise.all(all.map((d) => pool.validate(d)));
  let done = 0;
  const latencies: number[] = [];
  const end = performance.now() + seconds * 2 * 1000;
  const lane = async (k: number) => {
    for (let i = k; performance.now() < end; i += threads * 4) {
      const t = performance.now();
      await pool.validate(all[i % all.length] as string);
      latencies.push(performance.now() - t);
      done += 1;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: threads * 4 }, (_, k) => lane(k)));
  const elapsed = (performance.now() - t0) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  out(`- ${fmt(done / elapsed)} validations/s, p50 ${fmt(pct(sorted, 50))} ms, p99 ${fmt(pct(sorted, 99))} ms (latency includes queueing)`);
  await pool.close();
  out(`\nPeak RSS: ${fmt(process.resourceUsage().maxRSS / 1024)} MB`);
}

await main();
