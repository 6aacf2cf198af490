import type { ResolvedCandidate } from '../config/types.js';
import { gpuById } from '../hardware/gpus.js';
import { HostLoadTimer } from '../hardware/load-time.js';
import { modelByTag } from '../hardware/models.js';
import { offloadedDecode, perStreamFactor, ratesFor } from '../hardware/throughput.js';
import { PAGE_CACHE } from '../hardware/storage.js';
import { autoNumParallel, numParallelFor, parseServerEnv, type SchedModel, type SchedulerConfig } from '../ollama/index.js';
import { predictServerVram } from '../ollama/predict-server-vram.js';
import { envForVersion, versionProfile, type VersionProfile } from '../ollama/versions.js';
import { byDurationRandomTies } from '../ollama/victim-ties.js';
import { minimumMemory } from '../ollama/sched.js';
import type { LoadTimer } from '../ollama/types.js';
import { victimOrder } from '../whatif/eviction-orders.js';

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
export function schedulerConfig(c: ResolvedCandidate): SchedulerConfig {
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
    answerScale: answerScale(c),
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
 * × n^-0.59) and with layers offloaded to the CPU (decode bound by RAM bandwidth
 * for that share) — both from src/hardware/throughput.ts; the offload term needs
 * a catalogue model on a catalogue GPU.
 */
function answerScale(c: ResolvedCandidate): (model: number, streams: number, gpuShare: number) => number {
  const gpu = c.host.gpuIds[0] ? gpuById(c.host.gpuIds[0]) : undefined;
  const decode = c.models.map((m) => {
    const spec = m.tag ? modelByTag(m.tag) : undefined;
    return gpu && spec ? { rate: ratesFor(gpu, spec).decode, file: spec.file } : null;
  });
  return (model, streams, gpuShare) => {
    let f = 1 / perStreamFactor(streams);
    const d = decode[model];
    if (d && gpuShare < 1) f *= d.rate / offloadedDecode(d.rate, d.file, gpuShare);
    return f;
  };
}
