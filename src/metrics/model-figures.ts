import { Status } from '../events/index.js';
import type { Req } from '../ollama/index.js';

/** One model's counters and per-request values (fleet hosts folded together). */
export interface ModelFigures {
  requests: number;
  ok: number;
  cold: number;
  loads: number;
  evictions: number;
  latencies: Floats;
  ttfts: Floats;
  /** end − start of successful requests: the work itself. */
  services: Floats;
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
    requests: 0, ok: 0, cold: 0, loads: 0, evictions: 0, latencies: new Floats(),
    ttfts: new Floats(), services: new Floats(), reloads: 0, rejected503: 0, rejected400: 0, failed500: 0, cancelled: 0, stuck: 0,
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

/** A growable list of float64s (one per successful request), doubling as needed. */
export class Floats {
  private data = new Float64Array(1024);
  private n = 0;

  push(x: number): void {
    if (this.n === this.data.length) {
      const bigger = new Float64Array(this.n * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.n++] = x;
  }

  /** The values so far (a view). */
  values(): Float64Array {
    return this.data.subarray(0, this.n);
  }
}
