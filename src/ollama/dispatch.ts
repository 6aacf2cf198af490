import { Reason } from '../events/index.js';
import { onClientTimeout } from './cancel.js';
import { getRunner } from './get-runner.js';
import { checkInvariants } from './invariants.js';
import { failLoad, onLoadDone } from './load.js';
import { onExpire, onUnloaded } from './process-completed.js';
import { Ev, type Scheduler } from './sched.js';
import { runtimeOom } from './runtime-oom.js';
import { onReserveChange } from './reserved-memory.js';
import { restartServer } from './server-restart.js';
import { onFinish } from './slots.js';
import { onRequeue } from './async-load.js';
import { processPending } from './process-pending.js';
import { Status } from '../events/index.js';
import type { Req } from './types.js';

/** Routes the scheduler's own engine events to the rule that handles them. */
export function handleEvent(s: Scheduler, kind: number, arg: number): void {
  route(s, kind, arg);
  if (s.cfg.checkInvariants) checkInvariants(s);
}

function route(s: Scheduler, kind: number, arg: number): void {
  switch (kind) {
    case Ev.finish: return onFinish(s, arg);
    case Ev.loadDone: return onLoadDone(s, arg);
    case Ev.loadFail:
      s.loadHandle = -1;
      return failLoad(s, arg, Reason.load_failed);
    case Ev.loadStall:
      s.loadHandle = -1;
      return failLoad(s, arg, Reason.load_timeout);
    case Ev.reserve: return onReserveChange(s, arg);
    case Ev.expire: return onExpire(s, arg);
    case Ev.unloaded: return onUnloaded(s, arg);
    case Ev.cancel: return onClientTimeout(s, arg);
    case Ev.restart: return restartServer(s);
    case Ev.runtimeOom: return runtimeOom(s, arg);
    case Ev.requeue: return onRequeue(s, arg, processPending);
    default: throw new Error(`scheduler: unknown event kind ${kind}`);
  }
}

/** A request arrives from the client side. */
export function arrive(s: Scheduler, r: Req): void {
  getRunner(s, r);
  if (s.cfg.checkInvariants) checkInvariants(s);
}

/**
 * The run is over: every request still held was never answered — stuck
 * (e.g. behind an eviction that never completes, spec §5.8, scenario 18).
 * Requests whose client already left keep their cancelled status.
 */
export function endRun(s: Scheduler): void {
  s.hangs.closeAll(s); // pathology hook (pathologies.ts): a wait still open at the end never ended
  for (const r of s.inFlightRequests()) {
    if (r.status === Status.pending) r.status = Status.stuck;
    s.retire(r);
  }
}
