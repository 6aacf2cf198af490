import type { ObservedDocument, RecordedRequest } from '../record/recorder.js';
import { fitLine, spread, type Spread } from './stats.js';

/**
 * What a recording says about each model's hardware, read from Ollama's own
 * metric fields (api/types.go Metrics, in ns) and from /api/ps:
 * - load time: `load_duration` of the requests that waited on a load, the first
 *   load of a model (cold: from disk) apart from later ones (warm: the weights
 *   are in the page cache, so a reload is faster);
 * - prefill and decode rates: prompt_eval_count ÷ prompt_eval_duration and
 *   eval_count ÷ eval_duration of requests that ran alone (no other request of
 *   the same model in flight), so NUM_PARALLEL's sharing does not slow them;
 * - the NUM_PARALLEL slowdown, where requests did overlap: per-stream decode
 *   rate ∝ streams^−α, α fitted on log-log;
 * - the real footprint: /api/ps `size_vram` (and `size`, which exceeds it when
 *   layers sit on the CPU) against Ollama's estimate where the scenario knows it.
 */
export interface ModelCalibration {
  model: string;
  requests: number;
  /** Seconds of the load itself (an eviction's wait taken out): the first load (cold), and later ones (warm, page cache). */
  coldLoad: Spread | null;
  warmLoad: Spread | null;
  /** load_duration of loads that first waited for another model's eviction, as reported (seconds). */
  afterEviction: Spread | null;
  /** Tokens per second, single stream. */
  prefill: Spread | null;
  decode: Spread | null;
  /** Requests that ran alone (used for the rates) and that overlapped others. */
  alone: number;
  overlapped: number;
  /** Per-stream decode slowdown exponent α (rate ∝ streams^−α), where overlaps were seen. */
  parallelExponent: number | null;
  /** Bytes, as /api/ps last showed them; null when never seen loaded. */
  sizeVram: number | null;
  size: number | null;
  contextLength: number | null;
}

export interface Calibration {
  requests: number;
  /**
   * U, seconds from an unload to its VRAM being back (the host's `unload:`):
   * how much longer a load takes when it must first wait for an eviction than
   * one onto free memory. Null when the recording has no load of either kind.
   */
  unload: number | null;
  /** Requests with an answer that carried Ollama's metric fields. */
  measured: number;
  version: string | null;
  pollEvery: number;
  models: ModelCalibration[];
}

/** A request that waited on a load: its load_duration is above this (seconds). Ollama reports a few ms even for a warm model. */
export const LOAD_THRESHOLD_S = 0;

const ns = (v: number | undefined) => (v === undefined ? NaN : v / 1e9);

export function calibrate(requests: readonly RecordedRequest[], observed: ObservedDocument | null, loadAbove = LOAD_THRESHOLD_S): Calibration {
  const byModel = new Map<string, RecordedRequest[]>();
  for (const r of requests) {
    if (!r.model || r.op === 'other') continue;
    let list = byModel.get(r.model);
    if (!list) byModel.set(r.model, (list = []));
    list.push(r);
  }
  const evicting = new Set(requests.filter((r) => (r.response.load_duration ?? 0) / 1e9 > loadAbove && othersResident(r, requests, observed)).map((r) => r.id));
  const loadsOf = (rs: RecordedRequest[], after: boolean) => rs.filter((r) => r.status === 200 && ns(r.response.load_duration) > loadAbove && evicting.has(r.id) === after);
  // U: per model, the median load after an eviction minus the median onto free memory; their median over models.
  const gaps = [...byModel.values()].map((rs) => {
    const free = spread(loadsOf(rs, false).map((r) => ns(r.response.load_duration)));
    const after = spread(loadsOf(rs, true).map((r) => ns(r.response.load_duration)));
    return free && after ? after.median - free.median : NaN;
  }).filter((g) => Number.isFinite(g));
  const unload = gaps.length ? Math.max(0, spread(gaps)!.median) : null;
  const models = [...byModel.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([model, rs]) => one(model, rs, observed, loadAbove, evicting, unload ?? 0));
  return {
    requests: requests.length,
    unload,
    measured: requests.filter((r) => r.status === 200 && r.response.total_duration !== undefined).length,
    version: observed?.version ?? null,
    pollEvery: observed?.poll_every_s ?? 0,
    models,
  };
}

function one(model: string, rs: RecordedRequest[], observed: ObservedDocument | null, loadAbove: number, evicting: Set<number>, unload: number): ModelCalibration {
  const ok = rs.filter((r) => r.status === 200).sort((a, b) => a.at - b.at);
  // Loads, in the order they happened, less the eviction they waited for: the first is cold
  // (unless the model was resident when recording began), the rest warm.
  const loaded = ok.filter((r) => ns(r.response.load_duration) > loadAbove);
  const loads = loaded.map((r) => ns(r.response.load_duration) - (evicting.has(r.id) ? unload : 0));
  const residentAtStart = observed?.residency.find((e) => e.model === model)?.event === 'unloaded';
  const cold = residentAtStart ? [] : loads.slice(0, 1);
  const warm = residentAtStart ? loads : loads.slice(1);
  const streams = ok.map((r) => concurrent(r, ok));
  const alone = ok.filter((_, i) => streams[i] === 1);
  const rate = (rs2: RecordedRequest[], count: 'prompt_eval_count' | 'eval_count', dur: 'prompt_eval_duration' | 'eval_duration') =>
    rs2.filter((r) => (r.response[count] ?? 0) > 0 && (r.response[dur] ?? 0) > 0).map((r) => r.response[count]! / ns(r.response[dur]));
  const decodeAlone = spread(rate(alone, 'eval_count', 'eval_duration'));
  const obs = observed?.models[model];
  return {
    model,
    requests: rs.length,
    coldLoad: spread(cold),
    warmLoad: spread(warm),
    afterEviction: spread(loaded.filter((r) => evicting.has(r.id)).map((r) => ns(r.response.load_duration))),
    prefill: spread(rate(alone, 'prompt_eval_count', 'prompt_eval_duration')),
    decode: decodeAlone,
    alone: alone.length,
    overlapped: ok.length - alone.length,
    parallelExponent: decodeAlone ? slowdown(ok, streams, decodeAlone.median) : null,
    sizeVram: obs && obs.size_vram > 0 ? obs.size_vram : null,
    size: obs && obs.size > 0 ? obs.size : null,
    contextLength: obs && obs.context_length > 0 ? obs.context_length : null,
  };
}

/**
 * Was another model resident when this request arrived? Its last answer ended
 * before, and /api/ps has not shown it unloaded since (residency is sampled:
 * an unload between the last poll and the arrival is missed).
 */
function othersResident(r: RecordedRequest, all: readonly RecordedRequest[], observed: ObservedDocument | null): boolean {
  const last = new Map<string, number>();
  for (const o of all) if (o.model && o.model !== r.model && o.status === 200 && o.end <= r.at && (o.op !== 'unload')) last.set(o.model, Math.max(last.get(o.model) ?? -Infinity, o.end));
  const unloadedBy = (m: string, since: number) => (observed?.residency ?? []).some((e) => e.model === m && e.event === 'unloaded' && e.t >= since && e.t <= r.at)
    || all.some((o) => o.model === m && o.op === 'unload' && o.end >= since && o.end <= r.at);
  return [...last.entries()].some(([m, end]) => !unloadedBy(m, end));
}

/** Requests of the same model in flight at the middle of this one's answer (itself included). */
function concurrent(r: RecordedRequest, all: readonly RecordedRequest[]): number {
  const work = ns(r.response.eval_duration);
  const mid = Number.isFinite(work) ? r.end - work / 2 : (r.at + r.end) / 2;
  return all.filter((o) => o.at <= mid && o.end >= mid).length;
}

/** α in rate(n) = rate(1) · n^−α, least squares on log-log over the overlapped requests. */
function slowdown(ok: readonly RecordedRequest[], streams: readonly number[], single: number): number | null {
  const points: [number, number][] = [];
  ok.forEach((r, i) => {
    const n = streams[i]!;
    const count = r.response.eval_count ?? 0;
    const d = ns(r.response.eval_duration);
    if (n > 1 && count > 0 && d > 0) points.push([Math.log(n), Math.log(count / d / single)]);
  });
  if (points.length < 3) return null;
  const fit = fitLine([[0, 0], ...points]);
  return fit ? -fit.b : null;
}
