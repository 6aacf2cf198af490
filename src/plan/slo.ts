import type { Estimate } from './confidence.js';

/**
 * Service-level objectives: `p95<=3s`, `p99<=10s`, `ttft_p99<=10s`,
 * `failures<=0.1%`, `cold<=5%`, and per model `p95[llama3.1:8b]<=3s`, `cold[qwen2.5:14b]<=10%`. A configuration meets one with 95 % confidence
 * when the upper end of the figure's 95 % interval is within it.
 */
export interface Slo {
  text: string;
  /** A summary figure, or `models.NAME.figure` for one model (`p95[llama3.1:8b]<=3s`). */
  figure: string;
  limit: number;
}

const FIGURES: Record<string, string> = {
  p50: 'latency_p50_s', p95: 'latency_p95_s', p99: 'latency_p99_s',
  ttft_p50: 'ttft_p50_s', ttft_p95: 'ttft_p95_s', ttft_p99: 'ttft_p99_s',
  failures: 'failure_share', cold: 'cold_share',
};
export const SLO_NAMES = Object.keys(FIGURES);

export function parseSlo(text: string): Slo | null {
  const m = /^\s*([a-z0-9_]+)(?:\[([^\]]+)\])?\s*<=\s*([\d.]+)\s*(ms|s|m|%)?\s*$/.exec(text);
  if (!m) return null;
  const base = FIGURES[m[1]!];
  if (!base) return null;
  const model = m[2];
  // Per model: latency quantiles and the cold share (the summary's per-model figures).
  if (model !== undefined && !['latency_p50_s', 'latency_p95_s', 'latency_p99_s', 'cold_share'].includes(base)) return null;
  const figure = model === undefined ? base : `models.${model}.${base}`;
  let limit = Number(m[3]);
  const unit = m[4];
  const share = base === 'failure_share' || base === 'cold_share';
  if (share) {
    if (unit !== '%') return null;
    limit /= 100;
  } else if (unit === 'ms') limit /= 1000;
  else if (unit === 'm') limit *= 60;
  else if (unit === '%') return null;
  return { text: text.trim(), figure, limit };
}

/** Every objective a configuration breaks, in the order given (empty when it meets them all). */
export function brokenAll(slos: readonly Slo[], estimates: Record<string, Estimate>): Slo[] {
  return slos.filter((s) => {
    const e = estimates[s.figure];
    // No successful request at all: every latency objective is broken.
    return !e || Number.isNaN(e.mean) || e.mean + e.ci95 > s.limit;
  });
}

/** The first objective a configuration breaks, or null when it meets them all. */
export function broken(slos: readonly Slo[], estimates: Record<string, Estimate>): Slo | null {
  return brokenAll(slos, estimates)[0] ?? null;
}
