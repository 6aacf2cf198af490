/**
 * Memory and residency over time, per runner key, in a bounded number of time
 * buckets (so a million-request run costs the same as a small one): per bucket
 * the average bytes held, and the time the runner spent loading, loaded and
 * busy, loaded and idle. Fed by MetricsCollector, which knows each key's state.
 */
export interface OccupancySeries {
  /** Bucket width, µs, and the start of bucket 0 (always 0). */
  width: number;
  buckets: number;
  /** [bucket × keys + key]: average bytes held over the bucket. */
  bytes: Float64Array;
  /** [bucket × keys + key]: µs spent in each state within the bucket. */
  loading: Float64Array;
  busy: Float64Array;
  idle: Float64Array;
  keys: number;
}

export const KeyState = { absent: 0, loading: 1, busy: 2, idle: 3, unloading: 4 } as const;
export type KeyState = (typeof KeyState)[keyof typeof KeyState];

/** What a runner key mostly did in a bucket (busy, idle or loading), or null when it was not in memory. */
export function dominantState(o: OccupancySeries, bucket: number, key: number): 'busy' | 'idle' | 'loading' | null {
  const i = bucket * o.keys + key;
  return dominantOf(o.busy[i]!, o.idle[i]!, o.loading[i]!);
}

/** The state with the most time (busy, then idle, then loading on ties), or null when none had any. */
export function dominantOf(busy: number, idle: number, loading: number): 'busy' | 'idle' | 'loading' | null {
  if (busy <= 0 && idle <= 0 && loading <= 0) return null;
  return busy >= idle && busy >= loading ? 'busy' : idle >= loading ? 'idle' : 'loading';
}

export class Occupancy {
  readonly series: OccupancySeries;

  constructor(span: number, keys: number, buckets = 288) {
    const width = Math.max(1, Math.ceil(span / buckets));
    const n = buckets * keys;
    this.series = { width, buckets, keys, bytes: new Float64Array(n), loading: new Float64Array(n), busy: new Float64Array(n), idle: new Float64Array(n) };
  }

  /** Adds [t0, t1) of a key in `state` holding `held` bytes. */
  add(key: number, t0: number, t1: number, state: KeyState, held: number): void {
    const s = this.series;
    const end = Math.min(t1, s.width * s.buckets);
    for (let t = t0; t < end;) {
      const b = Math.floor(t / s.width);
      const next = Math.min(end, (b + 1) * s.width);
      const i = b * s.keys + key;
      const dt = next - t;
      s.bytes[i]! += (held * dt) / s.width;
      if (state === KeyState.loading) s.loading[i]! += dt;
      else if (state === KeyState.busy) s.busy[i]! += dt;
      else if (state === KeyState.idle) s.idle[i]! += dt;
      t = next;
    }
  }
}

/** Bytes held on each GPU over time, averaged per bucket (fed by the scheduler's onGpuMemory). */
export class GpuMemory {
  readonly series: { width: number; buckets: number; gpus: number; bytes: Float64Array };
  private readonly held: Float64Array;
  private readonly since: Float64Array;

  constructor(span: number, gpus: number, buckets = 288) {
    const width = Math.max(1, Math.ceil(span / buckets));
    this.series = { width, buckets, gpus, bytes: new Float64Array(buckets * gpus) };
    this.held = new Float64Array(gpus);
    this.since = new Float64Array(gpus);
  }

  set(t: number, gpu: number, bytes: number): void {
    this.flush(gpu, t);
    this.held[gpu] = bytes;
  }

  /** Closes the open interval of every GPU at t (call once at the end of the run). */
  close(t: number): void {
    for (let g = 0; g < this.held.length; g++) this.flush(g, t);
  }

  private flush(gpu: number, t: number): void {
    const s = this.series;
    const end = Math.min(t, s.width * s.buckets);
    for (let x = this.since[gpu]!; x < end;) {
      const b = Math.floor(x / s.width);
      const next = Math.min(end, (b + 1) * s.width);
      s.bytes[b * s.gpus + gpu]! += (this.held[gpu]! * (next - x)) / s.width;
      x = next;
    }
    this.since[gpu] = Math.max(this.since[gpu]!, t);
  }
}
