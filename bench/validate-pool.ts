/**
 * The pool half of `npm run bench:validate`: throughput of a worker pool on the mixed corpus, with the process's peak
 * RSS while it ran (sampled, since `maxRSS` only grows) and each worker's own memory.
 */
import { performance } from 'node:perf_hooks';
import type { EngineSetup } from '../src/validation/cda-validator.js';
import { createValidationPool, type PoolOptions } from '../src/validation/validation-pool.js';
import { ms, pct } from './stats.js';

export interface PoolFigures {
  readonly threads: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  /** Highest RSS sampled while the pool started and ran, MB. */
  readonly peakRssMb: number;
  /** Per worker: V8 heap used and external (wasm, buffers) MB, after the run. */
  readonly workers: readonly { readonly heapMb: number; readonly externalMb: number }[];
}

const mb = (bytes: number) => bytes / 2 ** 20;

/** Runs the mixed corpus for `seconds` on a pool of `threads` threads, `threads * 4` validations in flight. */
export async function runPool(setup: EngineSetup, threads: number, docs: readonly string[], seconds: number, options: PoolOptions): Promise<PoolFigures> {
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 20);
  const pool = createValidationPool(setup, threads, options);
  try {
    // Warm-up, five passes: one left the workers' JIT cold for the first seconds (measured 382-435/s against 479-485/s).
    for (let pass = 0; pass < 5; pass++) await Promise.all(docs.map((d) => pool.validate(d)));
    const latencies: number[] = [];
    const inFlight = threads * 4;
    const end = performance.now() + seconds * 1000;
    const lane = async (k: number) => {
      for (let i = k; performance.now() < end; i += inFlight) {
        const t = performance.now();
        await pool.validate(docs[i % docs.length] as string);
        latencies.push(performance.now() - t);
      }
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: inFlight }, (_, k) => lane(k)));
    const elapsed = (performance.now() - t0) / 1000;
    const workers = (await pool.threadMemory()).map((m) => ({ heapMb: mb(m.heapUsed), externalMb: mb(m.external) }));
    peak = Math.max(peak, process.memoryUsage.rss());
    return { threads, perSecond: latencies.length / elapsed, p50: pct(latencies, 50), p99: pct(latencies, 99), peakRssMb: mb(peak), workers };
  } finally {
    clearInterval(sampler);
    await pool.close();
  }
}

/** One markdown row of a pool run. */
export function poolRow(f: PoolFigures): string {
  const workers = f.workers.map((w) => `${ms(w.heapMb)}+${ms(w.externalMb)}`).join(', ');
  return `| ${f.threads} | ${ms(f.perSecond)} | ${ms(f.p50)} | ${ms(f.p99)} | ${ms(f.peakRssMb)} | ${workers} |`;
}
