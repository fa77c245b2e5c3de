/** Figures the benchmarks print: the nearest-rank percentile of unsorted samples, and milliseconds to one decimal. */
export const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;

export const ms = (x: number): string => x.toFixed(1);
