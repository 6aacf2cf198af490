import { rngStream, type Rng } from '../engine/index.js';
import { TraceBuilder, type Trace, Op } from './trace.js';

/**
 * Seeded synthetic traffic: per model, a non-homogeneous Poisson process with
 * a daily shape (drawn by thinning) and lognormal request durations. Each
 * model draws from its own streams, so adding a model never changes another
 * model's requests.
 */
export interface SyntheticModel {
  model: number;
  name: string;
  /** Requests per hour at the busiest hour of the day. */
  peakPerHour: number;
  /** Hour of the day (0–24) when traffic peaks. */
  peakHour: number;
  /** Rate at the quietest hour as a share of the peak (0–1). */
  troughRatio: number;
  /** Median and 95th percentile of request duration, seconds. */
  durationMedian: number;
  durationP95: number;
}

/** Daily shape: 1 at the peak hour, troughRatio 12 h away, sharpened toward working hours. */
export function diurnal(hour: number, peakHour: number, troughRatio: number): number {
  const c = 0.5 + 0.5 * Math.cos((2 * Math.PI * (hour - peakHour)) / 24);
  return troughRatio + (1 - troughRatio) * c ** 3;
}

function arrivals(m: SyntheticModel, hours: number, rng: Rng): number[] {
  const out: number[] = [];
  const peakPerSecond = m.peakPerHour / 3600;
  const end = hours * 3600;
  let t = 0;
  for (;;) {
    t += -Math.log(1 - rng()) / peakPerSecond;
    if (t >= end) return out;
    const hour = (t / 3600) % 24;
    if (rng() < diurnal(hour, m.peakHour, m.troughRatio)) out.push(t);
  }
}

/** Lognormal with the given median and p95 (z95 = 1.6449). */
function lognormal(median: number, p95: number, rng: Rng): number {
  const sigma = Math.log(p95 / median) / 1.6448536269514722;
  const u1 = 1 - rng();
  const u2 = rng();
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return median * Math.exp(sigma * z);
}

export interface SyntheticRow {
  at: number; // seconds
  model: number;
  duration: number; // seconds
}

/** Rows for every model, merged by time (ties in model order), times rounded to ms. */
export function synthesize(models: readonly SyntheticModel[], hours: number, seed: number | string): SyntheticRow[] {
  const rows: SyntheticRow[] = [];
  for (const m of models) {
    const arr = rngStream(seed, `arrivals/${m.name}`);
    const dur = rngStream(seed, `durations/${m.name}`);
    for (const t of arrivals(m, hours, arr)) {
      rows.push({
        at: Math.round(t * 1000) / 1000,
        model: m.model,
        duration: Math.max(0.001, Math.round(lognormal(m.durationMedian, m.durationP95, dur) * 1000) / 1000),
      });
    }
  }
  return rows.sort((a, b) => a.at - b.at || a.model - b.model);
}

export function rowsToTrace(rows: readonly SyntheticRow[]): Trace {
  const b = new TraceBuilder(Math.max(16, rows.length));
  for (const r of rows) b.push(Math.round(r.at * 1e6), r.model, Math.round(r.duration * 1e6), NaN, 0, Infinity, Op.generate, null);
  return b.build();
}
