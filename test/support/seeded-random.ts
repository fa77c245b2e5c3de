/**
 * A small deterministic generator (mulberry32) for generated test inputs: a failing case is reproduced from its seed
 * alone, on any machine and Node version (Math.random() cannot be seeded).
 */
export type Random = () => number;

/** A generator of numbers in [0, 1) determined by `seed`. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One item of a non-empty list, drawn from `next`. */
export function pick<T>(next: Random, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick() from an empty list');
  return items[Math.floor(next() * items.length)] as T;
}
