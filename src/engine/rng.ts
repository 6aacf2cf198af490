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

/** A seed derived from another and a label (replication k, a sweep cell): FNV-1a, 31 bits, stable everywhere. */
export function deriveSeed(seed: number, label: string): number {
  let h = 0x811c9dc5;
  const s = `${seed}/${label}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h & 0x7fffffff;
}
