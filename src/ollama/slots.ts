import { EventKind, Reason, Status } from '../events/index.js';
import { releaseRunner } from './process-completed.js';
import type { RunnerRef } from './runner-ref.js';
import { Ev, Prio, type Scheduler } from './sched.js';
import { type Req, Where } from './types.js';

/**
 * Parallel slots (spec §5.7): each runner has OLLAMA_NUM_PARALLEL slots; extra
 * admitted requests wait FIFO inside the runner, uncapped, outside MAX_QUEUE,
 * and still hold their refCount.
 */
export function enterSlot(s: Scheduler, r: Req, runner: RunnerRef): void {
  if (runner.busySlots < s.cfg.models[runner.model]!.numParallel) {
    startInference(s, r, runner);
  } else {
    r.where = Where.slotWait;
    runner.slotQueue.push(r.slot);
  }
}

function startInference(s: Scheduler, r: Req, runner: RunnerRef): void {
  runner.busySlots++;
  if (runner.busySlots === 1) s.runnerBusy(runner, true);
  r.where = Where.running;
  r.start = s.now;
  s.emit(EventKind.start, r.model, r.index, Reason.none, runner.refCount);
  let work = r.duration;
  const scale = s.cfg.answerScale;
  if (r.scalable && scale) {
    // Token-sized work slows with the streams sharing the runner and with layers on the CPU (fixed at its start).
    const gpuShare = runner.vram > 0 && s.cfg.gpus.length > 0 ? runner.memory / runner.vram : 0;
    work = Math.max(1, Math.round(work * scale(runner.model, runner.busySlots, gpuShare)));
  }
  r.finishHandle = s.engine.schedule(s.now + work, Prio.finish, Ev.finish, r.slot);
}

/** The inference finished: answer 200, free the slot, return the runner. */
export function onFinish(s: Scheduler, slot: number): void {
  const r = s.req(slot);
  r.finishHandle = -1;
  s.answer(r, Status.ok, 200);
  leaveRunner(s, r, EventKind.finish, Reason.none);
}

/**
 * A request lets go of its runner (finished, or its client left while it ran
 * or waited for a slot): free its slot for the next waiter, then refCount −1.
 */
export function leaveRunner(s: Scheduler, r: Req, kind: EventKind, reason: Reason): void {
  const runner = s.runners[r.runner]!;
  if (r.where === Where.running) {
    runner.busySlots--;
    if (runner.busySlots === 0) s.runnerBusy(runner, false);
    if (r.finishHandle >= 0) s.engine.cancel(r.finishHandle);
  } else {
    runner.removeWaiting(r.slot);
  }
  if (s.mode === 'waiting') s.hangs.left(s, r, runner); // pathology hook (pathologies.ts)
  s.emit(kind, r.model, r.index, reason, runner.refCount - 1);
  s.retire(r);
  while (runner.waiting > 0 && runner.busySlots < s.cfg.models[runner.model]!.numParallel) {
    startInference(s, s.req(runner.shiftWaiting()), runner);
  }
  releaseRunner(s, runner);
}
