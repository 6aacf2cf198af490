import type { ResolvedCandidate, ResolvedScenario } from '../config/types.js';
import { quantileSorted } from '../metrics/quantile.js';
import type { CandidateSummary } from '../metrics/index.js';
import { runScenario } from '../sim/run-scenario.js';

/**
 * The keep-alive advisor: per model, a keep_alive from its idle-gap
 * distribution, as serverless keep-alive research does (Serverless in the
 * Wild's hybrid histogram: keep warm across the 99th-percentile idle time, plus
 * a margin; field-notes §2) — then proved by simulation against 5m, -1 and 0
 * on the same trace.
 *
 * An idle gap is the time from a request's end (arrival + its work) to the
 * next arrival for the same model.
 */
export interface ModelAdvice {
  model: string;
  requests: number;
  gapP50: number; // s
  gapP99: number; // s
  /** Recommended keep_alive, s; 0 = unload at once (the model is rarely reused in time). */
  keepAlive: number;
  /** Share of gaps longer than the recommendation: the cold starts it still pays. */
  coldShare: number;
}

export interface Advice {
  models: ModelAdvice[];
  /** Advised, 5m, -1 and 0, simulated on the scenario's first candidate. */
  comparison: CandidateSummary[];
}

export interface AdviseOptions {
  /** Keep warm across this quantile of idle gaps (default 0.99). */
  quantile?: number;
  /** Margin on top of it (default 10 %). */
  margin?: number;
  /** Never recommend more than this, s (default 1 h): beyond it the model is better reloaded. */
  cap?: number;
}

export function adviseModels(sc: ResolvedScenario, opts: AdviseOptions = {}): ModelAdvice[] {
  const q = opts.quantile ?? 0.99;
  const margin = opts.margin ?? 0.1;
  const cap = opts.cap ?? 3600;
  const { trace } = sc;
  return sc.modelNames.map((model, m) => {
    const gaps: number[] = [];
    let lastEnd = NaN;
    let requests = 0;
    for (let i = 0; i < trace.length; i++) {
      if (trace.model[i] !== m) continue;
      requests++;
      const at = trace.at[i]! / 1e6;
      if (!Number.isNaN(lastEnd)) gaps.push(Math.max(0, at - lastEnd));
      lastEnd = Math.max(lastEnd || 0, at + trace.duration[i]! / 1e6);
    }
    const sorted = Float64Array.from(gaps).sort();
    const p99 = sorted.length ? quantileSorted(sorted, q) : 0;
    let keepAlive = Math.ceil((p99 * (1 + margin)) / 60) * 60;
    if (keepAlive > cap) keepAlive = cap;
    if (sorted.length === 0) keepAlive = 0;
    const colder = sorted.filter((g) => g > keepAlive).length;
    return {
      model, requests,
      gapP50: round(sorted.length ? quantileSorted(sorted, 0.5) : 0), gapP99: round(p99),
      keepAlive, coldShare: round(sorted.length ? colder / sorted.length : 0),
    };
  });
}

/** The advice, proved: the advised per-model keep_alive against the three classic settings. */
export function advise(sc: ResolvedScenario, opts: AdviseOptions = {}): Advice {
  const models = adviseModels(sc, opts);
  const base = sc.candidates[0]!;
  const variant = (name: string, env: string | null): ResolvedCandidate => ({
    ...base,
    name,
    server: env === null ? base.server : { ...base.server, OLLAMA_KEEP_ALIVE: env },
    models: base.models.map((m, i) => ({ ...m, keepAlive: env === null ? models[i]!.keepAlive * 1e6 : NaN })),
  });
  const candidates = [variant('advised per model', null), variant('keep 5m', '5m'), variant('keep forever', '-1'), variant('unload at once', '0')];
  const comparison = runScenario({ ...sc, candidates }).map((r) => r.summary);
  return { models, comparison };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
