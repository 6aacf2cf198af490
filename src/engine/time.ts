/** Simulation time is whole microseconds held in a float64 (exact to 2^53 µs ≈ 285 years). */
export const SECOND = 1_000_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

export function fromSeconds(s: number): number {
  return Math.round(s * SECOND);
}

export function toSeconds(us: number): number {
  return us / SECOND;
}
