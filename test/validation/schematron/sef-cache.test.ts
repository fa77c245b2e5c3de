import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { compileAll, compileSchematron } from '../../../src/validation/schematron/sef-compiler.ts';
import { loadSef, runSchematron } from '../../../src/validation/schematron/schematron-runner.ts';

const work = mkdtempSync(path.join(os.tmpdir(), 'sef-cache-'));
after(() => rmSync(work, { recursive: true, force: true }));

const sch = (id: string) => `<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <pattern><rule context="a"><assert test="@ok">${id} | <name/> needs @ok</assert></rule></pattern></schema>`;

test('the second compile of the same content loads the cached SEF instead of recompiling', async () => {
  const cacheDir = path.join(work, 'cache');
  const schPath = path.join(work, 'rule.sch');
  writeFileSync(schPath, sch('C-001'));

  const first = await compileSchematron(schPath, cacheDir);
  assert.equal(first.fromCache, false);
  assert.ok(existsSync(first.sefPath));

  const second = await compileSchematron(schPath, cacheDir);
  assert.deepEqual(second, { ...first, fromCache: true });
  assert.deepEqual(runSchematron(loadSef(second.sefPath), '<a/>').map((f) => f.id), ['C-001']);

  // The key is the content: the same bytes under another name hit the cache, new content does not.
  const copy = path.join(work, 'copy.sch');
  writeFileSync(copy, sch('C-001'));
  const changed = path.join(work, 'changed.sch');
  writeFileSync(changed, sch('C-002'));
  const [fromCopy, fromChanged] = await compileAll([copy, changed], cacheDir, 2);
  assert.equal(fromCopy?.fromCache, true);
  assert.equal(fromCopy?.hash, first.hash);
  assert.equal(fromChanged?.fromCache, false);
  assert.notEqual(fromChanged?.hash, first.hash);
});
