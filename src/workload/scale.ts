import { rngStream } from '../engine/index.js';
import { keepAliveOf, numCtxOf, opOf, timeoutOf, TraceBuilder, type Trace } from './trace.js';

/**
 * The same traffic at `k` times its rate, keeping its shape in time: below 1
 * each request is kept with probability k; above 1 each is kept and repeated
 * floor(k) − 1 times (one more with probability k − floor(k)), the copies
 * landing at seeded times between it and the next arrival, so order holds.
 * Every request draws one uniform u from the same stream whatever k is, and is
 * sent floor(k) + [u < k − floor(k)] times (k < 1: [u < k]): so a larger k never
 * sends a request fewer times, and a sweep over rate_scale compares like with like.
 */
export function scaleTrace(t: Trace, k: number, seed: number): Trace {
  if (k === 1) return t;
  const pick = rngStream(seed, 'workload/rate_scale');
  const rng = rngStream(seed, 'workload/rate_scale/times');
  const b = new TraceBuilder(Math.max(16, Math.ceil(t.length * k * 1.1)));
  // A copy keeps everything but its time and id: token counts too, so each candidate's host times it.
  const push = (i: number, at: number) => {
    b.push(at, t.model[i]!, t.duration[i]!, keepAliveOf(t, i), numCtxOf(t, i), timeoutOf(t, i), opOf(t, i), null);
    if (t.promptTokens) b.tokens(t.promptTokens[i]!, t.outputTokens![i]!);
    if (t.fromTokens?.[i]) b.fromTokens();
  };
  for (let i = 0; i < t.length; i++) {
    const at = t.at[i]!;
    const u = pick();
    if (k < 1) {
      if (u < k) push(i, at);
      continue;
    }
    push(i, at);
    const next = i + 1 < t.length ? t.at[i + 1]! : at;
    const copies = Math.floor(k) - 1 + (u < k - Math.floor(k) ? 1 : 0);
    const times = Array.from({ length: copies }, () => at + Math.floor(rng() * (next - at))).sort((x, y) => x - y);
    for (const c of times) push(i, c);
  }
  return b.build();
}
