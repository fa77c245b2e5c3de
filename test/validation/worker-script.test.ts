import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PROJECT_ROOT, projectRootAbove } from '../../src/config.ts';
import { withoutTsx } from '../../src/validation/validation-pool.ts';
import { validationWorkerScript } from '../../src/validation/worker-script.ts';

const poolUrl = new URL('../../src/validation/validation-pool.ts', import.meta.url).href;

describe('the validation workers run a JavaScript bundle of their modules', () => {
  test('from TypeScript sources the bundle is built under var/, named by its content, and rebuilt identically', () => {
    const first = validationWorkerScript(poolUrl);
    const file = fileURLToPath(first);
    assert.ok(file.startsWith(path.join(PROJECT_ROOT, 'var', 'worker-js') + path.sep), file);
    assert.ok(existsSync(file) && existsSync(`${file}.map`));
    assert.equal(validationWorkerScript(poolUrl).href, first.href, 'same sources, same bundle');
    const code = readFileSync(file, 'utf8');
    assert.doesNotMatch(code, /from "saxon-js"/, 'saxon-js is imported statically by the entry');
    assert.match(code, /export \{[^}]*\bmemory\b/);
  });

  test('from compiled JavaScript the worker module is used as it is', () => {
    assert.equal(validationWorkerScript('file:///opt/bridge/dist/validation/validation-pool.js').href, 'file:///opt/bridge/dist/validation/validation-worker.js');
  });

  test('the workers get the parent\'s Node options without the tsx loader', () => {
    assert.deepEqual(withoutTsx(['--import', 'libxml2-wasm', '--import', 'tsx', '--enable-source-maps']), ['--import', 'libxml2-wasm', '--enable-source-maps']);
    assert.deepEqual(withoutTsx(['--import=tsx', '--loader', 'tsx/esm', '--require', 'tsx/cjs', '--max-old-space-size=512']), ['--max-old-space-size=512']);
    assert.deepEqual(withoutTsx(['--import', 'tsxlike']), ['--import', 'tsxlike']);
  });

  test('the project root is the nearest package.json above a module, at any depth, as the bundle under var/ needs', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'project-root-'));
    try {
      writeFileSync(path.join(root, 'package.json'), '{}');
      const deep = path.join(root, 'var', 'worker-js', 'abc');
      mkdirSync(deep, { recursive: true });
      assert.equal(projectRootAbove(deep), root);
      assert.equal(projectRootAbove(root), root);
      assert.equal(PROJECT_ROOT, projectRootAbove(path.join(PROJECT_ROOT, 'src', 'validation')));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
