import { EventKind, Reason, Status } from '../events/index.js';
import { isAbsent } from './keep-alive.js';
import { stopTimer } from './expire-runner.js';
import type { RunnerRef } from './runner-ref.js';
import type { Scheduler } from './sched.js';
import { enterSlot } from './slots.js';
import { releaseRunner } from './process-completed.js';
import { Op, type Req } from './types.js';

/**
 * useLoadedRunner (spec §4.2, §4.3.1, §3): hand a loaded runner to a request.
 * refCount +1; the expire timer is stopped (expires_at is left stale); a
 * present keep_alive overwrites the runner's sessionDuration — the most
 * recently admitted request that carries one wins — and a non-zero one clears
 * a mark (resurrection, #17408); an absent one changes nothing.
 *
 * `how` says which path admitted it: fast_path, loaded (it caused the load) or
 * pending (dequeued by the scheduler).
 */
export function useLoadedRunner(s: Scheduler, r: Req, runner: RunnerRef, how: Reason): void {
  runner.refCount++;
  runner.lastUsed = s.now;
  stopTimer(s, runner);
  if (!isAbsent(r.keepAlive)) {
    runner.sessionDuration = r.keepAlive;
    if (r.keepAlive !== 0) runner.markReason = Reason.none;
  }
  r.runner = runner.id;
  r.admitted = s.now;
  // Cold: it waited on a load of this runner (it arrived before the load completed).
  r.cold = how !== Reason.fast_path && r.arrival <= runner.loadedAt;
  s.emit(EventKind.admitted, r.model, r.index, how, runner.refCount);

  if (r.gone) {
    // Its client left while the scheduler held it: the handler returns at once.
    releaseRunner(s, runner);
    s.retire(r);
  } else if (r.op === Op.preload) {
    // An empty prompt answers 200 done_reason "load" without taking a slot.
    r.start = s.now;
    s.answer(r, Status.ok, 200);
    s.emit(EventKind.finish, r.model, r.index, Reason.preload, runner.refCount - 1);
    releaseRunner(s, runner);
    s.retire(r);
  } else {
    enterSlot(s, r, runner);
  }
}
