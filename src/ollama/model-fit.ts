import { automaticGenerationBatch, generationBatchSurcharge } from './generation-batch.js';
import type { RequestContext } from './needs-reload.js';
import type { Fit } from './placement.js';
import { contextTotal, predictServerVram } from './predict-server-vram.js';
import type { SchedModel } from './types.js';

/**
 * What the placement and pre-flight check see for one load of a model at a
 * given context (spec §5.4): with a known architecture, Ollama's estimate
 * (PredictServerVRAM + the automatic batch surcharge) unless the scenario fixes
 * P; without one, the scenario's P. The runner's actual VRAM is the scenario's
 * `vram` when given (Ollama's estimate can be far from nvidia-smi, ollama#10359),
 * else the estimate. A given `vram` with Ollama's estimate for P (`p: auto`) is
 * taken as measured at `base`, the model's context for a request without
 * num_ctx: at another context (an explicit one, or the OOM retry's cut) it gains
 * or loses what the estimate gains or loses, so the part the estimate does not
 * foresee stays the same.
 */
export function modelFit(model: SchedModel, ctx: RequestContext, cudaWithoutFlashAttention = false, base?: RequestContext, batchSurcharge = true): Fit {
  const arch = model.arch;
  const estimate = arch !== null && Number.isNaN(model.p);
  const predicted = estimate ? predictServerVram(arch, ctx.numCtx, model.numParallel) : model.p;
  const ctxTotal = estimate ? contextTotal(arch, ctx.numCtx, model.numParallel) : 0;
  return {
    predicted,
    surcharge: (available) =>
      estimate && !arch.embeddingOnly && batchSurcharge // before v0.30.0 there is no automatic batch (versions.ts)
        ? generationBatchSurcharge(automaticGenerationBatch(ctxTotal, predicted, available, cudaWithoutFlashAttention))
        : 0,
    actual: (pLoad) => {
      if (Number.isNaN(model.vram)) return pLoad;
      if (!estimate || !base || base.numCtx === ctx.numCtx) return model.vram;
      return Math.max(0, model.vram + predicted - predictServerVram(arch, base.numCtx, model.numParallel));
    },
  };
}

/**
 * num_gpu as a share of the model's layers for placement: -1 automatic, 0 CPU
 * only, else layers on the GPU ÷ layers. explicitPartialGPUOffload
 * (sched.go:785-791) is 0 < num_gpu < block_count + 1, so num_gpu equal to the
 * layer count is still explicit (no pre-flight); only num_gpu above it, or an
 * unknown layer count, takes the automatic rules.
 */
export function gpuFraction(model: SchedModel): number {
  const n = model.numGpu ?? -1;
  if (n < 0) return -1;
  if (n === 0) return 0;
  const layers = model.layers || model.arch?.layers || 0;
  if (layers === 0 || n >= layers + 1) return -1;
  return Math.min(1, n / layers);
}
