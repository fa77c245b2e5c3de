import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { schematronToXslt, TRANSLATOR_VERSION } from './sch-to-xslt.js';

/** A schematron file compiled to a SaxonJS Stylesheet Export File (SEF) on disk. */
export interface CompiledSchematron {
  readonly schPath: string;
  /** SHA-256 of the translator version and the .sch content: the cache key. */
  readonly hash: string;
  readonly sefPath: string;
  /** True when the SEF was already in the cache and nothing was compiled. */
  readonly fromCache: boolean;
}

/**
 * The XSLT -> SEF compiler is the `xslt3` package's XX compiler. The package offers only a command line (no exported
 * API), so it runs as a child process: this also keeps its large heap out of the server process and lets two files
 * compile in parallel on two cores. Cold compile costs 4-10 s per official file. See: performance notes, "Schematron".
 */
const XSLT3_CLI = createRequire(import.meta.url).resolve('xslt3');

function runXslt3(xslPath: string, sefPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [XSLT3_CLI, `-xsl:${xslPath}`, `-export:${sefPath}`, '-nogo', '-relocate:on'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0 && existsSync(sefPath)) resolve();
      else reject(new Error(`xslt3 failed on ${xslPath} (exit ${code}): ${stderr.trim()}`));
    });
  });
}

/** The cache key: a new translator version invalidates every cached SEF, as does any byte change in the .sch. */
export function schematronHash(schText: string): string {
  return createHash('sha256').update(`sch-to-xslt/${TRANSLATOR_VERSION}\n`).update(schText).digest('hex');
}

function cachedSefPath(cacheDir: string, hash: string): string {
  return path.join(cacheDir, `${hash}.sef.json`);
}

/** True when the SEF of this file's current content is already in `cacheDir`. */
async function isCached(schPath: string, cacheDir: string): Promise<boolean> {
  return existsSync(cachedSefPath(cacheDir, schematronHash(await readFile(schPath, 'utf8'))));
}

/**
 * Translates and compiles one schematron, or returns the cached SEF from `cacheDir` when the same content was compiled
 * before (so a restart costs no compile). The SEF is written under a temporary name and renamed, so a crash or a
 * concurrent compile never leaves a truncated file under the cache key.
 */
export async function compileSchematron(schPath: string, cacheDir: string): Promise<CompiledSchematron> {
  const schText = await readFile(schPath, 'utf8');
  const hash = schematronHash(schText);
  const sefPath = cachedSefPath(cacheDir, hash);
  if (existsSync(sefPath)) return { schPath, hash, sefPath, fromCache: true };

  await mkdir(cacheDir, { recursive: true });
  const unique = `${process.pid}-${Math.random().toString(16).slice(2)}`;
  // The XSLT is kept next to the SEF: it is small and is what one reads to debug a rule.
  const xslPath = path.join(cacheDir, `${hash}.xsl`);
  const tmpXsl = `${xslPath}.${unique}.tmp`;
  const tmpSef = path.join(cacheDir, `${hash}.${unique}.tmp.json`);
  try {
    await writeFile(tmpXsl, schematronToXslt(schText));
    await rename(tmpXsl, xslPath);
    await runXslt3(xslPath, tmpSef);
    await rename(tmpSef, sefPath);
  } finally {
    await rm(tmpXsl, { force: true });
    await rm(tmpSef, { force: true });
  }
  return { schPath, hash, sefPath, fromCache: false };
}

/**
 * What a catalog compile is doing, for the CLI and the start-up log: a cold compile is minutes of silence otherwise.
 * `plan` comes first and only when something is not cached; then one `compiled` per file, in completion order, so
 * `done` counts 1..`total` (the files to compile; cached files cost nothing and are not reported one by one).
 */
export type CompileProgress =
  | { readonly kind: 'plan'; readonly total: number; readonly cached: number }
  | { readonly kind: 'compiled'; readonly done: number; readonly total: number; readonly schPath: string; readonly ms: number };

/** The line printed for a progress event, e.g. `compiling schematron 3 of 22: schematron_PSS_v4.0.sch (7.9 s)`. */
export function formatCompileProgress(event: CompileProgress): string {
  if (event.kind === 'plan') {
    return `schematron: ${event.total} of ${event.total + event.cached} file(s) not in the SEF cache, compiling (5-10 s each)`;
  }
  return `compiling schematron ${event.done} of ${event.total}: ${path.basename(event.schPath)} (${(event.ms / 1000).toFixed(1)} s)`;
}

/**
 * Compiles several files with at most `concurrency` compiler processes at once; results keep the input order.
 * `onProgress` hears the plan and each file compiled (see {@link CompileProgress}).
 */
export async function compileAll(
  schPaths: readonly string[],
  cacheDir: string,
  concurrency = 2,
  onProgress?: (event: CompileProgress) => void,
): Promise<CompiledSchematron[]> {
  const results: CompiledSchematron[] = new Array<CompiledSchematron>(schPaths.length);
  const cached = await Promise.all(schPaths.map((p) => isCached(p, cacheDir)));
  const total = cached.filter((c) => !c).length;
  if (total > 0) onProgress?.({ kind: 'plan', total, cached: schPaths.length - total });
  let next = 0;
  let done = 0;
  const lane = async (): Promise<void> => {
    while (next < schPaths.length) {
      const index = next;
      next += 1;
      const started = Date.now();
      const result = await compileSchematron(schPaths[index] as string, cacheDir);
      results[index] = result;
      // A file another process compiled meanwhile came from the cache: it is not reported, so `done` may stop short.
      if (!result.fromCache) {
        done += 1;
        onProgress?.({ kind: 'compiled', done, total, schPath: result.schPath, ms: Date.now() - started });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, schPaths.length)) }, lane));
  return results;
}
