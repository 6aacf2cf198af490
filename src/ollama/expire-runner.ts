import { EventKind, Reason } from '../events/index.js';
import { unloadRunner } from './process-completed.js';
import type { RunnerRef } from './runner-ref.js';
import type { Scheduler } from './sched.js';

/**
 * Marking (spec §4.3.4), used for eviction, reload and an explicit unload:
 * stop the timer, force the duration to 0, and unload at once if idle, or when
 * refCount reaches 0. The scheduler never clears a mark; a marked runner still
 * serves fast-path requests, and a later request carrying a non-zero keep_alive
 * overwrites the 0 and so un-marks it (useLoadedRunner).
 */
export function markRunner(s: Scheduler, runner: RunnerRef, reason: Reason): void {
  stopTimer(s, runner);
  runner.sessionDuration = 0;
  runner.markReason = reason;
  s.emit(EventKind.mark, runner.model, -1, reason, runner.memory);
  if (runner.refCount === 0) unloadRunner(s, runner, reason);
}

/**
 * Stops the expire timer. The pending engine event is not removed: it is
 * recognised as stale when it fires (see onExpire), which is cheaper than
 * cancelling on every admission of a busy model.
 */
export function stopTimer(_s: Scheduler, runner: RunnerRef): void {
  runner.expireTimer = -1;
}
