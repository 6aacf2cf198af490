import { EventKind, Reason } from '../events/index.js';
import { evictAllAndWait } from './evict-all-and-wait.js';
import { markRunner } from './expire-runner.js';
import { findRunnerToUnload } from './find-runner-to-unload.js';
import { startLoad } from './load.js';
import { needsReload } from './needs-reload.js';
import { gpuFraction, modelFit } from './model-fit.js';
import { selectPlacement } from './placement.js';
import type { RunnerRef } from './runner-ref.js';
import type { Scheduler } from './sched.js';
import { type Req, Where } from './types.js';
import { useLoadedRunner } from './use-loaded-runner.js';
import { afterBlockedLoad, serveDuringLoad } from './async-load.js';

/**
 * processPending (spec §5.2): one goroutine, one request at a time. It blocks
 * while a load runs (loads are serial) and while it waits for an unload, and
 * every slow-path request waits behind it (head-of-line blocking).
 *
 * When the idle scheduler has both a queued request and buffered unloaded
 * signals, Go's select picks at random; we drain the signals first, then take
 * the request (spec §9.1), so runs are reproducible.
 */
export function processPending(s: Scheduler): void {
  while (s.mode === 'idle') {
    const r = s.shiftPending();
    if (r === null) return;
    s.bufferedSignals = 0;
    if (afterBlockedLoad(s, r)) continue; // E1: re-queued, or loading beside the last load (async-load.ts)
    if (r.gone) {
      // Its client left while it was queued: dropped silently, nothing loaded.
      s.emit(EventKind.drop, r.model, r.index, Reason.client_timeout);
      s.retire(r);
      continue;
    }
    take(s, r);
  }
  serveDuringLoad(s);
}

/** The scheduler takes a request in hand (from the queue, or handed over while idle). */
export function take(s: Scheduler, r: Req): void {
  s.bufferedSignals = 0;
  s.inHand = r;
  r.where = Where.inHand;
  schedule(s, r);
}

/**
 * The inner loop for the request in hand, steps a–d of spec §5.2. Runs until
 * the request is admitted, a load starts, or it must wait for an unload.
 */
function schedule(s: Scheduler, r: Req): void {
  const model = s.cfg.models[r.model]!;
  const ctx = s.contextOf(r);
  for (;;) {
    const runner = s.loaded[model.key];
    let victim: RunnerRef | null;
    let reason: Reason = Reason.evicted;
    if (runner) {
      // a. Loaded and usable → admit; loaded but needing a reload → evict it.
      if (!needsReload(runner, ctx, model.numGpu)) return admit(s, r, runner);
      victim = runner;
      reason = Reason.reload;
    } else if (s.loadedCount >= s.maxRunners) {
      // b. At OLLAMA_MAX_LOADED_MODELS.
      victim = findRunnerToUnload(s.loaded, s.cfg.keyNames, s.cfg.victimOrder);
    } else {
      // c. Fits (or nothing is loaded, or CPU-only) → load; else evict.
      const placement = selectPlacement(
        modelFit(model, ctx, s.cfg.cudaWithoutFlashAttention, s.baseContext(r.model), s.profile.batchSurcharge), s.cfg.gpus, s.gpuTaken(), s.cfg.env.schedSpread,
        s.loadedCount === 0, s.systemFree(), gpuFraction(model), s.fitRules,
      );
      if (placement) {
        startLoad(s, r, model, placement, ctx);
        return;
      }
      // After its OOM retry began, a request that must evict evicts everything (sched.go:316-326).
      if (r.oomRetried) return evictAllAndWait(s, r);
      victim = findRunnerToUnload(s.loaded, s.cfg.keyNames, s.cfg.victimOrder);
    }
    if (!victim) throw new Error('scheduler: nothing to evict yet the model does not fit');
    // d. Mark the victim, then wait for any unloaded signal; signals buffered
    //    while we were busy end the wait at once (spec §9.1).
    markRunner(s, victim, reason);
    if (s.bufferedSignals > 0) {
      s.bufferedSignals--;
      continue;
    }
    s.mode = 'waiting';
    s.hangs.waitStarted(s, victim, reason); // pathology hook (pathologies.ts)
    return;
  }
}

function admit(s: Scheduler, r: Req, runner: RunnerRef): void {
  s.inHand = null;
  s.mode = 'idle';
  useLoadedRunner(s, r, runner, Reason.pending);
}

/** An unloaded signal (spec §4.7, §9.1): wakes an eviction wait, is buffered while busy, dropped while idle. */
export function onUnloadedSignal(s: Scheduler): void {
  if (s.mode === 'waiting') {
    if (--s.awaitedSignals > 0) return; // evictAllAndWait needs one signal per runner it marked
    s.awaitedSignals = 1;
    s.hangs.waitEnded(s); // pathology hook (pathologies.ts)
    s.mode = 'idle';
    const r = s.inHand!;
    schedule(s, r);
    processPending(s);
  } else if (s.mode === 'loading') {
    s.bufferedSignals++;
  }
}

/** processPending's `continue` for the request in hand (after an OOM retry's eviction or at once): re-evaluate it, then go on with the queue. */
export function resumeScheduling(s: Scheduler, r: Req): void {
  s.mode = 'idle';
  schedule(s, r);
  processPending(s);
}

/** The scheduler is done with the request in hand: go on with the queue. */
export function schedulerFree(s: Scheduler): void {
  s.inHand = null;
  s.mode = 'idle';
  processPending(s);
}

