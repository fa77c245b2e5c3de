import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSchematron } from '../../../src/validation/schematron/sef-compiler.ts';
import { loadSef, type LoadedSef } from '../../../src/validation/schematron/schematron-runner.ts';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * One SEF cache shared by every schematron test and kept between runs (under the gitignored `var/`): a cold compile
 * costs seconds per file, a cached one nothing. The cache key covers the translator version, so stale SEFs never load.
 */
export const sharedCacheDir = path.join(projectRoot, 'var', 'sef-cache');

/** Compiles a schematron given as text (written under the shared cache's `src/`) and loads its SEF. */
export async function compileText(name: string, schText: string): Promise<LoadedSef> {
  const dir = path.join(sharedCacheDir, 'src');
  mkdirSync(dir, { recursive: true });
  const schPath = path.join(dir, `${name}.sch`);
  writeFileSync(schPath, schText);
  return loadSef((await compileSchematron(schPath, sharedCacheDir)).sefPath);
}

/** Compiles a schematron file through the shared cache and loads its SEF. */
export async function compileFile(schPath: string): Promise<LoadedSef> {
  return loadSef((await compileSchematron(schPath, sharedCacheDir)).sefPath);
}
