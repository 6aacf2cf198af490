import seedrandom from 'seedrandom';

/**
 * One seeded random stream per subsystem (as BLIS's PartitionedRNG): adding draws
 * in one subsystem never shifts the numbers another one sees.
 */
export type Rng = () => number;

export function rngStream(seed: number | string, subsystem: string): Rng {
  const gen = seedrandom.xor4096(`${seed}/${subsystem}`);
  return () => gen.double();
}

/** FNV-1a, 32 bits: a stable hash of a string, the same on every run and platform. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A seed derived from another and a label (replication k, a sweep cell), 31 bits. */
export function deriveSeed(seed: number, label: string): number {
  return fnv1a(`${seed}/${label}`) & 0x7fffffff;
}
