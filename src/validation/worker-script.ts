import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';

/** Bundles older than this are removed when a new one is written (one per edit of the sources while developing). */
const STALE_BUNDLE_MS = 24 * 60 * 60 * 1000;

/**
 * The module a validation worker runs. From compiled JavaScript, `validation-worker.js` itself. From TypeScript sources,
 * the worker's module graph bundled to JavaScript (esbuild, about 15 ms, 100 KB): a worker that loads TypeScript through
 * tsx registers its own loader-hooks thread, and the pool's peak RSS was 381-401 MB that way against 323-329 MB from
 * the bundle, same throughput (two workers, mixed corpus, official catalog, alternating runs, issue 12).
 *
 * Packages stay external (resolved from the project's node_modules, since the bundle lives under the project's var/),
 * and dynamic imports stay separate chunks, so saxon-js is still loaded only when a file falls back to it. The
 * directory is named by the bundle's content hash and each file is renamed into place, so concurrent processes that
 * build the same sources write the same files and never read a half-written one.
 */
export function validationWorkerScript(poolModuleUrl: string): URL {
  if (!poolModuleUrl.endsWith('.ts')) return new URL('./validation-worker.js', poolModuleUrl);
  const here = path.dirname(fileURLToPath(poolModuleUrl));
  const root = path.resolve(here, '..', '..', 'var', 'worker-js');
  const staging = path.join(root, 'build');
  const result = buildSync({
    entryPoints: [path.join(here, 'validation-worker.ts')],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    outdir: staging,
    outExtension: { '.js': '.mjs' },
    write: false,
    logLevel: 'silent',
  });
  const hash = createHash('sha256');
  for (const file of result.outputFiles) hash.update(path.relative(staging, file.path)).update(file.contents);
  const dir = path.join(root, hash.digest('hex').slice(0, 16));
  mkdirSync(dir, { recursive: true });
  for (const file of result.outputFiles) {
    const target = path.join(dir, path.relative(staging, file.path));
    const temporary = `${target}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, target);
  }
  removeStaleBundles(root, dir);
  return pathToFileURL(path.join(dir, 'validation-worker.mjs'));
}

function removeStaleBundles(root: string, current: string): void {
  const now = Date.now();
  for (const name of readdirSync(root)) {
    const dir = path.join(root, name);
    if (dir === current) continue;
    try {
      if (now - statSync(dir).mtimeMs > STALE_BUNDLE_MS) rmSync(dir, { recursive: true, force: true });
    } catch {
      // Another process removed it first.
    }
  }
}
