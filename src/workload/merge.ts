import { keepAliveOf, numCtxOf, opOf, timeoutOf, TraceBuilder, type Trace } from './trace.js';

/**
 * Merges traces (each in time order) into one by arrival time; at equal times
 * the earlier trace in the list goes first, so the result is deterministic.
 */
export function mergeTraces(traces: readonly Trace[]): Trace {
  if (traces.length === 1) return traces[0]!;
  const total = traces.reduce((a, t) => a + t.length, 0);
  const b = new TraceBuilder(Math.max(16, total));
  const pos = traces.map(() => 0);
  for (let n = 0; n < total; n++) {
    let best = -1;
    for (let k = 0; k < traces.length; k++) {
      if (pos[k]! < traces[k]!.length && (best < 0 || traces[k]!.at[pos[k]!]! < traces[best]!.at[pos[best]!]!)) best = k;
    }
    const t = traces[best]!;
    const i = pos[best]!++;
    b.push(t.at[i]!, t.model[i]!, t.duration[i]!, keepAliveOf(t, i), numCtxOf(t, i), timeoutOf(t, i), opOf(t, i), t.ids?.[i] ?? null);
    b.tokens(t.promptTokens?.[i] ?? NaN, t.outputTokens?.[i] ?? NaN);
    if (t.fromTokens?.[i]) b.fromTokens();
  }
  return b.build();
}
