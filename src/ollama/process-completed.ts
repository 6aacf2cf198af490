import { EventKind, Reason } from '../events/index.js';
import { FOREVER } from './keep-alive.js';
import { stopTimer } from './expire-runner.js';
import { RunnerState, type RunnerRef } from './runner-ref.js';
import { Ev, Prio, type Scheduler } from './sched.js';
import { onUnloadedSignal } from './process-pending.js';

/**
 * processCompleted (spec §4.3, §4.7): a request returns its runner. When
 * refCount reaches 0 a duration ≤ 0 expires the runner now; a finite duration
 * starts a new timer (expires_at = now + duration, the duration in force now);
 * forever starts none.
 */
export function releaseRunner(s: Scheduler, runner: RunnerRef): void {
  runner.refCount--;
  runner.lastUsed = s.now;
  if (runner.refCount > 0) return;
  if (runner.sessionDuration <= 0) {
    unloadRunner(s, runner, runner.markReason === Reason.none ? Reason.expired : runner.markReason);
  } else {
    if (runner.sessionDuration !== FOREVER) {
      runner.expiresAt = s.now + runner.sessionDuration;
      runner.expireTimer = 1;
      s.engine.schedule(runner.expiresAt, Prio.expire, Ev.expire, runner.id);
      s.emit(EventKind.timer_start, runner.model, -1, Reason.none, runner.expiresAt);
    }
    if (s.mode === 'waiting') s.hangs.released(s, runner); // pathology hook (pathologies.ts): a resurrected victim went idle
  }
}

/**
 * An expire timer fired. It is live only if the runner still has a timer
 * running that ends now; otherwise it was stopped (an admission) or replaced,
 * or the runner is gone. A live timer means the runner is idle: timers are
 * stopped whenever a request is admitted.
 */
export function onExpire(s: Scheduler, runnerId: number): void {
  const runner = s.runners[runnerId];
  if (!runner || runner.expireTimer < 0 || runner.expiresAt !== s.now || runner.state !== RunnerState.loaded) return;
  runner.expireTimer = -1;
  unloadRunner(s, runner, Reason.expired);
}

/**
 * Unload: close the process and remove it from the loaded table (new requests
 * now take the slow path), then after U the "unloaded" signal. Until then the
 * GPU still reports the memory as used (spec §9.2). CPU-only runners skip the
 * VRAM-recovery wait.
 */
export function unloadRunner(s: Scheduler, runner: RunnerRef, reason: Reason): void {
  stopTimer(s, runner);
  runner.state = RunnerState.unloading;
  s.loaded[runner.key] = null;
  s.loadedCount--;
  s.emit(EventKind.unload, runner.model, -1, reason, runner.memory);
  const onGpu = runner.gpuShare.some((b) => b > 0);
  s.engine.schedule(s.now + (onGpu ? s.cfg.unload : 0), Prio.unloaded, Ev.unloaded, runner.id);
}

export function onUnloaded(s: Scheduler, runnerId: number): void {
  const runner = s.runners[runnerId];
  if (!runner) return; // gone with a server restart

  s.freeRunner(runner);
  s.emit(EventKind.unloaded, runner.model, -1, Reason.none, runner.memory);
  onUnloadedSignal(s);
}
