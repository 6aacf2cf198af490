import type { ResolvedCandidate, ResolvedScenario } from '../config/types.js';
import { tokenRates } from '../config/hardware.js';
import { gpuById } from '../hardware/gpus.js';
import { HostLoadTimer } from '../hardware/load-time.js';
import { MEASURED_REFERENCE, cpuRates, offloadedDecode, perStreamFactor, ratesFor, type Rates } from '../hardware/throughput.js';
import { PAGE_CACHE } from '../hardware/storage.js';
import { autoNumParallel, numParallelFor, parseServerEnv, type SchedModel, type SchedulerConfig } from '../ollama/index.js';
import { predictServerVram } from '../ollama/predict-server-vram.js';
import { envForVersion, versionProfile, type VersionProfile } from '../ollama/versions.js';
import { byDurationRandomTies } from '../ollama/victim-ties.js';
import { minimumMemory } from '../ollama/sched.js';
import type { LoadTimer } from '../ollama/types.js';
import { victimOrder } from '../whatif/eviction-orders.js';
import { scaleTrace } from '../workload/scale.js';
import type { Trace } from '../workload/trace.js';

/**
 * Where a candidate becomes a world. Everything a candidate or a sweep cell may
 * change is derived here, from the resolved candidate (the scenario with the
 * candidate's and the cell's overrides already merged in, src/config/resolve.ts),
 * never earlier: service times of token-sized requests (GPU type, GPUs per host,
 * offload share, NUM_PARALLEL's per-stream slowdown), load times (storage, page
 * cache), memory (P and the context tier, computed by the scheduler from the
 * models, GPUs and server env given here), the fleet and its router, and the
 * workload's rate. The trace itself (arrivals, token counts) is parsed once and
 * shared, read-only, by every world. No file system here: this also runs in a browser.
 */
export interface World {
  candidate: ResolvedCandidate;
  sched: SchedulerConfig;
  /** The shared trace at this candidate's rate_scale (the same object when 1). */
  trace: Trace;
  service: ServiceTimes;
  /** Token rates per model on this host (null = unknown: explicit durations only). */
  rates: (Rates | null)[];
  /** keep_alive clients send per model when a request carries none (µs; NaN = absent). */
  clientKeepAlive: Float64Array;
  /** The scheduler of fleet server h (0 = `sched`): the same settings, its own page cache. */
  hostSched(host: number): SchedulerConfig;
  /** Most bytes runners held on the CPU of one host so far (Ollama does not check it against RAM). */
  cpuPeak(): number;
}

/** Work a request needs once it holds a slot, µs, before the per-stream and offload stretch (slots.ts). */
export interface ServiceTimes {
  /** Trace request i: from its tokens at this host's rates, else its duration (scaled from `measured_on`). */
  ofTrace(trace: Trace, i: number): number;
  /** A closed-loop user's request of `prompt` + `output` tokens. */
  ofTokens(model: number, prompt: number, output: number): number;
  /** An explicit duration (µs) on this host: scaled from `measured_on`, else as written. */
  ofDuration(model: number, us: number): number;
  /** What the times depend on (rates and scales): two with the same key give every request the same time. */
  key: string;
}

type Shared = Pick<ResolvedScenario, 'trace' | 'seed'> & Partial<Pick<ResolvedScenario, 'measuredOn'>>;

export function resolveWorld(sc: Shared, c: ResolvedCandidate): World {
  const rates = c.models.map((m) => tokenRates(m, c.host));
  const sched = schedulerConfig(c, rates);
  let cpuPeak = 0;
  // Every server of a fleet has its own page cache (and CPU memory): its own load timer.
  const hostSched = (): SchedulerConfig => {
    const timer = loadTimer(c);
    return { ...sched, loadTimer: { ...timer, cpuInUse: (bytes) => { cpuPeak = Math.max(cpuPeak, bytes); timer.cpuInUse(bytes); } } };
  };
  const first = hostSched();
  return {
    candidate: c,
    sched: first,
    hostSched: (h) => (h === 0 ? first : hostSched()),
    cpuPeak: () => cpuPeak,
    trace: c.rateScale && c.rateScale !== 1 ? scaleTrace(sc.trace, c.rateScale, sc.seed) : sc.trace,
    service: serviceTimes(rates, durationScale(c, sc.measuredOn ?? null)),
    rates,
    clientKeepAlive: Float64Array.from(c.models, (m) => m.keepAlive),
  };
}

/**
 * Token-sized work: prompt ÷ prefill + output ÷ decode at this host's rates
 * (a missing count is 0). Explicit durations are kept, times `scale[model]`.
 */
export function serviceTimes(rates: readonly (Rates | null)[], scale: readonly number[]): ServiceTimes {
  const inv = rates.map((r) => (r ? { prefill: 1 / r.prefill, decode: 1 / r.decode } : null));
  const ofTokens = (model: number, prompt: number, output: number): number => {
    const r = inv[model];
    if (!r) throw new Error(`no token rates for model ${model}`); // the loader refuses such a scenario first
    const s = (Number.isNaN(prompt) ? 0 : prompt * r.prefill) + (Number.isNaN(output) ? 0 : output * r.decode);
    return Math.round(s * 1e6);
  };
  const ofDuration = (model: number, us: number): number => (scale[model] === 1 ? us : Math.round(us * scale[model]!));
  // The common case (no measured_on) reads the duration column as it is: one call per arrival.
  const asWritten = scale.every((k) => k === 1);
  return {
    ofTrace: (t, i) => {
      if (t.fromTokens?.[i] === 1) return ofTokens(t.model[i]!, t.promptTokens![i]!, t.outputTokens![i]!);
      return asWritten ? t.duration[i]! : ofDuration(t.model[i]!, t.duration[i]!);
    },
    ofDuration,
    ofTokens: (model, prompt, output) => Math.max(1, ofTokens(model, prompt, output)),
    key: `${rates.map((r) => (r ? `${r.prefill}/${r.decode}` : '-')).join(',')}|${scale.join(',')}`,
  };
}

/**
 * Explicit durations measured on `measuredOn` take, on this host, as much longer
 * as its decode is slower (decode is memory-bound, and dominates a chat's answer):
 * the ratio of the two hardware's 8B rates from the catalogue. Unknown = 1.
 */
function durationScale(c: ResolvedCandidate, measuredOn: string | null): number[] {
  const ref = measuredOn ? hardwareDecode(measuredOn) : NaN;
  const here = c.host.gpus.length === 0 ? hardwareDecode('cpu') : c.host.gpuIds[0] ? hardwareDecode(c.host.gpuIds[0]) : NaN;
  const k = ref > 0 && here > 0 ? ref / here : 1;
  return c.models.map(() => k);
}

/** 8B Q4_K_M decode rate of a catalogue GPU or the CPU, tokens/s. */
export function hardwareDecode(id: string): number {
  if (id === 'cpu') return cpuRates(MEASURED_REFERENCE).decode;
  const gpu = gpuById(id);
  return gpu ? ratesFor(gpu, MEASURED_REFERENCE).decode : NaN;
}

/** Runner keys: models that name the same `key` (blob) share an index. */
export function runnerKeys(models: readonly { key: string }[]): { keyOf: Int32Array; keyNames: string[] } {
  const keyNames: string[] = [];
  const index = new Map<string, number>();
  const keyOf = new Int32Array(models.length);
  models.forEach((m, i) => {
    let k = index.get(m.key);
    if (k === undefined) {
      k = keyNames.length;
      keyNames.push(m.key);
      index.set(m.key, k);
    }
    keyOf[i] = k;
  });
  return { keyOf, keyNames };
}

/** A candidate as the scheduler sees it. Env warnings were already reported by the loader. */
export function schedulerConfig(c: ResolvedCandidate, rates: readonly (Rates | null)[] = c.models.map((m) => tokenRates(m, c.host))): SchedulerConfig {
  const { keyOf, keyNames } = runnerKeys(c.models);
  const version = versionProfile(c.version);
  const env = parseServerEnv(envForVersion(version.version, c.server), () => {});
  const models: SchedModel[] = c.models.map((m, i) => ({
    name: m.name,
    key: keyOf[i]!,
    arch: m.arch,
    p: m.p,
    vram: m.vram,
    numParallel: numParallelFor(versionParallel(c, m, version) || env.numParallel, m.arch?.embeddingOnly === true, m.family),
    load: m.load,
    loadFailsAfter: m.loadFailsAfter,
    numCtx: m.numCtx,
    nCtxTrain: m.nCtxTrain,
    numGpu: m.numGpu ?? -1,
    layers: m.layers ?? m.arch?.layers ?? 0,
    vision: m.vision === true,
  }));
  return {
    env,
    loadTimer: loadTimer(c),
    loadCrashes: c.loadCrashes,
    loadStalls: c.loadStalls,
    reserved: c.host.reserved,
    reserveChanges: c.reserveChanges,
    cudaWithoutFlashAttention: env.flashAttention === false && c.host.gpus.length > 0 && !c.host.unified,
    unifiedRam: c.host.unified ? c.host.ram : undefined,
    hostRam: c.host.ram,
    victimOrder: victimOrder(c.eviction) ?? (version.randomVictimTies ? byDurationRandomTies : undefined),
    version,
    loadOomRetry: version.loadOomRetry,
    answerScale: answerScale(c, rates),
    gpus: c.host.gpus,
    unload: c.host.unload,
    models,
    keyNames,
  };
}

/** The automatic NUM_PARALLEL of versions before v0.10.0 when OLLAMA_NUM_PARALLEL is unset, else 0 (num-parallel.ts). */
function versionParallel(c: ResolvedCandidate, m: ResolvedCandidate['models'][number], v: VersionProfile): number {
  const server = envForVersion(v.version, c.server);
  const gpu = Math.max(0, ...c.host.gpus) - (v.overheadPerGpu ? Number(server.OLLAMA_GPU_OVERHEAD ?? 0) || 0 : 0) - minimumMemory(v, c.host.unified === true);
  const ctx = m.numCtx || Number(server.OLLAMA_CONTEXT_LENGTH ?? 0) || v.defaultContext || 4096;
  return autoNumParallel(v.autoNumParallel, c.server.OLLAMA_NUM_PARALLEL, (p) =>
    c.host.gpus.length === 0 || m.arch === null || (Number.isNaN(m.p) ? predictServerVram(m.arch, ctx, p) : m.p) <= gpu);
}

/**
 * Load times for models without a fixed `load`: runner start + file ÷ min(storage or page
 * cache, host link), with the host's page cache tracked across the run (src/hardware).
 * A file is keyed by the runner key (the blob) and sized by the catalogue, else by vram.
 */
function loadTimer(c: ResolvedCandidate): LoadTimer {
  const h = c.host;
  const timer = new HostLoadTimer(
    { runnerStart: h.runnerStart, storage: h.storageBandwidth, pageCache: PAGE_CACHE.bandwidth, link: h.link }, h.ram,
  );
  const files = c.models.map((m) => ({ key: m.key, size: m.arch?.file ?? m.vram }));
  return {
    loadTime: (model, cpuInUse) => timer.loadTime(files[model]!.key, files[model]!.size, cpuInUse),
    cpuInUse: (bytes) => timer.cpuInUse(bytes),
  };
}

/**
 * Token-sized requests stretch with the streams sharing a runner (per-stream rate
 * × n^-0.59) and with layers offloaded to the CPU on a GPU host (decode bound by
 * RAM bandwidth for that share) — both from src/hardware/throughput.ts. On a host
 * without GPUs the rates are already the CPU's.
 */
function answerScale(c: ResolvedCandidate, rates: readonly (Rates | null)[]): (model: number, streams: number, gpuShare: number) => number {
  const gpuHost = c.host.gpus.length > 0;
  const decode = c.models.map((m, i) => {
    const r = rates[i];
    const file = m.arch?.file ?? m.vram;
    return gpuHost && r && file > 0 ? { rate: r.decode, file } : null;
  });
  return (model, streams, gpuShare) => {
    let f = 1 / perStreamFactor(streams);
    const d = decode[model];
    if (d && gpuShare < 1) f *= d.rate / offloadedDecode(d.rate, d.file, gpuShare);
    return f;
  };
}
