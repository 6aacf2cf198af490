import { EventKind, Reason, Status } from '../events/index.js';
import type { Scheduler } from './sched.js';
import { Where } from './types.js';

/**
 * The Ollama server restarts (a fault, not a scheduler rule): every runner
 * process is gone and its memory free at once, every request the server holds
 * — running, waiting for a slot, being loaded for, queued — fails with 500, and
 * the scheduler starts empty. The first requests after it pay the cold start.
 */
export function restartServer(s: Scheduler): void {
  s.emit(EventKind.fault, 0, -1, Reason.restart);
  s.hangs.closeAll(s); // pathology hook (pathologies.ts): the restart ends any wait
  if (s.loadHandle >= 0) s.engine.cancel(s.loadHandle);
  s.loadHandle = -1;
  s.loadingRunner = null;
  for (const r of s.inFlightRequests()) {
    if (r.where === Where.arriving || r.where === Where.done) continue;
    if (r.finishHandle >= 0) s.engine.cancel(r.finishHandle);
    r.finishHandle = -1;
    if (!r.gone) {
      s.answer(r, Status.failed, 500);
      s.emit(EventKind.fail, r.model, r.index, Reason.restart);
    }
    s.retire(r);
  }
  for (const runner of s.runners) {
    if (!runner) continue;
    if (s.loaded[runner.key] === runner) {
      s.loaded[runner.key] = null;
      s.emit(EventKind.unload, runner.model, -1, Reason.restart, runner.memory);
    }
    s.freeRunner(runner, false);
    s.emit(EventKind.unloaded, runner.model, -1, Reason.restart, runner.memory);
  }
  s.loadedCount = 0;
  s.pending.length = 0;
  s.pendingHead = 0;
  s.inHand = null;
  s.mode = 'idle';
  s.bufferedSignals = 0;
  s.awaitedSignals = 1;
  s.loadOom = false;
  s.blockedOnLoad = null; // version rules (async-load.ts, unload-request.ts)
  s.filteredGpus = null;
  s.requeued.clear();
  s.joiners.length = 0;
  s.unloadAfterLoad = false;
}
