import { EventKind, Reason, Status } from '../events/index.js';
import { markRunner } from './expire-runner.js';
import { isAbsent } from './keep-alive.js';
import type { RunnerRef } from './runner-ref.js';
import type { Scheduler } from './sched.js';
import { Op, type Req } from './types.js';

/**
 * What older versions do with a request's keep_alive and an unload request
 * (versions.ts), before getRunner's E3 rules:
 *
 * - A JSON-number keep_alive is whole seconds before v0.11.8: api.Duration's
 *   UnmarshalJSON does `int(t) * int(time.Second)` (0.6.8 api/types.go:705;
 *   0.11.7 :891), so 0.9 is 0 and unloads at once. The simulator cannot tell a
 *   number from a Go-duration string once parsed, so it truncates both (a string
 *   such as "1500ms" would keep its fraction in Ollama).
 * - Before v0.3.11 there is no unload shortcut (abed273de, #6739; 0.3.11
 *   routes.go:123): an empty prompt with keep_alive 0 goes through the scheduler
 *   like a preload, loads the model if needed, and the runner unloads when it
 *   returns (duration 0).
 */
export function applyRequestRules(s: Scheduler, r: Req): void {
  const p = s.profile;
  if (p.wholeSecondKeepAlive && !isAbsent(r.keepAlive) && r.keepAlive > 0 && Number.isFinite(r.keepAlive)) {
    r.keepAlive = Math.trunc(r.keepAlive / 1e6) * 1e6;
  }
  if (!p.unloadShortcut && r.op === Op.unload) {
    r.op = Op.preload;
    r.keepAlive = 0;
  }
}

/** Whether this request takes the unload shortcut under this version. */
export function takesUnloadShortcut(s: Scheduler, r: Req): boolean {
  if (!s.profile.unloadShortcut) return false;
  return r.op === Op.unload || (r.op === Op.preload && r.keepAlive === 0);
}

/**
 * An unload request for a model that is loading. E1 and E2 keep the loading
 * runner in the table, so routes.go's expireRunner waits on its refMu for the
 * load and then marks it: it unloads after the request that loaded it
 * (0.6.8 routes.go:162-163 → sched.go:844-861; 0.20.0 sched.go:914-931). From
 * v0.30.0 the runner is not in the table until ready and the unload is a no-op
 * (spec §3, §6.2 #11). The request is answered at once here (Ollama answers
 * once the load ends: its latency is not modelled). Returns true if handled.
 */
export function unloadDuringLoad(s: Scheduler, r: Req): boolean {
  const loading = s.loadingRunner;
  if (!s.profile.unloadWaitsForLoad || !loading || loading.key !== s.cfg.models[r.model]!.key) return false;
  s.unloadAfterLoad = true;
  r.admitted = r.start = s.now;
  s.answer(r, Status.ok, 200);
  s.emit(EventKind.finish, r.model, r.index, Reason.unload_request, -1);
  s.retire(r);
  return true;
}

/** The load an unload request waited for is done: mark the runner (it unloads when its requests return). */
export function markIfUnloadRequested(s: Scheduler, runner: RunnerRef): void {
  if (!s.unloadAfterLoad) return;
  s.unloadAfterLoad = false;
  if (s.loaded[runner.key] === runner) markRunner(s, runner, Reason.unload_request);
}
