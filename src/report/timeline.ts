import { dominantState } from '../metrics/occupancy.js';
import type { ChartInput } from './charts.js';

/**
 * timeline.json in Chrome trace format (opens in Perfetto or chrome://tracing):
 * one process per candidate, one thread per model, and a slice for each run of
 * time slices in which the model was mostly busy, idle or loading, and a
 * "scheduler stalled" thread with the hang_start/hang_end spans.
 */
export function chromeTrace(runs: ChartInput[]): { traceEvents: Record<string, unknown>[]; displayTimeUnit: string } {
  const events: Record<string, unknown>[] = [];
  runs.forEach((r, pid) => {
    events.push({ name: 'process_name', ph: 'M', pid, args: { name: r.candidate } });
    const o = r.occupancy;
    for (let k = 0; k < o.keys; k++) {
      events.push({ name: 'thread_name', ph: 'M', pid, tid: k, args: { name: r.keyNames[k] } });
      let open: { state: string; from: number } | null = null;
      const close = (to: number) => {
        if (open) events.push({ name: open.state, cat: r.keyNames[k], ph: 'X', pid, tid: k, ts: open.from, dur: to - open.from });
        open = null;
      };
      for (let b = 0; b < o.buckets; b++) {
        const s = dominantState(o, b, k);
        if (open && open.state !== s) close(b * o.width);
        if (s && !open) open = { state: s, from: b * o.width };
      }
      close(o.buckets * o.width);
    }
    // The scheduler's stalls on a known Ollama pathology, on a thread of their own.
    if (r.hangs?.length) {
      const tid = o.keys;
      events.push({ name: 'thread_name', ph: 'M', pid, tid, args: { name: 'scheduler stalled (pathology)' } });
      for (const h of r.hangs) events.push({ name: h.kind, cat: 'pathology', ph: 'X', pid, tid, ts: h.from, dur: Math.max(0, h.to - h.from) });
    }
  });
  return { traceEvents: events, displayTimeUnit: 'ms' };
}
