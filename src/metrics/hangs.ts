import { EVENT_NAMES, type EventSink, REASON_NAMES } from '../events/index.js';

/**
 * The spans in which the scheduler waited on a known Ollama pathology, from
 * the detector's `hang_start` / `hang_end` events (their reason names the
 * kind), for the report's timeline. Events of that name that this build does
 * not emit simply never arrive.
 */
export class HangSpans implements EventSink {
  readonly spans: { kind: string; from: number; to: number }[] = [];
  /** Open episodes: reason × 2^20 + model → start (µs). */
  private readonly open = new Map<number, number>();
  private readonly start = EVENT_NAMES.indexOf('hang_start');
  private readonly end = EVENT_NAMES.indexOf('hang_end');

  event(t: number, kind: number, model: number, _request: number, reason: number): void {
    if (kind !== this.start && kind !== this.end) return;
    // An episode is per pathology and model (the detector opens and closes them so).
    const key = reason * 2 ** 20 + model;
    if (kind === this.start) {
      if (!this.open.has(key)) this.open.set(key, t);
    } else {
      const from = this.open.get(key);
      if (from !== undefined) this.spans.push({ kind: REASON_NAMES[reason] || 'hang', from, to: t });
      this.open.delete(key);
    }
  }

  /** Spans still open at the end of the run close there (a hang that never resolved). */
  close(t: number): { kind: string; from: number; to: number }[] {
    for (const [key, from] of this.open) this.spans.push({ kind: REASON_NAMES[Math.floor(key / 2 ** 20)] || 'hang', from, to: Math.max(from, t) });
    this.open.clear();
    return this.spans.sort((a, b) => a.from - b.from);
  }
}
