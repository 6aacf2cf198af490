import { EventKind, Reason } from '../events/index.js';
import { startLoad } from './load.js';
import { gpuFraction, modelFit } from './model-fit.js';
import { needsReload } from './needs-reload.js';
import { selectPlacement } from './placement.js';
import { Ev, Prio, type Scheduler } from './sched.js';
import { type Req, Where } from './types.js';
import { useLoadedRunner } from './use-loaded-runner.js';

/**
 * E1's asynchronous load (v0.2.0–v0.11.4; read at v0.6.8 server/sched.go,
 * the same lines at v0.11.4 per spec §10.2). Only when VersionProfile.asyncLoad.
 *
 * `load` puts the runner in the table with its refMu locked and returns
 * (0.6.8 sched.go:448-476), so processPending takes the next request while the
 * weights load:
 * - a request for another, loaded model that needs no reload is served at once
 *   (0.6.8 :146-155 — needsReload locks only its own runner);
 * - any other request blocks as soon as it touches the loading runner: in
 *   needsReload (same model, :585), updateFreeSpace (a new model below the
 *   cap, :491-500) or findRunnerToUnload (:819-822); it and everything queued
 *   behind it wait for the load;
 * - a new model below the cap took its GPU list before the wait, without the
 *   GPUs that were loading (filterGPUsWithoutLoadingModels, :246, :526-543):
 *   after the load it loads on the others if it fits there fully (:249-254),
 *   else it is put back at the end of the queue 250 ms later (:261-273,
 *   reschedDelay :77).
 * In the simulator the load keeps the scheduler in mode 'loading' with its
 * request in hand, as in E2/E3; this file lets the queue's head go past it.
 */

/** While a load runs: serve the head of the queue for as long as it is a loaded model's request. */
export function serveDuringLoad(s: Scheduler): void {
  if (!s.profile.asyncLoad || s.mode !== 'loading' || s.blockedOnLoad) return;
  for (;;) {
    const r = s.peekPending();
    if (r === null) return;
    if (r.gone) {
      s.shiftPending();
      s.emit(EventKind.drop, r.model, r.index, Reason.client_timeout);
      s.retire(r);
      continue;
    }
    const model = s.cfg.models[r.model]!;
    const runner = s.loaded[model.key];
    if (!runner || needsReload(runner, s.contextOf(r), model.numGpu)) {
      block(s, r);
      return;
    }
    s.shiftPending();
    useLoadedRunner(s, r, runner, Reason.pending);
  }
}

/** The head touches the loading runner: it waits for the load; whether it is then re-queued is decided now. */
function block(s: Scheduler, r: Req): void {
  s.blockedOnLoad = r;
  const loading = s.loadingRunner;
  const model = s.cfg.models[r.model]!;
  const newModel = loading !== null && loading.key !== model.key && s.loaded[model.key] === null;
  // Go's len(s.loaded) counts the loading runner; the MaxRunners branch (:157-159) does not filter GPUs.
  const belowCap = s.loadedCount + 1 < s.maxRunners;
  // filterGPUsWithoutLoadingModels, taken before the wait: the GPUs the loading runner is on.
  const filtered = loading && s.cfg.gpus.length > 0 ? loading.gpuShare.map((b) => b > 0) : [];
  s.filteredGpus = newModel && belowCap && filtered.some(Boolean) ? filtered : null;
}

/**
 * processPending takes `r` after the load ended. When it was the request
 * blocked on that load as a new model below the cap, Go goes on with the GPU
 * list taken before the wait (0.6.8 sched.go:246-273): it loads on the GPUs
 * that were not loading if it fits there fully, else it goes back to the queue
 * 250 ms from now. True when either happened; false: schedule it as usual.
 */
export function afterBlockedLoad(s: Scheduler, r: Req): boolean {
  if (s.blockedOnLoad !== r) return false;
  s.blockedOnLoad = null;
  const filtered = s.filteredGpus;
  s.filteredGpus = null;
  if (filtered === null || r.gone) return false;
  const model = s.cfg.models[r.model]!;
  const ctx = s.contextOf(r);
  const used = s.gpuTaken();
  filtered.forEach((f, g) => { if (f) used[g] = s.cfg.gpus[g]!; }); // left out of the fit
  const placement = filtered.every(Boolean) ? null : selectPlacement(
    modelFit(model, ctx, s.cfg.cudaWithoutFlashAttention, s.baseContext(r.model), s.profile.batchSurcharge), s.cfg.gpus, used, s.cfg.env.schedSpread,
    false, s.systemFree(), gpuFraction(model), s.fitRules,
  );
  if (placement) {
    s.inHand = r;
    r.where = Where.inHand;
    startLoad(s, r, model, placement, ctx);
    return true;
  }
  r.where = Where.queued; // held by Go's goroutine: a client timeout drops it when it is dequeued
  s.requeued.add(r.slot);
  s.engine.schedule(s.now + RESCHED_DELAY, Prio.fault, Ev.requeue, r.slot);
  return true;
}

/** reschedDelay (0.6.8 sched.go:77): 250 ms. */
export const RESCHED_DELAY = 250_000;

/** The re-queued request is sent to pendingReqCh again (the goroutine of :266-270). */
export function onRequeue(s: Scheduler, slot: number, processPending: (s: Scheduler) => void): void {
  if (!s.requeued.delete(slot)) return; // gone with a server restart
  const r = s.req(slot);
  s.pending.push(r.slot);
  s.hangs.queued(r); // pathology hook (pathologies.ts)
  s.emit(EventKind.queued, r.model, r.index, Reason.requeued, s.pendingLength);
  if (s.mode === 'idle') processPending(s);
  else serveDuringLoad(s);
}
