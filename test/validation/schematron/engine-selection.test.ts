import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { resolveCatalog } from '../../../src/catalog/catalog.ts';
import type { EngineSetup } from '../../../src/validation/cda-validator.ts';
import type { ValidationReport } from '../../../src/validation/findings.ts';
import { createInlineValidator, prepareEngineSetup } from '../../../src/validation/validation-pool.ts';
import { projectRoot, sharedCacheDir } from './helpers.ts';

/** `FSE_SCHEMATRON_ENGINE`: the project's own rules (no catalog) through both engines, fallbacks included. */
describe('schematron engine selection', () => {
  const fallbacks: string[] = [];
  let native: EngineSetup;
  let saxon: EngineSetup;

  before(async () => {
    const catalog = resolveCatalog(undefined);
    native = await prepareEngineSetup(catalog, sharedCacheDir, undefined, { engine: 'native', onFallback: (file) => fallbacks.push(path.basename(file)) });
    saxon = await prepareEngineSetup(catalog, sharedCacheDir);
  });

  test("the project's own rules run natively: no file falls back to saxon-js", () => {
    // cda2-header.sch (sequences, some/satisfies, castable, a regex in a variable) and regional.sch (format-date of
    // current-date, gt) use XPath 2.0 that the native engine implements.
    assert.deepEqual(fallbacks, []);
    assert.deepEqual(Object.keys(native.nativeFallbacks ?? {}).map((f) => path.basename(f)).sort(), fallbacks);
    assert.equal(saxon.schematronEngine, 'saxon');
    assert.deepEqual(saxon.nativeFallbacks, {});
  });

  test('both engines give the same reports on the fixtures', async () => {
    const dir = path.join(projectRoot, 'test', 'fixtures', 'cda');
    const withoutTimings = ({ timings: _timings, ...rest }: ValidationReport) => rest;
    const a = await createInlineValidator(native);
    const b = await createInlineValidator(saxon);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.xml'))) {
      const cda = readFileSync(path.join(dir, file), 'utf8');
      assert.deepEqual(withoutTimings(await a.validate(cda)), withoutTimings(await b.validate(cda)), file);
    }
  });
});
