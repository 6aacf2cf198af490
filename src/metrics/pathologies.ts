import { EventKind, Reason } from '../events/index.js';
import { PATHOLOGIES } from '../ollama/index.js';

/** One pathology's toll on a candidate (summary.json `pathologies`). */
export interface PathologySummary {
  /** `resurrection`, `reload_starvation` or `head_of_line`. */
  kind: string;
  /** Requests the scheduler held while it waited on it (each counted once). */
  requests: number;
  /** Seconds the scheduler spent waiting on it (hang_start → hang_end, summed over episodes). */
  wait_s: number;
  /** The Ollama issue that describes it, e.g. `ollama#17408`. */
  issue: string;
}

/**
 * Folds hang_start / hang_end events (src/ollama/pathologies.ts) into the
 * summary's `pathologies`: only those that happened, in a fixed order.
 */
export class PathologyTally {
  private readonly open = new Map<number, number>(); // reason × 2^20 + model → start (µs)
  private readonly requests = new Float64Array(PATHOLOGIES.length);
  /** Episodes per pathology as [start, end] pairs (µs), clipped to the traffic window when summed. */
  private readonly spans: number[][] = PATHOLOGIES.map(() => []);
  private readonly seen = new Uint8Array(PATHOLOGIES.length);

  constructor(private readonly from = 0) {}

  event(t: number, kind: EventKind, model: number, reason: Reason, value: number): void {
    const key = reason * 2 ** 20 + model;
    if (kind === EventKind.hang_start) {
      this.open.set(key, t);
      return;
    }
    const start = this.open.get(key);
    this.open.delete(key);
    const k = reason - PATHOLOGIES[0].reason; // their reasons are consecutive
    if (start === undefined || k < 0 || k >= PATHOLOGIES.length || t < this.from) return;
    this.seen[k] = 1;
    this.requests[k]! += value;
    this.spans[k]!.push(Math.max(start, this.from), t);
  }

  /**
   * `windowEnd`: the traffic window's end (last arrival or answer), so a hang
   * that never ends is charged until the traffic stops, not until a stray timer.
   */
  summary(windowEnd: number): PathologySummary[] {
    return PATHOLOGIES.flatMap((p, k) => {
      if (!this.seen[k]) return [];
      const spans = this.spans[k]!;
      let wait = 0;
      for (let i = 0; i < spans.length; i += 2) wait += Math.max(0, Math.min(spans[i + 1]!, windowEnd) - spans[i]!);
      return [{ kind: p.kind, requests: this.requests[k]!, wait_s: Math.round(wait) / 1e6, issue: p.issue }];
    });
  }
}
