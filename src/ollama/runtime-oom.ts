import { EventKind, Reason, Status } from '../events/index.js';
import { markRunner } from './expire-runner.js';
import type { Scheduler } from './sched.js';
import { leaveRunner } from './slots.js';
import { Where } from './types.js';

/**
 * expireRunnersForRuntimeOOM (spec §5.6, scenario 32): an inference on a
 * model runs out of memory. That request fails with 500, and every loaded
 * runner is marked: idle ones unload now, busy ones when they finish. The
 * request hit is the longest-running one on the model's runner; with nothing
 * running there the fault has no effect.
 */
export function runtimeOom(s: Scheduler, model: number): void {
  const runner = s.loaded[s.cfg.models[model]!.key];
  s.emit(EventKind.fault, model, -1, Reason.runtime_oom);
  if (!runner) return;
  let victim = null;
  for (const r of s.inFlightRequests()) {
    if (r.where === Where.running && r.runner === runner.id && (!victim || r.start < victim.start)) victim = r;
  }
  if (!victim) return;
  s.answer(victim, Status.failed, 500);
  s.emit(EventKind.fail, victim.model, victim.index, Reason.runtime_oom);
  leaveRunner(s, victim, EventKind.finish, Reason.runtime_oom);
  for (const r of s.loaded) if (r) markRunner(s, r, Reason.runtime_oom);
}
