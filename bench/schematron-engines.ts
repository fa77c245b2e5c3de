/**
 * `npm run bench:schematron`: schematron time per document, warm, one thread, per document type: the native engine
 * (closures over the document's tree, its construction included) and saxon-js side by side on the same documents in
 * one run. saxon-js is timed with its own parse (`parse-xml`, which the validator pays for it); native on the libxml2
 * tree the validator already has, and also with that parse. Uses FSE_CATALOG_DIR (its examples/ and the corpus beside
 * it). Option: --rounds N (default 30).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { resolveCatalog } from '../src/catalog/catalog.js';
import { selectDocumentType } from '../src/catalog/document-types.js';
import { loadConfig } from '../src/config.js';
import { readCdaHeader } from '../src/validation/cda-header.js';
import { runNativeSchematron } from '../src/validation/schematron/native/native-runner.js';
import { compileNativeSchema, type NativeSchema } from '../src/validation/schematron/native/native-schema.js';
import { compileSchematron } from '../src/validation/schematron/sef-compiler.js';
import { loadSef, parseForSchematron, runSchematron, type LoadedSef } from '../src/validation/schematron/schematron-runner.js';
import { parseXml, withXml } from '../src/xml/xml-toolkit.js';
import { ms, pct } from './stats.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '30' } } });
const rounds = Number(values.rounds);
const config = loadConfig();
const out = (line = '') => process.stdout.write(`${line}\n`);

interface Engines { readonly sef: LoadedSef; readonly native: NativeSchema }

async function main(): Promise<void> {
  if (!config.catalogDir) throw new Error('bench:schematron needs FSE_CATALOG_DIR (the official catalog)');
  const catalog = resolveCatalog(config.catalogDir);
  const dirs = [path.join(config.catalogDir, 'examples', 'cda'), path.resolve(config.catalogDir, '..', 'corpus', 'ok')];
  const byType = new Map<string, { file: string; docs: string[] }>();
  for (const dir of dirs.filter(existsSync)) {
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.xml')).sort()) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      const selection = withXml(text, (doc) => selectDocumentType(catalog.documentTypes, readCdaHeader(doc)));
      if (selection.kind !== 'found') continue;
      const file = catalog.schematronByType[selection.type.key];
      if (!file) continue;
      const entry = byType.get(selection.type.key) ?? { file, docs: [] };
      entry.docs.push(text);
      byType.set(selection.type.key, entry);
    }
  }
  const engines = new Map<string, Engines>();
  out(`# bench:schematron — ${catalog.dir}, ${rounds} rounds per document, node ${process.version}`);
  out('\n| type | docs | file | native compile ms | saxon p50 ms (parse+run) | native p50 ms (run) | native p50 ms (parse+run) | saxon / native (parse+run) |');
  out('|---|---|---|---|---|---|---|---|');
  for (const [type, { file, docs }] of [...byType].sort(([a], [b]) => a.localeCompare(b))) {
    let e = engines.get(file);
    const t0 = performance.now();
    const native = e?.native ?? compileNativeSchema(readFileSync(file, 'utf8'));
    const compileMs = performance.now() - t0;
    e ??= { sef: loadSef((await compileSchematron(file, config.sefCacheDir)).sefPath), native };
    engines.set(file, e);
    // Each engine in its own loop: interleaved, saxon-js's garbage was collected during the native runs (measured:
    // VPS native 3.1 ms interleaved against 1.3 ms in the validator).
    const saxon: number[] = [];
    for (let r = -3; r < rounds; r++) {
      for (const text of docs) {
        const a = performance.now();
        runSchematron(e.sef, parseForSchematron(text));
        if (r >= 0) saxon.push(performance.now() - a); // warm-up rounds first: JIT, SaxonJS caches
      }
    }
    const run: number[] = [];
    const whole: number[] = [];
    for (let r = -3; r < rounds; r++) {
      for (const text of docs) {
        const b = performance.now();
        const doc = parseXml(text);
        const c = performance.now();
        runNativeSchematron(e.native, doc);
        const d = performance.now();
        doc.dispose();
        if (r < 0) continue;
        run.push(d - c);
        whole.push(d - b);
      }
    }
    const s50 = pct(saxon, 50);
    const w50 = pct(whole, 50);
    out(`| ${type} | ${docs.length} | ${path.basename(file)} | ${ms(compileMs)} | ${ms(s50)} | ${ms(pct(run, 50))} | ${ms(w50)} | ${(s50 / w50).toFixed(1)}x |`);
  }
}

await main();
