import { EventKind, Reason } from '../events/index.js';
import { needsReload } from './needs-reload.js';
import type { Scheduler } from './sched.js';
import { type Req, Where } from './types.js';
import { useLoadedRunner } from './use-loaded-runner.js';

/**
 * E2 (v0.11.5–v0.24.0; read at v0.20.0 server/sched.go): the loading runner is
 * in the table from `llama.Load` on, with its refMu held until it is running
 * (0.20.0 :548-584). GetRunner's fast path finds it (:127-131) and blocks in
 * needsReload on that lock, so a request for the model being loaded joins the
 * load: it is served the moment the runner is up, ahead of anything queued,
 * and never counts against OLLAMA_MAX_QUEUE. If the load fails the runner is
 * gone and needsReload says reload: the request goes to the queue (:131-137).
 * From v0.30.0 the runner enters the table only when ready (spec §4.1), so
 * such a request takes the slow path.
 */
export function joinsLoad(s: Scheduler, r: Req): boolean {
  if (!s.profile.joinsLoad) return false;
  const loading = s.loadingRunner;
  const model = s.cfg.models[r.model]!;
  if (!loading || loading.key !== model.key || needsReload(loading, s.contextOf(r), model.numGpu)) return false;
  r.where = Where.queued; // blocked in GetRunner: a client timeout drops it when the load ends
  s.joiners.push(r.slot);
  return true;
}

/** The load is over: joiners are served by the new runner, or queued if there is none. */
export function releaseJoiners(s: Scheduler, loaded: boolean): void {
  if (s.joiners.length === 0) return;
  const slots = s.joiners.splice(0);
  for (const slot of slots) {
    const r = s.req(slot);
    if (r.gone) {
      // Its client left while it waited on the load: dropped, as a queued request is.
      s.emit(EventKind.drop, r.model, r.index, Reason.client_timeout);
      s.retire(r);
      continue;
    }
    const runner = loaded ? s.loaded[s.cfg.models[r.model]!.key] : null;
    if (runner) {
      useLoadedRunner(s, r, runner, Reason.pending); // it waited for the load: cold
    } else {
      s.pending.push(slot);
      s.hangs.queued(r); // pathology hook (pathologies.ts)
      s.emit(EventKind.queued, r.model, r.index, Reason.none, s.pendingLength);
    }
  }
}
