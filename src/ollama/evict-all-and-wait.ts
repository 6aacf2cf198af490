import { Reason } from '../events/index.js';
import { markRunner } from './expire-runner.js';
import { resumeScheduling } from './process-pending.js';
import type { RunnerRef } from './runner-ref.js';
import type { Scheduler } from './sched.js';
import type { Req } from './types.js';

/**
 * evictAllAndWait (sched.go:1586-1630), Ollama's OOM-retry eviction: mark every
 * loaded runner but the one for the request's own key (`mark`/`unload` with
 * reason evict_all), then wait for as many unloaded signals as runners were
 * marked. Busy runners go when their last request finishes, so the wait can be
 * long; unloaded signals buffered while the failed load ran count toward it,
 * as they sit in the same channel (spec §9.1). Then processPending loops again
 * (sched.go:321-326).
 */
export function evictAllAndWait(s: Scheduler, r: Req): void {
  const keep = s.cfg.models[r.model]!.key;
  const victims: RunnerRef[] = [];
  for (const runner of s.loaded) if (runner && runner.key !== keep) victims.push(runner);
  for (const runner of victims) markRunner(s, runner, Reason.evict_all);
  let need = victims.length;
  const buffered = Math.min(need, s.bufferedSignals);
  s.bufferedSignals -= buffered;
  need -= buffered;
  if (need === 0) {
    resumeScheduling(s, r);
    return;
  }
  s.awaitedSignals = need;
  s.mode = 'waiting';
  s.hangs.waitStartedAll(s, victims); // pathology hook (pathologies.ts)
}
