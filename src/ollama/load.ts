import { EventKind, Reason, Status } from '../events/index.js';
import type { RequestContext } from './needs-reload.js';
import { gpuFraction, modelFit } from './model-fit.js';
import { onLoadOom, runsOutOfMemory } from './load-oom.js';
import { loadStallAfter } from './load-stall.js';
import { selectPlacement, type Placement } from './placement.js';
import { releaseRunner } from './process-completed.js';
import { schedulerFree } from './process-pending.js';
import { RunnerState } from './runner-ref.js';
import { Ev, Prio, type Scheduler } from './sched.js';
import type { Req, SchedModel } from './types.js';
import { useLoadedRunner } from './use-loaded-runner.js';
import { markIfUnloadRequested } from './unload-request.js';
import { releaseJoiners } from './join-load.js';

/**
 * load (spec §5.2c, §5.6): synchronous — the scheduler is blocked from spawn
 * until the runner is ready. VRAM is held from the start of the load. On success
 * the runner enters the loaded table and the request that caused the load is
 * admitted (refCount 1). Failures are not cached: the next queued request for
 * the model makes its own attempt.
 */
export function startLoad(s: Scheduler, r: Req, model: SchedModel, placement: Placement, ctx: RequestContext): void {
  const runner = s.newRunner(model.key, r.model, placement.vram, placement.gpuShare, ctx.numCtx, ctx.auto);
  runner.sessionDuration = s.initialDuration(r);
  runner.numGpu = model.numGpu ?? -1;
  s.loadFirst = s.loadedCount === 0;
  s.loadOom = runsOutOfMemory(placement);
  s.emit(EventKind.load_start, r.model, r.index, r.ctxCut > 0 ? Reason.context_reduced : Reason.none, runner.memory);
  if (r.gone) {
    // Its client left during the eviction wait: llama-server starts, sees the
    // cancelled context and is closed at once (spec §9.6).
    failLoad(s, runner.id, Reason.client_timeout);
    return;
  }
  s.mode = 'loading';
  s.loadingRunner = runner;
  const failsAfter = s.loadFailsAfter(r.model);
  const stall = loadStallAfter(s, r.model); // null: it makes progress
  if (failsAfter < Infinity && (stall === null || failsAfter <= stall)) {
    s.loadHandle = s.engine.schedule(s.now + failsAfter, Prio.load, Ev.loadFail, runner.id);
  } else if (stall !== null) {
    // With OLLAMA_LOAD_TIMEOUT ≤ 0 (forever) nothing is scheduled: the scheduler stays blocked.
    if (stall < Infinity) s.loadHandle = s.engine.schedule(s.now + stall, Prio.load, Ev.loadStall, runner.id);
  } else {
    const loadTime = s.loadTime(r.model);
    runner.loadSeconds = loadTime / 1e6;
    s.loadHandle = s.engine.schedule(s.now + loadTime, Prio.load, Ev.loadDone, runner.id);
  }
}

export function onLoadDone(s: Scheduler, runnerId: number): void {
  if (s.loadOom) return onLoadOom(s, runnerId);
  const runner = s.runners[runnerId]!;
  const r = s.inHand!;
  s.loadHandle = -1;
  s.loadingRunner = null;
  runner.state = RunnerState.loaded;
  runner.loadedAt = s.now;
  s.loaded[runner.key] = runner;
  s.loadedCount++;
  s.emit(EventKind.load_end, runner.model, r.index, Reason.none, runner.memory);
  s.inHand = null;
  s.mode = 'idle';
  useLoadedRunner(s, r, runner, Reason.loaded);
  releaseJoiners(s, true);
  markIfUnloadRequested(s, runner);
  schedulerFree(s);
}

/**
 * The load ends without a runner: a crash, an out-of-memory error or a stall
 * (500 to the request, the reason naming the cause) or its client leaving (499,
 * logged only). The process is gone, so its memory is free at once.
 */
export function failLoad(s: Scheduler, runnerId: number, reason: Reason): void {
  finishFailedLoad(s, endFailedLoad(s, runnerId, reason), reason);
}

/** The request whose load failed gets its answer (500, or its client already left) and the scheduler moves on. */
export function finishFailedLoad(s: Scheduler, r: Req, reason: Reason): void {
  if (reason !== Reason.client_timeout) {
    s.answer(r, Status.failed, 500);
    s.emit(EventKind.fail, r.model, r.index, reason);
  }
  s.retire(r);
  schedulerFree(s);
}

/** The loading process is gone: its memory is free, `load_fail` says why. Returns the request in hand. */
export function endFailedLoad(s: Scheduler, runnerId: number, reason: Reason): Req {
  const runner = s.runners[runnerId]!;
  const r = s.inHand!;
  if (s.loadHandle >= 0) s.engine.cancel(s.loadHandle);
  s.loadHandle = -1;
  s.loadingRunner = null;
  s.loadOom = false;
  s.unloadAfterLoad = false;
  s.freeRunner(runner);
  s.emit(EventKind.load_fail, runner.model, r.index, reason, runner.memory);
  releaseJoiners(s, false);
  return r;
}

/**
 * A model already resident when the simulation starts (the scenario's `warm`
 * list): loaded at t = 0 in no time, idle, with the keep_alive given or else
 * OLLAMA_KEEP_ALIVE, its timer running. Returns false if it does not fit.
 */
export function loadWarm(s: Scheduler, modelIndex: number, keepAlive: number): boolean {
  const model = s.cfg.models[modelIndex]!;
  const ctx = s.baseContext(modelIndex);
  const placement = selectPlacement(modelFit(model, ctx, s.cfg.cudaWithoutFlashAttention, undefined, s.profile.batchSurcharge), s.cfg.gpus, s.gpuTaken(), s.cfg.env.schedSpread, s.loadedCount === 0, s.systemFree(), gpuFraction(model), s.fitRules);
  if (!placement || s.loaded[model.key] || s.loadedCount >= s.maxRunners) return false;
  const runner = s.newRunner(model.key, modelIndex, placement.vram, placement.gpuShare, ctx.numCtx, ctx.auto);
  runner.sessionDuration = Number.isNaN(keepAlive) ? s.cfg.env.keepAlive : keepAlive;
  runner.state = RunnerState.loaded;
  runner.loadedAt = s.now;
  s.loaded[runner.key] = runner;
  s.loadedCount++;
  s.emit(EventKind.load_start, modelIndex, -1, Reason.none, runner.memory);
  s.emit(EventKind.load_end, modelIndex, -1, Reason.none, runner.memory);
  // Idle from the start: refCount 0 → timer (or unload at once for keep_alive 0).
  runner.refCount = 1;
  releaseRunner(s, runner);
  return true;
}
