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
