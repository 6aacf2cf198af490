/**
 * Where a new runner's VRAM goes and whether it fits (selectLlamaServerPlacement
 * and the pre-flight check in server/sched.go; spec §5.2c, §5.5).
 *
 * free per GPU = total − bytes held by runners on it (loading, loaded, and
 * unloading until their unloaded signal, spec §9.2).
 *
 * 1. Placement uses the predicted size without the batch surcharge: without
 *    OLLAMA_SCHED_SPREAD, the single GPU with the most free memory among those
 *    where predicted ≤ 80 % of free (first in the list on a tie); with
 *    SCHED_SPREAD, or when no single GPU fits, all GPUs, layers split.
 * 2. The batch surcharge is chosen against the selected GPUs' free memory.
 * 3. Pre-flight: with other runners loaded, predicted + surcharge > 80 % of the
 *    selected GPUs' free memory means no placement: the caller must evict. With
 *    nothing loaded the model loads unchecked, partly on the CPU if it is larger
 *    than what is free. A CPU-only host loads alongside with no check.
 * On a unified-memory host each GPU's free memory is also capped by the
 * system's free RAM (`systemFree`, spec §5.5, §9.7).
 * `gpuFraction` is the Modelfile's num_gpu as a share of the layers: 0 = CPU
 * only and 0 < f ≤ 1 an explicit partial offload (1 ≤ num_gpu ≤ layers), both
 * without the pre-flight; -1 (automatic) = the rules above.
 *
 * `planned` is what llama-server then tries to put on the GPUs: the actual
 * footprint when the estimate fits (its --fit plans by what it can foresee),
 * what is free when it does not (the first model, partly offloaded), or the
 * explicit share of the layers. More than `available` is a load OOM (load-oom.ts).
 */
export const FIT_THRESHOLD = 0.8;

/**
 * What an older Ollama checks instead (versions.ts): before v0.30.0 a 2nd+
 * model must fit fully (threshold 1) and OLLAMA_GPU_OVERHEAD is reserved on
 * every GPU (0.6.8 llm/memory.go:103; 0.20.0 llm/server.go:1029-1033).
 */
export interface FitRules {
  threshold: number;
  /** Bytes reserved on each GPU before anything is placed. */
  overhead: number;
  /** A CPU-only load beside others must fit in `systemFree` (before v0.30.0; versions.ts cpuRamCheck). */
  cpuRamCheck?: boolean;
}

const E3_FIT: FitRules = { threshold: FIT_THRESHOLD, overhead: 0 };

export interface Fit {
  /** PredictServerVRAM (or the scenario's fixed P). */
  predicted: number;
  /** The batch surcharge for this much available memory (0 where it does not apply). */
  surcharge(available: number): number;
  /** The runner's actual VRAM once loaded, given predicted + surcharge. */
  actual(pLoad: number): number;
}

export interface Placement {
  /** Bytes of the runner's VRAM on each GPU (what does not fit stays on the CPU). */
  gpuShare: number[];
  /** predicted + surcharge: what the pre-flight compared. */
  pLoad: number;
  /** Free memory of the selected GPUs. */
  available: number;
  /** The runner's actual VRAM (all of it, including any part offloaded to the CPU). */
  vram: number;
  /** Bytes llama-server tries to put on the selected GPUs (gpuShare is that, capped at what is free). */
  planned: number;
}

/** `used`: bytes taken on each GPU, by runners and by other processes (Scheduler.gpuTaken). */
export function selectPlacement(
  fit: Fit, gpus: readonly number[], used: Float64Array, spread: boolean, nothingLoaded: boolean,
  systemFree = Infinity, gpuFraction = -1, rules: FitRules = E3_FIT,
): Placement | null {
  const threshold = rules.threshold;
  const n = gpus.length;
  if (n === 0 || gpuFraction === 0) {
    // CPU only (a CPU-only host, or num_gpu 0): alongside, no check (spec §5.2c, scenario 26).
    const pLoad = fit.predicted + fit.surcharge(0);
    if (rules.cpuRamCheck && n === 0 && !nothingLoaded && pLoad > systemFree) return null;
    return { gpuShare: new Array<number>(n).fill(0), pLoad, available: 0, vram: fit.actual(pLoad), planned: 0 };
  }
  const { single, available } = chooseGpus(fit, gpus, used, spread, systemFree, rules);
  const free = scratch;
  const pLoad = fit.predicted + fit.surcharge(available);
  // The selected GPUs' free memory (copied out: the next call reuses `free`).
  const selected = () => Array.from({ length: n }, (_, g) => (single < 0 || g === single ? free[g]! : 0));
  if (gpuFraction > 0) {
    // An explicit partial num_gpu skips the pre-flight: that share of the layers goes on the GPU(s).
    const vram = fit.actual(pLoad);
    const planned = vram * gpuFraction;
    return { gpuShare: split(planned, selected()), pLoad, available, vram, planned };
  }
  if (!nothingLoaded && pLoad > threshold * available) return null;
  const vram = fit.actual(pLoad);
  const planned = pLoad <= available ? vram : Math.min(vram, available);
  const gpuShare = single >= 0 && vram <= free[single]!
    ? Array.from({ length: n }, (_, g) => (g === single ? vram : 0))
    : split(vram, selected());
  return { gpuShare, pLoad, available, vram, planned };
}

/**
 * selectPlacement(…) !== null without building the placement: whether the
 * model would load now beside what is held (the pathology detector asks this
 * of every queued model at every eviction wait).
 */
export function placementExists(
  fit: Fit, gpus: readonly number[], used: Float64Array, spread: boolean, nothingLoaded: boolean,
  systemFree = Infinity, gpuFraction = -1, rules: FitRules = E3_FIT,
): boolean {
  const n = gpus.length;
  if (n === 0 || gpuFraction === 0) return !(rules.cpuRamCheck && n === 0 && !nothingLoaded && fit.predicted + fit.surcharge(0) > systemFree);
  if (gpuFraction > 0 || nothingLoaded) return true;
  const { available } = chooseGpus(fit, gpus, used, spread, systemFree, rules);
  return !(fit.predicted + fit.surcharge(available) > rules.threshold * available);
}

/** Free memory per GPU (in `scratch`), reused between calls: most calls during an eviction wait need no list of their own. */
let scratch = new Float64Array(8);
const choice = { single: -1, available: 0 };

/**
 * Step 1: each GPU's free memory into `scratch`, the single GPU chosen (−1:
 * all of them, layers split) and the free memory of the selection. The
 * returned object is reused by the next call.
 */
function chooseGpus(fit: Fit, gpus: readonly number[], used: Float64Array, spread: boolean, systemFree: number, rules: FitRules): typeof choice {
  const n = gpus.length;
  if (scratch.length < n) scratch = new Float64Array(n);
  const free = scratch;
  let sumFree = 0;
  // Unified memory (Apple, iGPU): what a GPU can take is also capped by the system's free RAM (spec §9.7).
  for (let g = 0; g < n; g++) {
    free[g] = Math.max(0, Math.min(gpus[g]! - used[g]! - rules.overhead, systemFree));
    sumFree += free[g]!;
  }
  let single = -1;
  if (!spread || n === 1) {
    for (let g = 0; g < n; g++) {
      if (fit.predicted <= rules.threshold * free[g]! && (single < 0 || free[g]! > free[single]!)) single = g;
    }
  }
  choice.single = single;
  choice.available = single >= 0 ? free[single]! : sumFree;
  return choice;
}

/** Layers split in proportion to free memory, in whole bytes; what does not fit stays on the CPU. */
function split(vram: number, free: number[]): number[] {
  const sumFree = free.reduce((a, b) => a + b, 0);
  if (sumFree <= 0) return free.map(() => 0);
  const onGpu = Math.min(vram, sumFree);
  const shares = free.map((f) => Math.floor((onGpu * f) / sumFree));
  const last = shares.length - 1;
  shares[last] = shares[last]! + onGpu - shares.reduce((a, b) => a + b, 0);
  return shares;
}
