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
