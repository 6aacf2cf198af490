import { quantileSorted as nearestRank } from '../metrics/quantile.js';
import type { Trace } from './trace.js';

/** What `ollamasim trace stats` reports: the shape of the traffic before any simulation. */
export interface TraceStats {
  requests: number;
  span_s: number;
  mean_rate_per_s: number;
  interarrival_cv: number;
  models: ModelStats[];
}

export interface ModelStats {
  model: string;
  requests: number;
  prompt_tokens: Percentiles | null;
  output_tokens: Percentiles | null;
  duration_s: Percentiles;
  /** Share of this model's gaps between consecutive requests longer than 1m, 5m, 30m, 1h: what decides keep_alive. */
  idle_gaps: { over_1m: number; over_5m: number; over_30m: number; over_1h: number; gaps: number };
}

export interface Percentiles { p50: number; p95: number; p99: number; max: number }

export const IDLE_THRESHOLDS_S = [60, 300, 1800, 3600] as const;

export function traceStats(trace: Trace, modelNames: readonly string[]): TraceStats {
  const n = trace.length;
  const span = n ? (trace.at[n - 1]! - trace.at[0]!) / 1e6 : 0;
  let sum = 0;
  let sq = 0;
  for (let i = 1; i < n; i++) {
    const g = (trace.at[i]! - trace.at[i - 1]!) / 1e6;
    sum += g;
    sq += g * g;
  }
  const mean = n > 1 ? sum / (n - 1) : 0;
  const cv = mean > 0 ? Math.sqrt(Math.max(0, sq / (n - 1) - mean * mean)) / mean : 0;
  const models = modelNames.map((name, m) => modelStats(trace, m, name));
  return {
    requests: n,
    span_s: round(span),
    mean_rate_per_s: span > 0 ? round(n / span) : 0,
    interarrival_cv: round(cv),
    models: models.filter((s) => s.requests > 0),
  };
}

function modelStats(trace: Trace, m: number, name: string): ModelStats {
  const prompt: number[] = [];
  const output: number[] = [];
  const dur: number[] = [];
  const over = [0, 0, 0, 0];
  let gaps = 0;
  let last = NaN;
  for (let i = 0; i < trace.length; i++) {
    if (trace.model[i] !== m) continue;
    const p = trace.promptTokens?.[i];
    const o = trace.outputTokens?.[i];
    if (p !== undefined && !Number.isNaN(p)) prompt.push(p);
    if (o !== undefined && !Number.isNaN(o)) output.push(o);
    dur.push(trace.duration[i]! / 1e6);
    if (!Number.isNaN(last)) {
      const g = (trace.at[i]! - last) / 1e6;
      gaps++;
      IDLE_THRESHOLDS_S.forEach((t, k) => { if (g > t) over[k]!++; });
    }
    last = trace.at[i]!;
  }
  const share = (k: number) => (gaps ? round(over[k]! / gaps) : 0);
  return {
    model: name,
    requests: dur.length,
    prompt_tokens: prompt.length ? percentiles(prompt) : null,
    output_tokens: output.length ? percentiles(output) : null,
    duration_s: percentiles(dur),
    idle_gaps: { over_1m: share(0), over_5m: share(1), over_30m: share(2), over_1h: share(3), gaps },
  };
}

function percentiles(xs: number[]): Percentiles {
  const s = Float64Array.from(xs).sort();
  return { p50: round(nearestRank(s, 0.5)), p95: round(nearestRank(s, 0.95)), p99: round(nearestRank(s, 0.99)), max: round(s[s.length - 1] ?? 0) };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
