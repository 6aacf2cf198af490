import { Reason } from '../events/index.js';
import { evictAllAndWait } from './evict-all-and-wait.js';
import { endFailedLoad, finishFailedLoad } from './load.js';
import type { RequestContext } from './needs-reload.js';
import type { Placement } from './placement.js';
import { resumeScheduling } from './process-pending.js';
import type { Scheduler } from './sched.js';
import type { Req } from './types.js';

/**
 * A load that runs out of memory, and Ollama's one retry (spec §5.6; sched.go
 * load 640-672, reduceAutoNumCtxForLoadOOM 757-783, nextLowerAutoNumCtx
 * 917-926, processPending 296-326; llm/status.go IsOutOfMemory 85-122).
 *
 * When: llama-server puts more on its GPUs than is free there after the other
 * runners and what other processes hold (Placement.planned > available) —
 * memory its own fit did not foresee: the model's actual footprint (`vram`)
 * exceeds free memory although its estimate P passed the pre-flight (or, for
 * the first model, fitted). A model whose P does not fit is evicted for as
 * before, and a first model whose P does not fit is partly offloaded.
 * llama-server allocates its KV cache and compute buffers after reading the
 * weights, so the error comes when the load would have finished.
 *
 * Then, once per request (oomRetryAttempted):
 * - an automatic context is cut — above 32768 to 32768, above 4096 to 4096 —
 *   and the load retried (also alone: the first-load case);
 * - with other models loaded the retry also evicts all of them first
 *   (evict-all-and-wait.ts), even when the context is explicit and kept;
 * - otherwise (alone, with an explicit or minimal context), or on a second
 *   OOM: 500, `fail` with reason oom.
 * The retry goes back to the top of processPending's loop: from the
 * first-model branch it loads again at once; from the "additional model"
 * branch it evicts all others and waits for every unload first. The runner it
 * makes keeps the reduced context, so later automatic requests use it as it is.
 *
 * SchedulerConfig.loadOomRetry = false switches the retry off (Ollama before v0.30.0).
 */
export function runsOutOfMemory(p: Placement): boolean {
  return p.planned > p.available;
}

export function onLoadOom(s: Scheduler, runnerId: number): void {
  const r = endFailedLoad(s, runnerId, Reason.oom);
  if (s.cfg.loadOomRetry !== false && s.profile.loadOomRetry && !r.oomRetried) {
    const cut = reducedAutoNumCtx(s.contextOf(r));
    if (cut > 0 || s.loadedCount > 0) {
      r.oomRetried = true;
      if (cut > 0) r.ctxCut = cut;
      retry(s, r);
      return;
    }
  }
  finishFailedLoad(s, r, Reason.oom);
}

/** nextLowerAutoNumCtx on the effective (clamped) context: the context to retry with, or 0 when it cannot be cut. */
export function reducedAutoNumCtx(ctx: RequestContext): number {
  if (!ctx.auto) return 0;
  return ctx.numCtx > 32768 ? 32768 : ctx.numCtx > 4096 ? 4096 : 0;
}

function retry(s: Scheduler, r: Req): void {
  if (s.loadFirst) resumeScheduling(s, r); // "first model load requested retry": continue (sched.go:300-302)
  else evictAllAndWait(s, r); // sched.go:321-326
}
