import { Status } from '../events/index.js';
import type { Req } from '../ollama/index.js';
import { quantilesInPlace } from './quantile.js';

/**
 * One model's counters (fleet hosts folded together). Its requests' latencies,
 * TTFTs and service times live once, in the candidate's lists, tagged with the
 * model (MetricsCollector.modelQuantiles): a second copy per model doubled the
 * memory of a ten-million-request run.
 */
export interface ModelFigures {
  requests: number;
  ok: number;
  cold: number;
  loads: number;
  evictions: number;
  reloads: number;
  rejected503: number;
  rejected400: number;
  failed500: number;
  cancelled: number;
  stuck: number;
}

export type FailureCounts = Pick<ModelFigures, 'rejected503' | 'rejected400' | 'failed500' | 'cancelled' | 'stuck'>;

export function newModelFigures(): ModelFigures {
  return {
    requests: 0, ok: 0, cold: 0, loads: 0, evictions: 0, reloads: 0, rejected503: 0, rejected400: 0, failed500: 0, cancelled: 0, stuck: 0,
  };
}

/** A failed request, by its answer (the candidate's counts and the model's). */
export function countFailure(c: FailureCounts, r: Req): void {
  switch (r.status) {
    case Status.rejected:
      if (r.http === 400) c.rejected400++;
      else c.rejected503++;
      break;
    case Status.failed: c.failed500++; break;
    case Status.cancelled: c.cancelled++; break;
    case Status.stuck: c.stuck++; break;
    default: throw new Error(`metrics: request ${r.index} retired while still pending`);
  }
}

/**
 * A growable list of float64s (one per successful request): sized up front
 * when the count is known (reserve), else doubling. Untouched reserved pages
 * cost no resident memory.
 */
export class Floats {
  private data: Float64Array;
  private n = 0;

  constructor(capacity = 1024) {
    this.data = new Float64Array(Math.max(16, capacity));
  }

  push(x: number): void {
    if (this.n === this.data.length) this.grow(this.n * 2);
    this.data[this.n++] = x;
  }

  /** Room for `capacity` values in all without another copy. */
  reserve(capacity: number): void {
    if (capacity > this.data.length) this.grow(capacity);
  }

  /** The values so far (a view). */
  values(): Float64Array {
    return this.data.subarray(0, this.n);
  }

  private grow(capacity: number): void {
    const bigger = new Float64Array(capacity);
    bigger.set(this.data.subarray(0, this.n));
    this.data = bigger;
  }
}

/**
 * A growable list of small whole numbers (model indexes), two bytes each up to
 * 65 535, else four. Floats' twin on purpose: one class per element type keeps
 * each push, made for every successful request, monomorphic.
 */
export class Tags {
  private data: Uint16Array | Uint32Array;
  private n = 0;

  constructor(private readonly wide: boolean, capacity = 1024) {
    this.data = this.make(Math.max(16, capacity));
  }

  push(x: number): void {
    if (this.n === this.data.length) this.grow(this.n * 2);
    this.data[this.n++] = x;
  }

  reserve(capacity: number): void {
    if (capacity > this.data.length) this.grow(capacity);
  }

  values(): Uint16Array | Uint32Array {
    return this.data.subarray(0, this.n);
  }

  private make(n: number): Uint16Array | Uint32Array {
    return this.wide ? new Uint32Array(n) : new Uint16Array(n);
  }

  private grow(capacity: number): void {
    const bigger = this.make(capacity);
    bigger.set(this.data.subarray(0, this.n));
    this.data = bigger;
  }
}

/**
 * Quantiles `ps` of each group of `values`, the group of value i being
 * tags[i] (0 … groups − 1): one pass places the values group by group in
 * `scratch`, then each group's quantiles are found in place. `values` is
 * left as it was.
 */
export function groupQuantiles(values: Float64Array, tags: ArrayLike<number>, groups: number, ps: readonly number[], scratch: Float64Array): number[][] {
  const start = new Float64Array(groups + 1);
  for (let i = 0; i < values.length; i++) start[tags[i]! + 1]!++;
  for (let g = 0; g < groups; g++) start[g + 1]! += start[g]!;
  const at = start.slice(0, groups);
  for (let i = 0; i < values.length; i++) scratch[at[tags[i]!]!++] = values[i]!;
  return Array.from({ length: groups }, (_, g) => quantilesInPlace(scratch.subarray(start[g]!, start[g + 1]!), ps));
}
