import type { CandidateSummary } from '../metrics/index.js';
import { OTHER, timeUnit, type TimeUnit } from './style.js';

/**
 * What every chart of one report shares, decided once: the candidates in
 * their order, the models in `models:` order, the top N of them by resident
 * GiB·h over all candidates (the rest fold into "other"), the time unit and
 * the capacity line.
 */
export interface ReportView {
  candidates: string[];
  /** Every model, in `models:` order (colours follow it). */
  models: string[];
  /** The top models, in `models:` order. */
  shown: string[];
  /** Models folded into "other" (0: no "other"). */
  folded: number;
  /** The series of a by-model chart: the shown models, then "other" when some are folded. */
  series: string[];
  time: TimeUnit;
  /** Per candidate, the capacity line, GiB: a fleet's is every host's memory together. */
  capacityGiB: number[];
  /** Per candidate, GiB other processes hold at the start (a fleet's: every host's); 0 = none. */
  reservedGiB: number[];
  /** The most hosts any candidate has (1: no fleet). */
  hosts: number;
}

export const DEFAULT_TOP = 8;

export interface ViewInput {
  summaries: readonly CandidateSummary[];
  models: readonly string[];
  top?: number;
  /** The top models when the report already chose them (a sweep's over-time charts use the sweep's). */
  shown?: readonly string[];
  spanUs: number;
  /** Per candidate: GPU memory of one host, and hosts (default 1). */
  capacityBytes: readonly number[];
  hosts?: readonly number[];
  /** Per candidate: bytes other processes hold on one host at the start. */
  reservedBytes?: readonly number[];
}

export function reportView(v: ViewInput): ReportView {
  const top = Math.max(1, v.top ?? DEFAULT_TOP);
  const shown = v.shown ? v.models.filter((m) => v.shown!.includes(m)) : topModels(v.summaries, v.models, top);
  const folded = v.models.length - shown.length;
  return {
    candidates: v.summaries.map((s) => s.candidate),
    models: [...v.models],
    shown,
    folded,
    series: folded > 0 ? [...shown, OTHER] : shown,
    time: timeUnit(v.spanUs),
    capacityGiB: v.capacityBytes.map((b, i) => (b * (v.hosts?.[i] ?? 1)) / 2 ** 30),
    reservedGiB: v.capacityBytes.map((_, i) => ((v.reservedBytes?.[i] ?? 0) * (v.hosts?.[i] ?? 1)) / 2 ** 30),
    hosts: Math.max(1, ...(v.hosts ?? [])),
  };
}

/** The `top` models by resident GiB·h summed over the candidates (ties: `models:` order), returned in `models:` order. */
export function topModels(summaries: readonly CandidateSummary[], models: readonly string[], top: number): string[] {
  if (models.length <= top) return [...models];
  const weight = (m: string) => summaries.reduce((a, s) => a + (s.models?.[m]?.resident_gib_hours ?? 0) + 1e-9 * (s.models?.[m]?.requests ?? 0), 0);
  const ranked = models.map((m, i) => ({ m, i, w: weight(m) })).sort((a, b) => b.w - a.w || a.i - b.i).slice(0, top);
  return ranked.sort((a, b) => a.i - b.i).map((r) => r.m);
}

/** The series a model is charted as: itself when shown, else "other". */
export function seriesOf(view: ReportView, model: string): string {
  return view.shown.includes(model) ? model : OTHER;
}
