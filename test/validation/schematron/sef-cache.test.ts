import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { compileAll, compileSchematron, formatCompileProgress, type CompileProgress } from '../../../src/validation/schematron/sef-compiler.ts';
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
  const events: CompileProgress[] = [];
  const [fromCopy, fromChanged] = await compileAll([copy, changed], cacheDir, 2, (e) => events.push(e));
  assert.equal(fromCopy?.fromCache, true);
  assert.equal(fromCopy?.hash, first.hash);
  assert.equal(fromChanged?.fromCache, false);
  assert.notEqual(fromChanged?.hash, first.hash);

  // Progress: the plan (what is not cached), then each file compiled; the cached copy is not reported.
  assert.deepEqual(events.map((e) => (e.kind === 'plan' ? e : { ...e, ms: 0 })), [
    { kind: 'plan', total: 1, cached: 1 },
    { kind: 'compiled', done: 1, total: 1, schPath: changed, ms: 0 },
  ]);
  assert.match(formatCompileProgress(events[1] as CompileProgress), /^compiling schematron 1 of 1: changed\.sch \(\d+\.\d s\)$/);
  const all: CompileProgress[] = [];
  await compileAll([copy, changed], cacheDir, 2, (e) => all.push(e));
  assert.deepEqual(all, [], 'nothing to compile, nothing reported');
});
