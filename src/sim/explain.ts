import type { ResolvedCandidate, ResolvedScenario } from '../config/types.js';
import { loadSeconds } from '../hardware/load-time.js';
import { answerSeconds } from '../hardware/throughput.js';
import { PAGE_CACHE } from '../hardware/storage.js';
import { defaultContextTier } from '../ollama/index.js';
import { differences, versionProfile } from '../ollama/versions.js';
import { minimumMemory } from '../ollama/sched.js';
import { modelFit } from '../ollama/model-fit.js';
import { requestContext } from '../ollama/needs-reload.js';
import { selectPlacement } from '../ollama/placement.js';
import { runsOutOfMemory } from '../ollama/load-oom.js';
import { contextTotal, kvCacheBytes } from '../ollama/predict-server-vram.js';
import { resolveWorld, type World } from './world.js';
import { quantilesInPlace } from '../metrics/quantile.js';

/** Per model, what the scheduler would compute for its first load on an empty host, with the inputs. */
export interface ModelExplanation {
  model: string;
  source: 'catalogue' | 'scenario';
  numCtx: number;
  ctxAuto: boolean;
  numParallel: number;
  fileBytes: number | null;
  kvBytes: number | null;
  predicted: number;
  surcharge: number;
  p: number;
  vram: number;
  placement: string;
  fitsAlone: boolean;
  /** Alone on the host its real footprint exceeds free memory although P fits: the load runs out of memory. */
  oomAlone: boolean;
  loadCold: number; // s
  loadWarm: number; // s
  loadFixed: boolean;
  medianDuration: number | null; // s, from the trace
  /** Token rates on this host (given, the catalogue's for its first GPU, or the CPU's), and a typical request (500 prompt + 200 output tokens). */
  rates: { decode: number; prefill: number; basis: string; typical: number } | null;
}

export interface CandidateExplanation {
  candidate: string;
  /** The Ollama version whose rules apply, its era, and how they differ from the current one (src/ollama/versions.ts). */
  version: string;
  era: string;
  differences: string[];
  tier: number;
  gpus: number[];
  /** Memory other processes hold on each GPU at the start; free = total − reserved on an empty host. */
  reserved: number[];
  models: ModelExplanation[];
}

export function explainScenario(sc: ResolvedScenario): CandidateExplanation[] {
  // Candidates that differ only in settings (keep_alive, queue, …) give every request the same work: found once.
  const medians = new Map<string, (number | null)[]>();
  return sc.candidates.map((c) => {
    const world = resolveWorld(sc, c);
    let m = medians.get(world.service.key);
    if (!m) medians.set(world.service.key, (m = medianDurations(sc, world)));
    return explainCandidate(c, world, m);
  });
}

function explainCandidate(c: ResolvedCandidate, world: World, medians: (number | null)[]): CandidateExplanation {
  const cfg = world.sched;
  const v = cfg.version ?? versionProfile();
  const tier = v.defaultContext || defaultContextTier(cfg.gpus, cfg.env.gpuOverhead);
  const rules = { threshold: v.fitThreshold, overhead: (v.overheadPerGpu ? cfg.env.gpuOverhead : 0) + minimumMemory(v, cfg.unifiedRam !== undefined) };
  const h = c.host;
  const reserved = Float64Array.from(cfg.gpus, (_, g) => cfg.reserved?.[g] ?? 0);
  const models = cfg.models.map((m, i): ModelExplanation => {
    const exact = requestContext(0, m, cfg.env, tier);
    const ctx = v.contextAutoNormalised ? exact : { numCtx: exact.numCtx, auto: false };
    const fit = modelFit(m, ctx, cfg.cudaWithoutFlashAttention, ctx, v.batchSurcharge);
    const placed = selectPlacement(fit, cfg.gpus, reserved, cfg.env.schedSpread, true, Infinity, -1, rules)!;
    const onGpu = placed.gpuShare.reduce((a, b) => a + b, 0);
    const file = m.arch?.file ?? m.vram;
    const read = { runnerStart: h.runnerStart, storage: h.storageBandwidth, pageCache: PAGE_CACHE.bandwidth, link: h.link };
    return {
      model: m.name,
      source: m.arch ? 'catalogue' : 'scenario',
      numCtx: ctx.numCtx,
      ctxAuto: ctx.auto,
      numParallel: m.numParallel,
      fileBytes: m.arch?.file ?? null,
      kvBytes: m.arch ? kvCacheBytes(m.arch, contextTotal(m.arch, ctx.numCtx, m.numParallel)) : null,
      predicted: fit.predicted,
      surcharge: placed.pLoad - fit.predicted,
      p: placed.pLoad,
      vram: placed.vram,
      placement: describePlacement(placed.gpuShare, placed.vram, onGpu),
      fitsAlone: cfg.gpus.length === 0 || placed.pLoad <= rules.threshold * placed.available,
      oomAlone: runsOutOfMemory(placed),
      loadCold: Number.isNaN(m.load) ? loadSeconds(file, read, false) : m.load / 1e6,
      loadWarm: Number.isNaN(m.load) ? loadSeconds(file, read, true) : m.load / 1e6,
      loadFixed: !Number.isNaN(m.load),
      medianDuration: medians[i] ?? null,
      rates: typicalAnswer(world, i),
    };
  });
  return { candidate: c.name, version: v.version, era: v.era, differences: differences(v), tier, gpus: cfg.gpus.slice(), reserved: Array.from(reserved), models };
}

function describePlacement(share: number[], vram: number, onGpu: number): string {
  if (share.length === 0) return 'CPU (no GPU)';
  const used = share.map((b, g) => (b > 0 ? `GPU${g}` : '')).filter(Boolean);
  const where = used.length === 1 ? used[0]! : `split over ${used.join('+')}`;
  return onGpu < vram ? `${where}, ${((1 - onGpu / vram) * 100).toFixed(0)} % on the CPU` : where;
}

/**
 * Median work per model on this candidate's host (token-sized requests at its
 * rates): counted first into one typed array per model, then the median found
 * by quickselect — a comparator sort of a million boxed numbers cost 0.3 s.
 */
function medianDurations(sc: ResolvedScenario, world: World): (number | null)[] {
  const { trace } = sc;
  const counts = new Int32Array(sc.modelNames.length);
  for (let i = 0; i < trace.length; i++) counts[trace.model[i]!]!++;
  const per = Array.from(counts, (n) => new Float64Array(n));
  counts.fill(0);
  for (let i = 0; i < trace.length; i++) {
    const m = trace.model[i]!;
    per[m]![counts[m]!++] = world.service.ofTrace(trace, i) / 1e6;
  }
  return per.map((d) => (d.length ? quantilesInPlace(d, [0.5])[0]! : null));
}

function typicalAnswer(world: World, i: number) {
  const r = world.rates[i];
  return r ? { ...r, typical: answerSeconds(500, 200, r) } : null;
}
