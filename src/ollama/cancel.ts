import { EventKind, Reason, Status } from '../events/index.js';
import { failLoad } from './load.js';
import type { Scheduler } from './sched.js';
import { leaveRunner } from './slots.js';
import { Where } from './types.js';

/**
 * The client gives up (its `timeout`): it sees 499 now. What the server does
 * depends on where the request is (spec §5.2d, §5.6, §9.6):
 * - queued: it keeps its queue place and is dropped, with no load, when dequeued;
 * - in hand while the scheduler waits for an unload: the eviction goes on, and
 *   its load starts and aborts at once when its turn comes;
 * - in hand while its load runs: the load aborts, nothing is loaded;
 * - waiting for a slot or running: the handler returns, refCount −1.
 */
export function onClientTimeout(s: Scheduler, slot: number): void {
  const r = s.req(slot);
  r.cancelHandle = -1;
  s.answer(r, Status.cancelled, 499);
  r.gone = true;
  switch (r.where) {
    case Where.queued:
    case Where.inHand:
      s.emit(EventKind.cancel, r.model, r.index, Reason.client_timeout, -1);
      if (r.where === Where.inHand && s.mode === 'loading') failLoad(s, s.loadingRunner!.id, Reason.client_timeout);
      return;
    case Where.slotWait:
    case Where.running:
      leaveRunner(s, r, EventKind.cancel, Reason.client_timeout);
      return;
    default:
      throw new Error(`scheduler: client timeout for a request in state ${r.where}`);
  }
}
