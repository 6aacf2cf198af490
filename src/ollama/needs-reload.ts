import type { ServerEnv } from './envconfig.js';
import type { RunnerRef } from './runner-ref.js';
import type { SchedModel } from './types.js';

/**
 * The context a request asks for, normalised as Ollama does before comparing
 * (spec §4.5, §5.1): request num_ctx, else the Modelfile's, else
 * OLLAMA_CONTEXT_LENGTH (which makes it explicit), else automatic (the
 * default-context tier); raised to at least 4, and to at least 2048 for a vision
 * model (getRunner, sched.go:170-177), then clamped to the training context.
 */
/** Multimodal models require at least this context (sched.go:174-177). */
export const VISION_MIN_CTX = 2048;

export interface RequestContext {
  numCtx: number;
  auto: boolean;
}

export function requestContext(
  requestNumCtx: number, model: SchedModel, env: ServerEnv, tier: number,
): RequestContext {
  const explicit = requestNumCtx || model.numCtx || env.contextLength;
  const auto = explicit === 0;
  let ctx = auto ? tier : Math.max(4, explicit);
  if (model.vision) ctx = Math.max(ctx, VISION_MIN_CTX);
  if (model.nCtxTrain > 0) ctx = Math.min(ctx, model.nCtxTrain);
  return { numCtx: ctx, auto };
}

/**
 * Default context tier from total GPU memory less OLLAMA_GPU_OVERHEAD (spec §2):
 * ≥ 47 GiB → 262144, ≥ 23 GiB → 32768, otherwise 4096.
 */
export function defaultContextTier(gpus: readonly number[], gpuOverhead: number): number {
  const GiB = 2 ** 30;
  const total = gpus.reduce((sum, g) => sum + Math.max(0, g - gpuOverhead), 0);
  if (total >= 47 * GiB) return 262144;
  if (total >= 23 * GiB) return 32768;
  return 4096;
}

/**
 * needsReload (spec §4.5): of the load-time options the simulator models,
 * num_ctx (ignored when both the runner and the request use the automatic
 * context) and the Modelfile's num_gpu. keep_alive and sampling options never reload.
 */
export function needsReload(runner: RunnerRef, ctx: RequestContext, numGpu = -1): boolean {
  // num_gpu < 0 on the request side matches anything.
  if (numGpu >= 0 && numGpu !== runner.numGpu) return true;
  if (runner.ctxAuto && ctx.auto) return false;
  return runner.numCtx !== ctx.numCtx;
}
