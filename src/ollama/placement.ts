/**
 * Where a new runner's VRAM goes (selectLlamaServerPlacement, spec §5.2c, §5.5).
 *
 * free per GPU = total − bytes held by runners on it (loading, loaded, and
 * unloading until their unloaded signal, spec §9.2).
 *
 * - CPU-only host: load alongside with no check.
 * - Without OLLAMA_SCHED_SPREAD: the single GPU with the most free memory among
 *   those where P ≤ 80 % of free (first in the list on a tie).
 * - With SCHED_SPREAD, or when no single GPU fits: all GPUs, layers split; the
 *   check is then against the sum.
 * - Preflight: when other runners are loaded and nothing passes the 80 % check,
 *   there is no placement and the caller must evict. With nothing loaded the model
 *   loads unchecked, partly on the CPU if it is larger than what is free.
 */
export const FIT_THRESHOLD = 0.8;

export interface Placement {
  /** Bytes of the runner's VRAM on each GPU. */
  gpuShare: number[];
}

export function selectPlacement(
  p: number, vram: number, gpus: readonly number[], used: Float64Array,
  spread: boolean, nothingLoaded: boolean,
): Placement | null {
  const n = gpus.length;
  if (n === 0) return { gpuShare: [] };
  if (n === 1) {
    // The common single-GPU host, without the allocations of the general case.
    const free = Math.max(0, gpus[0]! - used[0]!);
    if (p <= FIT_THRESHOLD * free) return { gpuShare: [vram] };
    return nothingLoaded ? { gpuShare: [Math.min(vram, free)] } : null;
  }
  const free = gpus.map((total, g) => Math.max(0, total - used[g]!));
  if (!spread) {
    let best = -1;
    for (let g = 0; g < n; g++) {
      if (p <= FIT_THRESHOLD * free[g]! && (best < 0 || free[g]! > free[best]!)) best = g;
    }
    if (best >= 0) return { gpuShare: free.map((_, g) => (g === best ? vram : 0)) };
  }
  const sumFree = free.reduce((a, b) => a + b, 0);
  if (!nothingLoaded && p > FIT_THRESHOLD * sumFree) return null;
  return { gpuShare: split(vram, free, sumFree) };
}

/** Layers split in proportion to free memory; what does not fit stays on the CPU. */
function split(vram: number, free: number[], sumFree: number): number[] {
  if (sumFree <= 0) return free.map(() => 0);
  const onGpu = Math.min(vram, sumFree);
  // Whole bytes, so that adding and later subtracting a share is exact.
  const shares = free.map((f) => Math.floor((onGpu * f) / sumFree));
  const last = shares.length - 1;
  shares[last] = shares[last]! + onGpu - shares.reduce((a, b) => a + b, 0);
  return shares;
}
