import type { Rng } from '../engine/index.js';

/**
 * Seeded draws for synthetic traffic: inter-arrival processes, daily shapes
 * and length distributions. Each takes the Rng it draws from, so callers
 * decide which stream (one per model and purpose) pays for which draw.
 */
export function exponential(rng: Rng, mean: number): number {
  return -Math.log(1 - rng()) * mean;
}

export function standardNormal(rng: Rng): number {
  const u1 = 1 - rng();
  const u2 = rng();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Gamma(shape k, scale 1): Marsaglia–Tsang, with the u^(1/k) boost for k < 1. */
export function gamma(rng: Rng, k: number): number {
  if (k < 1) return gamma(rng, k + 1) * (1 - rng()) ** (1 / k);
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = standardNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** A request length or size: fixed, uniform [lo, hi], or lognormal by median and p95. */
export type Distribution = { fixed: number } | { uniform: [number, number] } | { median: number; p95: number };

const Z95 = 1.6448536269514722;

export function draw(rng: Rng, d: Distribution): number {
  if ('fixed' in d) return d.fixed;
  if ('uniform' in d) return d.uniform[0] + rng() * (d.uniform[1] - d.uniform[0]);
  const sigma = Math.log(d.p95 / d.median) / Z95;
  return d.median * Math.exp(sigma * standardNormal(rng));
}

/** How arrivals cluster at a constant rate: Poisson, a gamma renewal process with a CV, or on/off bursts. */
export type Process = { kind: 'poisson' } | { kind: 'gamma'; cv: number } | { kind: 'onoff'; on: number; off: number };

/**
 * Arrival times (s) in [0, end) of a process with mean rate `rate` (/s) whose
 * intensity follows `shape(t)` ∈ [0, 1]: the process runs at rate / mean(shape)
 * and each arrival is kept with probability shape(t) (thinning).
 */
export function arrivals(rng: Rng, process: Process, rate: number, end: number, shape: (t: number) => number, meanShape: number): number[] {
  const peak = rate / meanShape;
  const out: number[] = [];
  let t = 0;
  const keep = (x: number) => { if (shape(x) >= 1 || rng() < shape(x)) out.push(x); };
  if (process.kind === 'onoff') {
    // Exponential on and off periods with the given means; all traffic falls in on periods.
    const onRate = (peak * (process.on + process.off)) / process.on;
    let onEnd = exponential(rng, process.on);
    while (t < end) {
      t += exponential(rng, 1 / onRate);
      while (t >= onEnd && t < end) {
        const offEnd = onEnd + exponential(rng, process.off);
        t = offEnd + (t - onEnd);
        onEnd = offEnd + exponential(rng, process.on);
      }
      if (t < end) keep(t);
    }
    return out;
  }
  const k = process.kind === 'gamma' ? 1 / (process.cv * process.cv) : 1;
  for (;;) {
    t += process.kind === 'gamma' ? gamma(rng, k) / (k * peak) : exponential(rng, 1 / peak);
    if (t >= end) return out;
    keep(t);
  }
}

/** Daily shape from a 24-value profile (requests per hour, any scale): piecewise constant per hour. */
export function profileShape(profile: readonly number[]): { shape: (t: number) => number; mean: number } {
  const max = Math.max(...profile);
  const norm = profile.map((v) => v / max);
  return { shape: (t) => norm[Math.floor(t / 3600) % 24]!, mean: norm.reduce((a, b) => a + b, 0) / 24 };
}
