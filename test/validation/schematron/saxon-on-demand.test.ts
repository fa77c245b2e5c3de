import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { resolveCatalog, type CatalogDescriptor } from '../../../src/catalog/catalog.ts';
import { buildSampleCda } from '../../../src/dev/sample-cda.ts';
import { nativeFallbacks } from '../../../src/validation/schematron/schematron-engines.ts';
import { createInlineValidator, createValidationPool, prepareEngineSetup } from '../../../src/validation/validation-pool.ts';
import { writeTinyCatalog } from '../../support/tiny-catalog.ts';

/**
 * Under the native engine saxon-js is a fallback, not a dependency (issue 12): a catalog the native engine runs whole
 * compiles no SEF and never loads saxon-js; a file it refuses gets its SEF and runs on saxon-js, in the inline engine
 * and in the worker pool. The tests of this file run in order in one process: the first one needs saxon-js unloaded.
 */
const work = mkdtempSync(path.join(os.tmpdir(), 'saxon-on-demand-'));
after(() => rmSync(work, { recursive: true, force: true }));

const regional = (test: string) => `<?xml version="1.0" encoding="UTF-8"?>
<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <ns prefix="hl7" uri="urn:hl7-org:v3"/>
  <pattern>
    <rule context="/hl7:ClinicalDocument">
      <report test="${test}">REG-T-001 | the document has a templateId</report>
    </rule>
  </pattern>
</schema>
`;

/** The tiny catalog, its regional rules replaced by one file whose single report fires on any CDA with a templateId. */
function catalogWithRegional(name: string, test: string): CatalogDescriptor {
  const file = path.join(work, `${name}.sch`);
  writeFileSync(file, regional(test));
  return { ...resolveCatalog(writeTinyCatalog(path.join(work, `catalog-${name}`))), regionalSchematron: [file] };
}

const saxonLoaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes(`${path.sep}saxon-js${path.sep}`));
// The tiny catalog's one XSD set is POCD_MT000040UV02, the typeId of the official samples.
const sample = buildSampleCda().replaceAll('POCD_HD000040', 'POCD_MT000040UV02');
const untitled = sample.replace(/<title>[^<]*<\/title>/, '');

describe('saxon-js on demand under the native engine', () => {
  test('no fallback: no SEF compiled, saxon-js never loaded, inline and pool validate', async () => {
    const catalog = catalogWithRegional('native', 'hl7:templateId');
    const cache = path.join(work, 'cache-native');
    const setup = await prepareEngineSetup(catalog, cache, undefined, { engine: 'native' });
    assert.deepEqual(setup.nativeFallbacks, {});
    assert.deepEqual(setup.sefByFile, {});
    assert.equal(setup.files.length, 3);
    assert.ok(!existsSync(cache) || readdirSync(cache).length === 0, 'nothing written to the SEF cache');

    const inline = await createInlineValidator(setup);
    const ok = await inline.validate(sample);
    assert.equal(ok.valid, true, JSON.stringify(ok.errors));
    assert.deepEqual(ok.regionalWarnings.map((f) => f.id), ['REG-T-001']);
    const bad = await inline.validate(untitled);
    assert.deepEqual(bad.errors.map((f) => f.id), ['TINY-LDO-001']);
    const pool = createValidationPool(setup, 1);
    try {
      assert.deepEqual((await pool.validate(untitled)).errors.map((f) => f.id), ['TINY-LDO-001']);
      // The worker runs a JavaScript bundle of its modules (worker-script.ts): saxon-js must stay a lazy chunk there.
      assert.deepEqual((await pool.threadMemory()).map((m) => m.saxonJsLoaded), [false], 'saxon-js loaded in the worker');
    } finally {
      await pool.close();
    }
    assert.equal(saxonLoaded(), false, 'saxon-js was loaded though no file runs on it');
  });

  test('a file the native engine refuses gets its SEF and runs on saxon-js, alone', async () => {
    // A `for` expression is XPath 2.0 the native engine does not implement: it leaves the file to saxon-js.
    const catalog = catalogWithRegional('fallback', 'exists(for $t in hl7:templateId return $t/@root)');
    const [file] = catalog.regionalSchematron as [string];
    assert.deepEqual(Object.keys(nativeFallbacks([file])), [file], 'precondition: pick a construct the native engine refuses');
    const heard: string[] = [];
    const setup = await prepareEngineSetup(catalog, path.join(work, 'cache-fallback'), undefined, { engine: 'native', onFallback: (f) => heard.push(f) });
    assert.deepEqual(heard, [file]);
    assert.deepEqual(Object.keys(setup.sefByFile), [file]);
    assert.equal(readdirSync(path.join(work, 'cache-fallback')).filter((f) => f.endsWith('.sef.json')).length, 1);

    const inline = await createInlineValidator(setup);
    assert.ok(saxonLoaded());
    assert.deepEqual((await inline.validate(sample)).regionalWarnings.map((f) => f.id), ['REG-T-001']);
    assert.deepEqual((await inline.validate(untitled)).errors.map((f) => f.id), ['TINY-LDO-001']);
    const pool = createValidationPool(setup, 1);
    try {
      const report = await pool.validate(untitled);
      assert.deepEqual([report.errors.map((f) => f.id), report.regionalWarnings.map((f) => f.id)], [['TINY-LDO-001'], ['REG-T-001']]);
      assert.deepEqual((await pool.threadMemory()).map((m) => m.saxonJsLoaded), [true]);
    } finally {
      await pool.close();
    }
  });

  test('the saxon engine compiles a SEF for every file', async () => {
    const catalog = catalogWithRegional('saxon', 'hl7:templateId');
    const setup = await prepareEngineSetup(catalog, path.join(work, 'cache-saxon'), undefined, { engine: 'saxon' });
    assert.deepEqual(Object.keys(setup.sefByFile).sort(), [...setup.files].sort());
    const inline = await createInlineValidator(setup);
    assert.deepEqual((await inline.validate(untitled)).errors.map((f) => f.id), ['TINY-LDO-001']);
  });
});
