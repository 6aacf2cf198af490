import { RunnerState } from './runner-ref.js';
import type { Scheduler } from './sched.js';

/**
 * The scheduler's own invariants, checked after every event when a test or a
 * soak run asks for it (SchedulerConfig.checkInvariants). A failure is a bug
 * in ollamasim, never a user error:
 *   S1 refCount ≥ 0, and busy slots ≤ the runner's slots;
 *   S2 the loaded table holds only loaded runners, one per key, and loadedCount counts them;
 *   S3 an unloading runner is idle (no unload of a runner with refCount > 0);
 *   S4 memory held on each GPU is within [0, its capacity] (partial offload keeps the rest on the CPU);
 *   S5 the pathology detector saw every request join and leave the queue, in order (pathologies.ts).
 */
export function checkInvariants(s: Scheduler): void {
  let loaded = 0;
  for (const r of s.runners) {
    if (!r) continue;
    if (r.refCount < 0) fail(`S1 runner ${r.id} has refCount ${r.refCount}`);
    if (r.busySlots > s.cfg.models[r.model]!.numParallel) fail(`S1 runner ${r.id} runs ${r.busySlots} requests`);
    if (r.state === RunnerState.unloading && r.refCount !== 0) fail(`S3 runner ${r.id} unloads with refCount ${r.refCount}`);
  }
  s.loaded.forEach((r, key) => {
    if (!r) return;
    loaded++;
    if (r.key !== key || r.state !== RunnerState.loaded || s.runners[r.id] !== r) fail(`S2 loaded table entry ${key} is not a loaded runner`);
  });
  if (loaded !== s.loadedCount) fail(`S2 loadedCount ${s.loadedCount} but ${loaded} in the table`);
  s.gpuUsed.forEach((used, g) => {
    if (used < -1 || used > s.cfg.gpus[g]! + 1) fail(`S4 GPU ${g} holds ${used} of ${s.cfg.gpus[g]} bytes`);
  });
  if (s.hangs.queuedCount() !== s.pendingLength) fail(`S5 the pathology detector counts ${s.hangs.queuedCount()} queued, the queue holds ${s.pendingLength}`);
  // S5 also: the first queued request of each model, as the detector keeps it, is the queue's.
  const first = new Map<number, number>();
  for (let i = s.pendingHead; i < s.pending.length; i++) {
    const r = s.req(s.pending[i]!);
    if (!first.has(r.model)) first.set(r.model, r.index);
  }
  for (let m = 0; m < s.cfg.models.length; m++) {
    if (s.hangs.firstQueued(m) !== (first.get(m) ?? -1)) fail(`S5 the pathology detector names request ${s.hangs.firstQueued(m)} first queued for model ${m}, the queue ${first.get(m) ?? -1}`);
  }
}

function fail(message: string): never {
  throw new Error(`scheduler invariant broken: ${message}`);
}
