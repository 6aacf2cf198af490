import { msg, warn } from '../diag/index.js';
import type { Trace } from '../workload/trace.js';
import { tokenRates } from './hardware.js';
import type { ModelRates } from './request-rows.js';
import type { ScenarioFile } from './schema.js';
import { axisPath, NOT_MODELLED } from './sweepable.js';
import type { ResolvedCandidate, ResolvedUsers } from './types.js';
import type { YamlSource } from './yaml-source.js';

/**
 * What the candidates ask of the workload, checked once both are read: every
 * candidate can time the token-sized requests, and the warnings that say what a
 * comparison leaves out. No file system: the what-if page runs these too.
 */
/**
 * Rates for the trace's duration column (what `trace stats` shows): the scenario's
 * own host. A model rated only on some candidate's host is not an error here.
 */
export function parseRates(base: ResolvedCandidate, candidates: readonly ResolvedCandidate[]): ModelRates[] {
  return base.models.map((m, i) => {
    const r = tokenRates(m, base.host);
    if (r) return { prefillTps: r.prefill, decodeTps: r.decode };
    return { prefillTps: NaN, decodeTps: NaN, ratedElsewhere: candidates.some((c) => tokenRates(c.models[i]!, c.host) !== null) };
  });
}

/** Every candidate must know the rates of the models that get token-sized requests: else one line at its host. */
export function checkTokenRates(src: YamlSource, shape: ScenarioFile, candidates: readonly ResolvedCandidate[], trace: Trace, users: ResolvedUsers | undefined): void {
  const tokens = new Set<number>();
  if (trace.fromTokens) for (let i = 0; i < trace.length; i++) if (trace.fromTokens[i] === 1) tokens.add(trace.model[i]!);
  if (users && !users.duration) for (const m of users.models) tokens.add(m);
  if (tokens.size === 0) return;
  candidates.forEach((c, ci) => {
    for (const m of tokens) {
      if (tokenRates(c.models[m]!, c.host)) continue;
      const own = shape.candidates?.[ci]?.host !== undefined;
      throw src.error(own ? ['candidates', ci, 'host'] : ['host'], msg.noTokenRatesOnHost(c.models[m]!.name));
    }
  });
}

/**
 * True when the candidates differ in GPU type (or CPU) but some requests are given
 * as durations measured on unknown hardware: for those, the GPU type cannot change
 * the answer time, and the user should know the comparison leaves it out.
 */
export function gpuTypeIgnored(candidates: readonly ResolvedCandidate[], trace: Trace, users: ResolvedUsers | undefined, measuredOn: string | null): boolean {
  if (measuredOn) return false;
  const kinds = new Set(candidates.map((c) => (c.host.gpus.length === 0 ? 'cpu' : c.host.gpuIds[0] ?? 'unknown')));
  if (kinds.size < 2) return false;
  if (users?.duration) return true;
  for (let i = 0; i < trace.length; i++) if (trace.fromTokens?.[i] !== 1 && trace.duration[i]! > 0) return true;
  return false;
}

/** Sweeps over settings not modelled, and GPU types compared on durations measured on unknown hardware. */
export function whatIfWarnings(
  file: string, axisKeys: readonly string[], candidates: readonly ResolvedCandidate[], trace: Trace, users: ResolvedUsers | undefined, measuredOn: string | null,
): string[] {
  const out: string[] = [];
  for (const key of axisKeys) {
    const why = NOT_MODELLED[axisPath(key)];
    if (why) out.push(warn.axisNotModelled(file, key, why));
  }
  if (gpuTypeIgnored(candidates, trace, users, measuredOn)) out.push(warn.durationsOnAnyGpu(file));
  return out;
}
