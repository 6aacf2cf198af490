import { EventKind, Reason, Status } from '../events/index.js';
import { markRunner } from './expire-runner.js';
import { INVALID } from './keep-alive.js';
import { needsReload } from './needs-reload.js';
import { processPending, take } from './process-pending.js';
import { Ev, Prio, type Scheduler } from './sched.js';
import { type Req, Where } from './types.js';
import { useLoadedRunner } from './use-loaded-runner.js';
import { serveDuringLoad } from './async-load.js';
import { joinsLoad } from './join-load.js';
import { applyRequestRules, takesUnloadShortcut, unloadDuringLoad } from './unload-request.js';

/**
 * A request reaches the server (GenerateHandler → scheduleRunner → getRunner,
 * spec §3, §5.1):
 * 1. keep_alive that api.Duration rejects → 400 before anything else;
 * 2. empty prompt with keep_alive 0 → expireRunner on the loaded runner, if
 *    any (a no-op while it is still loading), and 200 at once;
 * 3. model loaded and no reload needed → admitted at once (fast path): never
 *    queued, never a 503, never blocked by the scheduler;
 * 4. otherwise the slow path: handed straight to an idle scheduler (spec §9.6),
 *    else appended to the pending queue, or 503 if OLLAMA_MAX_QUEUE requests
 *    already wait there.
 * Older versions (versions.ts) differ at 2 (unload-request.ts), at 3 (no fast
 * path before v0.11.5; in E2 a request for the loading model joins the load,
 * join-load.ts) and at 4 (E1 serves loaded models' requests during a load,
 * async-load.ts).
 */
export function getRunner(s: Scheduler, r: Req): void {
  s.emit(EventKind.arrive, r.model, r.index, Reason.none);
  if (r.keepAlive === INVALID) {
    s.answer(r, Status.rejected, 400);
    s.emit(EventKind.rejected, r.model, r.index, Reason.bad_keep_alive);
    s.retire(r);
    return;
  }
  if (Number.isFinite(r.timeout)) {
    r.cancelHandle = s.engine.schedule(r.arrival + r.timeout, Prio.cancel, Ev.cancel, r.slot);
  }
  applyRequestRules(s, r); // older versions' keep_alive and unload rules (unload-request.ts)
  const model = s.cfg.models[r.model]!;
  const runner = s.loaded[model.key];

  // An empty prompt with keep_alive exactly 0 is the unload shortcut, whichever op wrote it.
  if (takesUnloadShortcut(s, r)) {
    if (!runner && unloadDuringLoad(s, r)) return;
    if (runner) markRunner(s, runner, Reason.unload_request);
    r.admitted = r.start = s.now;
    s.answer(r, Status.ok, 200);
    s.emit(EventKind.finish, r.model, r.index, runner ? Reason.unload_request : Reason.no_op, -1);
    s.retire(r);
    return;
  }

  // Before v0.11.5 there is no fast path: every request is queued (versions.ts).
  if (runner && s.profile.fastPath) {
    if (!needsReload(runner, s.contextOf(r), model.numGpu)) {
      useLoadedRunner(s, r, runner, Reason.fast_path);
      return;
    }
  }

  if (joinsLoad(s, r)) return; // E2: the loading runner is in the table (join-load.ts)

  if (s.mode === 'idle' && s.pendingLength === 0) {
    take(s, r);
    processPending(s);
  } else if (s.pendingLength >= s.cfg.env.maxQueue) {
    s.answer(r, Status.rejected, 503);
    s.emit(EventKind.rejected, r.model, r.index, Reason.queue_full);
    if (s.mode === 'waiting') s.hangs.queuedWhileWaiting(s, r, true); // pathology hook (pathologies.ts)
    s.retire(r);
  } else {
    r.where = Where.queued;
    s.pending.push(r.slot);
    s.emit(EventKind.queued, r.model, r.index, Reason.none, s.pendingLength);
    s.hangs.queued(r); // pathology hooks (pathologies.ts)
    if (s.mode === 'waiting') s.hangs.queuedWhileWaiting(s, r, false);
    serveDuringLoad(s); // E1: a loaded model's request may pass a load (async-load.ts)
  }
}
