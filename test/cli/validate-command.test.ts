import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { main } from '../../src/cli/main.js';
import { buildSampleCda } from '../../src/dev/sample-cda.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { createSamplePdf, injectCda } from '../../src/pdf/pdf-inject.js';
import { nativeFallbacks } from '../../src/validation/schematron/schematron-engines.js';
import { corpusDir, needsCatalog, officialCatalogDir } from '../support/shared.js';
import { TINY_SCHEMATRON, writeTinyCatalog } from '../support/tiny-catalog.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) }, out, err };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'cli-validate-'));

describe('fse-bridge validate', () => {
  test('usage errors exit 2', async () => {
    const c = capture();
    assert.equal(await main(['validate'], c.io), 2);
    assert.match(c.err.join(''), /usage/);
    assert.equal(await main(['nope'], capture().io), 2);
  });

  test('one JSON line per file; exit 1 when any is invalid (project rules)', async () => {
    // The command reads its catalog from the environment: run it without FSE_CATALOG_DIR to use the project rules.
    const saved = process.env.FSE_CATALOG_DIR;
    delete process.env.FSE_CATALOG_DIR;
    try {
      await projectRulesCase();
    } finally {
      if (saved !== undefined) process.env.FSE_CATALOG_DIR = saved;
    }
  });

  async function projectRulesCase(): Promise<void> {
    const good = path.join(dir, 'good.xml');
    const bad = path.join(dir, 'bad.xml');
    const pdf = path.join(dir, 'good.pdf');
    writeFileSync(good, buildSampleCda());
    writeFileSync(bad, buildSampleCda().replace('<realmCode code="IT"/>', ''));
    writeFileSync(pdf, await injectCda(await createSamplePdf('t'), Buffer.from(buildSampleCda())));
    // Written as the Italian guides and the official samples write a header: typeId POCD_MT000040UV02, two patient ids.
    const italian = path.join(import.meta.dirname, '..', 'fixtures', 'cda', 'ldo-header-it.xml');
    const c = capture();
    assert.equal(await main(['validate', good, pdf, italian], c.io), 0);
    const lines = c.out.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines.map((l) => [l.file, l.docType, l.verdict]),
      [[good, 'LDO', 'valid'], [pdf, 'LDO', 'valid'], [italian, 'LDO', 'valid']]);
    assert.deepEqual(lines[2]?.warnings, []);
    assert.deepEqual(Object.keys(lines[0] ?? {}).sort(), ['docType', 'errors', 'file', 'ms', 'verdict', 'warnings']);
    const c2 = capture();
    assert.equal(await main(['validate', good, bad], c2.io), 1);
    const second = JSON.parse(c2.out[1] ?? '{}') as { verdict: string; errors: { id: string }[] };
    assert.equal(second.verdict, 'invalid');
    assert.ok(second.errors.some((e) => e.id === 'HDR-001'));
  }

  test('official catalog: an official sample is valid, a broken one invalid with its rule id', needsCatalog, async () => {
    const sample = path.join(corpusDir ?? '', 'ok', 'LAB_CT1_OK.xml');
    const c = capture();
    assert.equal(await main(['validate', '--catalog', officialCatalogDir ?? '', sample], c.io), 0);
    const line = JSON.parse(c.out[0] ?? '{}') as { docType: string; verdict: string };
    assert.equal(line.docType, 'LAB');
    assert.equal(line.verdict, 'valid');
    const missing = path.join(dir, 'missing.xml');
    const c2 = capture();
    assert.equal(await main(['validate', '--catalog', officialCatalogDir ?? '', missing], c2.io), 1);
    assert.equal((JSON.parse(c2.out[0] ?? '{}') as { verdict: string }).verdict, 'invalid');
  });
});

/** Runs `fn` with the SEF cache in `cacheDir` (the command reads it from the environment, as `loadConfig` does). */
async function withSefCache<T>(cacheDir: string, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.FSE_SEF_CACHE_DIR;
  process.env.FSE_SEF_CACHE_DIR = cacheDir;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.FSE_SEF_CACHE_DIR;
    else process.env.FSE_SEF_CACHE_DIR = saved;
  }
}

const PROGRESS = /^compiling schematron (\d+) of (\d+): (\S+) \(\d+\.\d s\)$/;

/** The files named by the progress lines on stderr, after checking the plan line and the `n of N` numbering. */
function compiledFiles(err: readonly string[]): string[] {
  if (err.length === 0) return [];
  const [plan, ...lines] = err;
  assert.match(plan ?? '', new RegExp(`^schematron: ${lines.length} of \\d+ file\\(s\\) not in the SEF cache, compiling`));
  return lines.map((line, i) => {
    const m = PROGRESS.exec(line);
    assert.ok(m, `not a progress line: ${line}`);
    assert.deepEqual([Number(m[1]), Number(m[2])], [i + 1, lines.length]);
    return m[3] as string;
  }).sort();
}

const temps: string[] = [];
const tempDir = (prefix: string): string => {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(d);
  return d;
};
after(() => { for (const d of temps) rmSync(d, { recursive: true, force: true }); });

/** Under the native engine (the CLI's default) only the files it refuses are compiled to SEF, by base name. */
const fallbackNames = (files: string[]): string[] => Object.keys(nativeFallbacks(files)).map((f) => path.basename(f)).sort();
const PROJECT_REGIONAL = path.join(PROJECT_ROOT, 'schematron', 'regional.sch');

const sefs = (cacheDir: string): string[] => readdirSync(cacheDir).filter((f) => f.endsWith('.sef.json'));

describe('fse-bridge validate --catalog: compile progress, only the rules the files need', () => {
  const ldo = path.join(import.meta.dirname, '..', 'fixtures', 'cda', 'ldo-header-it.xml');

  test('own small catalog: one LDO compiles to SEF only the native fallbacks of its rules, with progress; then nothing', async () => {
    const catalog = writeTinyCatalog(tempDir('tiny-catalog-'));
    const cacheDir = tempDir('tiny-sef-');
    const c = capture();
    assert.equal(await withSefCache(cacheDir, () => main(['validate', '--catalog', catalog, ldo], c.io)), 0);
    const onSaxon = fallbackNames([PROJECT_REGIONAL, path.join(catalog, 'schematron', TINY_SCHEMATRON.LDO)]);
    assert.ok(!onSaxon.includes(TINY_SCHEMATRON.LDO), 'the tiny LDO rules run natively');
    assert.deepEqual(compiledFiles(c.err), onSaxon);
    assert.equal(sefs(cacheDir).length, onSaxon.length, 'the LAB rules are not compiled');
    // stdout stays machine-readable: exactly the JSON line of the file.
    assert.deepEqual(c.out.map((l) => (JSON.parse(l) as { docType: string; verdict: string })).map((l) => [l.docType, l.verdict]),
      [['LDO', 'valid']]);

    const warm = capture();
    assert.equal(await withSefCache(cacheDir, () => main(['validate', '--catalog', catalog, ldo], warm.io)), 0);
    assert.deepEqual(warm.err, [], 'a warm cache compiles nothing and prints nothing');
  });

  test('official catalog: one LDO sample compiles to SEF at most its 2 files (regional, LDO 5.5), not 22', needsCatalog, async () => {
    const sample = path.join(corpusDir ?? '', 'ok', 'LDO_CT1_OK.xml');
    const cacheDir = tempDir('official-sef-');
    const c = capture();
    assert.equal(await withSefCache(cacheDir, () => main(['validate', '--catalog', officialCatalogDir ?? '', sample], c.io)), 0);
    const onSaxon = fallbackNames([PROJECT_REGIONAL, path.join(officialCatalogDir ?? '', 'schematron', 'schematronFSE_LDO_v5.5.sch')]);
    assert.deepEqual(compiledFiles(c.err), onSaxon);
    assert.equal(sefs(cacheDir).length, onSaxon.length);
    assert.equal((JSON.parse(c.out[0] ?? '{}') as { verdict: string }).verdict, 'valid');
  });
});
