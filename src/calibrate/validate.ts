import type { ObservedDocument, RecordedRequest } from '../record/recorder.js';

/**
 * A replay set beside what really happened (`ollamasim validate`). Loads are
 * matched by request: a recorded request whose load_duration is above the
 * threshold waited on a load, and the replay must say the same of it. Unloads
 * are matched per model in order: each one /api/ps saw must have a simulated
 * unload within one poll before the poll that saw it. Then per model: cold
 * share, latency and TTFT quantiles, observed against predicted.
 */
export interface SimulatedRequest {
  id: string;
  model: string;
  cold: boolean;
  ok: boolean;
  /** Seconds from arrival. */
  latency: number;
  ttft: number;
}

export interface FigureRow {
  model: string;
  figure: string;
  observed: number;
  predicted: number;
  /** |predicted − observed| ÷ max(|observed|, floor): a floor keeps tiny values from exploding the ratio. */
  error: number;
}

export interface Validation {
  loads: { observed: number; predicted: number; matched: number; missing: string[]; extra: string[] };
  unloads: { observed: number; predicted: number; matched: number; unmatched: { model: string; t: number }[] };
  figures: FigureRow[];
  /** The largest per-model relative error, and where. */
  worst: FigureRow | null;
}

/** Floors of the relative error: 0.1 s for times, 0.05 for shares. */
export const FLOORS = { time: 0.1, share: 0.05 };

const nearest = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
};

export function validate(
  recorded: readonly RecordedRequest[], observed: ObservedDocument | null, simulated: readonly SimulatedRequest[],
  simulatedUnloads: readonly { model: string; t: number }[], loadAbove = 0,
): Validation {
  const sim = new Map(simulated.map((r) => [r.id, r]));
  const traced = recorded.filter((r) => r.model && r.op !== 'other' && sim.has(String(r.id)));
  const wasCold = (r: RecordedRequest) => (r.response.load_duration ?? 0) / 1e9 > loadAbove;
  const obsCold = traced.filter(wasCold).map((r) => String(r.id));
  const simCold = simulated.filter((r) => r.cold).map((r) => r.id);
  const simColdSet = new Set(simCold);
  const obsColdSet = new Set(obsCold);
  const loads = {
    observed: obsCold.length, predicted: simCold.length,
    matched: obsCold.filter((id) => simColdSet.has(id)).length,
    missing: obsCold.filter((id) => !simColdSet.has(id)),
    extra: simCold.filter((id) => !obsColdSet.has(id)),
  };
  return { loads, unloads: matchUnloads(observed, simulatedUnloads), ...figures(traced, sim, wasCold) };
}

/** Each unload /api/ps saw, matched in order to a simulated unload of that model within the poll interval before it. */
function matchUnloads(observed: ObservedDocument | null, sim: readonly { model: string; t: number }[]): Validation['unloads'] {
  const seen = (observed?.residency ?? []).filter((e) => e.event === 'unloaded');
  const poll = observed?.poll_every_s ?? 0;
  const used = new Set<number>();
  const unmatched: { model: string; t: number }[] = [];
  for (const e of seen) {
    // The unload happened after the previous poll and before this one (plus a little for the poll's own time).
    const k = sim.findIndex((u, i) => !used.has(i) && u.model === e.model && u.t <= e.t + 0.05 && u.t >= e.t - poll * 1.5 - 0.05);
    if (k >= 0) used.add(k);
    else unmatched.push({ model: e.model, t: e.t });
  }
  return { observed: seen.length, predicted: sim.length, matched: seen.length - unmatched.length, unmatched };
}

function figures(traced: readonly RecordedRequest[], sim: Map<string, SimulatedRequest>, wasCold: (r: RecordedRequest) => boolean): Pick<Validation, 'figures' | 'worst'> {
  const rows: FigureRow[] = [];
  const models = [...new Set(traced.map((r) => r.model!))].sort();
  for (const model of models) {
    const obs = traced.filter((r) => r.model === model);
    const ok = obs.filter((r) => r.status === 200 && sim.get(String(r.id))!.ok);
    const pred = ok.map((r) => sim.get(String(r.id))!);
    const add = (figure: string, o: number, p: number, floor: number) => {
      if (!Number.isFinite(o) || !Number.isFinite(p)) return;
      rows.push({ model, figure, observed: o, predicted: p, error: Math.abs(p - o) / Math.max(Math.abs(o), floor) });
    };
    add('cold_share', obs.filter(wasCold).length / obs.length, obs.filter((r) => sim.get(String(r.id))!.cold).length / obs.length, FLOORS.share);
    for (const q of [0.5, 0.95]) {
      add(`latency_p${q * 100}_s`, nearest(ok.map((r) => r.end - r.at), q), nearest(pred.map((r) => r.latency), q), FLOORS.time);
      // TTFT only where the answer streamed: otherwise the first byte is the whole answer.
      const streamed = ok.filter((r) => r.stream === true && r.first_byte !== undefined);
      if (streamed.length > 0) {
        add(`ttft_p${q * 100}_s`, nearest(streamed.map((r) => r.first_byte! - r.at), q), nearest(streamed.map((r) => sim.get(String(r.id))!.ttft), q), FLOORS.time);
      }
    }
  }
  const worst = rows.reduce<FigureRow | null>((w, r) => (!w || r.error > w.error ? r : w), null);
  return { figures: rows, worst };
}

/** Most bytes /api/ps showed resident at once. */
export function peakResident(observed: ObservedDocument | null): number {
  const now = new Map<string, number>();
  let peak = 0;
  for (const e of observed?.residency ?? []) {
    if (e.event === 'loaded') now.set(e.model, e.size_vram ?? e.size ?? 0);
    else now.delete(e.model);
    peak = Math.max(peak, [...now.values()].reduce((a, b) => a + b, 0));
  }
  for (const m of Object.values(observed?.models ?? {})) peak = Math.max(peak, m.size_vram);
  return peak;
}
