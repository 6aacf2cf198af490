import { EventKind, Reason } from '../events/index.js';
import { gpuFraction, modelFit } from './model-fit.js';
import { type Fit, placementExists } from './placement.js';
import { RunnerState, type RunnerRef } from './runner-ref.js';
import type { Scheduler } from './sched.js';
import { type Req, Where } from './types.js';

/**
 * The pathology detector: it watches the scheduler's eviction wait (spec §5.2d,
 * sched.go fb30760 processPending lines 340–357: mark the victim with
 * `sessionDuration = 0`, then block on `<-s.unloadedCh`) and records, as
 * `hang_start` / `hang_end` events whose reason names the cause, the spans of
 * that wait that a known Ollama pathology explains. It only observes: no
 * decision depends on it.
 *
 * - **resurrection** (ollama#17408; spec §4.3.4, §6.2 #18, §8): the runner the
 *   scheduler waits on had its mark cleared by a client's non-zero keep_alive
 *   (useLoadedRunner, sched.go 483–484: `runner.sessionDuration =
 *   pending.sessionDuration.Duration`), so when its last request returns it
 *   starts a timer (processCompleted, sched.go 386–409) instead of unloading.
 *   Starts when that runner goes idle still loaded — the moment it would have
 *   unloaded had the mark held (while requests keep it busy, a marked runner
 *   would be held just the same: spec §4.3.4); every later request resets its
 *   timer, and with -1 it never unloads.
 * - **reload_starvation** (ollama#14407; spec §4.5, §6.2 #19): the scheduler
 *   waits for a reload of a runner (sched.go 256–258) that keeps serving
 *   fast-path requests with the old options (getRunner, sched.go 201–202).
 *   Starts when every request that held the runner at the mark has returned
 *   and later fast-path requests still hold it.
 * - **head_of_line** (ollama#14578; spec §5.2, §6.2 #17): a queued request
 *   whose model would load now without evicting anything waits behind the
 *   eviction (one goroutine takes one request at a time, sched.go 225–357).
 *   Starts when the first such request waits. Whether a model would load is
 *   judged at its default context (a request's own num_ctx is not looked at).
 *
 * The OOM retry's wait for every runner it marked (evictAllAndWait,
 * sched.go:1586-1630) is watched the same way: any of its victims can be
 * resurrected, and requests that would fit wait behind it.
 *
 * Each episode ends when the wait does (any unloaded signal, sched.go 355; for
 * the OOM retry, the last of the signals it waits for), at
 * a server restart, or at the end of the run. `hang_start` carries the model
 * of the runner waited on and the request in hand (for head_of_line, the
 * first request that would fit); `hang_end` carries, as its value, the
 * requests the episode held — the request in hand, those queued or turned
 * away with 503 during it (and, for head_of_line, the queued requests of
 * models that would load) — counting each request once per pathology.
 */
export const PATHOLOGIES = [
  { kind: 'resurrection', reason: Reason.resurrection, issue: 'ollama#17408' },
  { kind: 'reload_starvation', reason: Reason.reload_starvation, issue: 'ollama#14407' },
  { kind: 'head_of_line', reason: Reason.head_of_line, issue: 'ollama#14578' },
] as const;

const RESURRECTION = 0;
const STARVATION = 1;
const HEAD_OF_LINE = 2;

interface Episode {
  model: number;
  /** Requests first held by this pathology during this episode. */
  held: number;
}

export class HangDetector {
  /** The runners the scheduler marked and now waits on: one, or every one evictAllAndWait marked (empty when not waiting). */
  private victims: RunnerRef[] = [];
  /** For a reload wait: the requests (pool slots) that held the victim when it was marked. */
  private holders: Set<number> | null = null;
  private readonly open: (Episode | null)[] = [null, null, null];
  private readonly seen = [new Set<number>(), new Set<number>(), new Set<number>()];
  /** Per model during one wait: whether it would load now without an eviction (-1 = not yet asked)... */
  private readonly fits: Int8Array;
  /** ...for this many runners in the loaded table (an expiry during the wait lowers it). */
  private fitsFor = -1;
  /** Each model's fit at its default context (constant: what changes is the memory it is checked against). */
  private readonly modelFit: (Fit | undefined)[] = [];
  /** GPU memory taken, read once per answer set (it changes only with signals that end the wait). */
  private taken: Float64Array | null = null;
  /** Free GPU memory summed over GPUs, with `taken`. */
  private free = 0;
  /**
   * Per model, requests ever queued (tail) and ever taken off the queue (head):
   * the queue is FIFO, so a model's queued requests are the range [head, tail)
   * of its own sequence, and `counted` marks how far head_of_line has counted
   * it — each request once, without scanning the queue at every wait.
   */
  private readonly tail: Float64Array;
  private readonly head: Float64Array;
  private readonly counted: Float64Array;
  /**
   * Per model, the request indexes it has queued, oldest at [head − dropped]:
   * the first queued request of a model without scanning the whole queue (up
   * to OLLAMA_MAX_QUEUE long) at every wait.
   */
  private readonly queuedIndexes: number[][];
  private readonly dropped: Float64Array;

  constructor(models: number) {
    this.fits = new Int8Array(models);
    this.tail = new Float64Array(models);
    this.head = new Float64Array(models);
    this.counted = new Float64Array(models);
    this.queuedIndexes = Array.from({ length: models }, () => []);
    this.dropped = new Float64Array(models);
  }

  /** Hook: processPending marked `victim` and now blocks until an unloaded signal. */
  waitStarted(s: Scheduler, victim: RunnerRef, reason: Reason): void {
    this.begin(s, [victim]);
    if (reason === Reason.reload && victim.refCount > 0) {
      this.holders = new Set();
      for (const r of s.inFlightRequests()) {
        if (r.runner === victim.id && (r.where === Where.running || r.where === Where.slotWait)) this.holders.add(r.slot);
      }
    }
    this.queuedThatFit(s);
  }

  /**
   * Hook: after a load ran out of memory, evictAllAndWait (sched.go:1586-1630)
   * marked `victims` and now blocks until each has sent its unloaded signal:
   * a resurrected one (its mark cleared by a client's keep_alive) holds the
   * wait as a single victim does, and requests that would fit wait behind it.
   */
  waitStartedAll(s: Scheduler, victims: readonly RunnerRef[]): void {
    this.begin(s, victims.slice());
    this.queuedThatFit(s);
  }

  private begin(s: Scheduler, victims: RunnerRef[]): void {
    this.victims = victims;
    this.holders = null;
    this.fits.fill(-1);
    this.fitsFor = s.loadedCount;
    this.taken = null;
  }

  /** At the start of a wait: the queued requests of models that would load now wait behind it. */
  private queuedThatFit(s: Scheduler): void {
    if (s.loadedCount >= s.maxRunners) return; // at the cap nothing loads without an eviction
    for (let m = 0; m < this.tail.length; m++) {
      if (this.tail[m]! > this.head[m]! && this.modelFits(s, m)) this.headOfLine(s, m, this.firstQueued(m));
    }
  }

  /** Requests the detector counts as queued: the queue's length, if every push and shift is hooked (checked as S5). */
  queuedCount(): number {
    let n = 0;
    for (let m = 0; m < this.tail.length; m++) n += this.tail[m]! - this.head[m]!;
    return n;
  }

  /** Hook: a request leaves the queue (Scheduler.shiftPending). */
  dequeued(r: Req): void {
    const m = r.model;
    this.head[m]!++;
    // Drop the indexes already off the queue now and then (not at every shift: that would copy the list each time).
    const list = this.queuedIndexes[m]!;
    const gone = this.head[m]! - this.dropped[m]!;
    if (gone >= 1024 && gone * 2 >= list.length) {
      list.splice(0, gone);
      this.dropped[m] = this.head[m]!;
    }
  }

  /** Hook: an unloaded signal ends the wait (the scheduler then re-evaluates). */
  waitEnded(s: Scheduler): void {
    this.victims = [];
    this.holders = null;
    for (let k = 0; k < this.open.length; k++) this.close(s, k);
  }

  /** Hook, while waiting: a runner's refCount reached 0 and it was not unloaded (its duration is > 0 again). */
  released(s: Scheduler, runner: RunnerRef): void {
    if (runner.state !== RunnerState.loaded || !this.victims.includes(runner)) return;
    this.start(s, RESURRECTION, runner.model, s.inHand?.index ?? -1);
  }

  /** Hook, while waiting: a request lets go of its runner (before refCount −1). */
  left(s: Scheduler, r: Req, runner: RunnerRef): void {
    if (this.holders === null || runner !== this.victims[0] || !this.holders.delete(r.slot) || this.holders.size > 0) return;
    this.holders = null;
    if (runner.refCount > 1) this.start(s, STARVATION, runner.model, s.inHand?.index ?? -1);
  }

  /** Hook: a request joined the queue (every `pending.push`). */
  queued(r: Req): void {
    this.tail[r.model]!++;
    this.queuedIndexes[r.model]!.push(r.index);
  }

  /** Hook: while the scheduler waits, a request joined the queue (or was turned away with 503). */
  queuedWhileWaiting(s: Scheduler, r: Req, rejected: boolean): void {
    if (this.open[RESURRECTION]) this.hold(RESURRECTION, r);
    if (this.open[STARVATION]) this.hold(STARVATION, r);
    if (!rejected && this.victims.length > 0 && this.modelFits(s, r.model)) this.headOfLine(s, r.model, r.index);
  }

  /** Hook: the run ends, or the server restarts (the queue is gone too): every open episode ends now. */
  closeAll(s: Scheduler): void {
    this.waitEnded(s);
    this.head.set(this.tail);
    this.dropped.set(this.tail);
    for (const list of this.queuedIndexes) list.length = 0;
  }

  /** Requests of model m queued now wait behind the eviction although m would load: count those not yet counted. */
  private headOfLine(s: Scheduler, m: number, first: number): void {
    if (!this.open[HEAD_OF_LINE]) {
      const model = this.victims[0]!.model;
      this.open[HEAD_OF_LINE] = { model, held: 0 };
      s.emit(EventKind.hang_start, model, first, Reason.head_of_line);
    }
    const from = Math.max(this.head[m]!, this.counted[m]!);
    if (this.tail[m]! > from) {
      this.open[HEAD_OF_LINE]!.held += this.tail[m]! - from;
      this.counted[m] = this.tail[m]!;
    }
  }

  /** The first queued request of model m (the one head_of_line names): the oldest it still has queued (the queue is FIFO). */
  firstQueued(m: number): number {
    return this.tail[m]! > this.head[m]! ? this.queuedIndexes[m]![this.head[m]! - this.dropped[m]!]! : -1;
  }

  /**
   * Would model m load now beside what is held, with no eviction (spec §5.2c),
   * at its default context? During a wait memory comes back only with the
   * unloaded signal that ends it, but a runner can leave the loaded table (an
   * expiry), so the answer is kept while the table's size stays the same.
   */
  private modelFits(s: Scheduler, m: number): boolean {
    if (this.fitsFor !== s.loadedCount) {
      this.fits.fill(-1);
      this.fitsFor = s.loadedCount;
      this.taken = null;
    }
    if (this.fits[m]! >= 0) return this.fits[m] === 1;
    const model = s.cfg.models[m]!;
    const f = (this.modelFit[m] ??= modelFit(model, s.baseContext(m), s.cfg.cudaWithoutFlashAttention, s.baseContext(m), s.profile.batchSurcharge));
    const fit = !s.loaded[model.key] && s.loadedCount < s.maxRunners && !this.clearlyTooBig(s, f, model) &&
      placementExists(f, s.cfg.gpus, this.gpuTaken(s), s.cfg.env.schedSpread, s.loadedCount === 0, s.systemFree(), gpuFraction(model), s.fitRules); // as processPending step c
    this.fits[m] = fit ? 1 : 0;
    return fit;
  }

  private gpuTaken(s: Scheduler): Float64Array {
    if (this.taken === null) {
      this.taken = s.gpuTaken();
      this.free = 0;
      for (let g = 0; g < this.taken.length; g++) this.free += s.cfg.gpus[g]! - this.taken[g]!;
    }
    return this.taken;
  }

  /**
   * A quick no before placement: with other runners loaded the pre-flight needs
   * P ≤ the fit threshold (80 %) of the memory available on the GPUs it would
   * use, at most what is free, so P above that share of all free GPU memory
   * cannot fit (placement.ts). Not for the first model, a
   * CPU-only host or an explicit partial offload, which skip the pre-flight.
   */
  private clearlyTooBig(s: Scheduler, f: Fit, model: Scheduler['cfg']['models'][number]): boolean {
    if (s.loadedCount === 0 || s.cfg.gpus.length === 0 || gpuFraction(model) !== -1) return false;
    this.gpuTaken(s);
    return f.predicted > s.fitRules.threshold * this.free;
  }

  private start(s: Scheduler, k: number, model: number, request: number): void {
    if (this.open[k]) return;
    this.open[k] = { model, held: 0 };
    s.emit(EventKind.hang_start, model, request, PATHOLOGIES[k]!.reason);
    if (s.inHand) this.hold(k, s.inHand);
    for (let i = s.pendingHead; i < s.pending.length; i++) this.hold(k, s.req(s.pending[i]!));
  }

  private hold(k: number, r: Req): void {
    const seen = this.seen[k]!;
    if (seen.has(r.index)) return;
    seen.add(r.index);
    this.open[k]!.held++;
  }

  private close(s: Scheduler, k: number): void {
    const e = this.open[k];
    if (!e) return;
    this.open[k] = null;
    s.emit(EventKind.hang_end, e.model, -1, PATHOLOGIES[k]!.reason, e.held);
  }
}
