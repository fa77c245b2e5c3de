import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { main } from '../../src/cli/main.js';
import { buildSampleCda } from '../../src/dev/sample-cda.js';
import { createSamplePdf, injectCda } from '../../src/pdf/pdf-inject.js';
import { corpusDir, needsCatalog, officialCatalogDir } from '../support/shared.js';

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
    const c = capture();
    assert.equal(await main(['validate', good, pdf], c.io), 0);
    const lines = c.out.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines.map((l) => [l.file, l.docType, l.verdict]), [[good, 'LDO', 'valid'], [pdf, 'LDO', 'valid']]);
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
