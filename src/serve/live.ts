import { Engine } from '../engine/index.js';
import { EventKind, type EventSink, type Reason } from '../events/index.js';
import {
  arrive, Ev, handleEvent, loadWarm, Prio, Scheduler, type Req, type RequestSink, type SchedulerConfig,
} from '../ollama/index.js';
import type { Op } from '../workload/trace.js';

/**
 * A clock in milliseconds: `now` monotonic, `wall` the epoch
 * time (for created_at and expires_at). Injected, so nothing in src/serve reads
 * the system clock itself.
 */
export interface Clock {
  now(): number;
  wall(): number;
}

/** What a live request is told by the simulation. */
export interface LiveRequest {
  /** Its runner starts on it (sim µs); `work` = how long it will run (after parallel-stream stretch). */
  started(at: number, work: number): void;
  /** The server answered it (200, 400, 499, 500, 503), or let go of it. */
  ended(r: Req): void;
}

/**
 * The engine and Ollama's scheduler driven in (scaled) wall-clock time: the
 * simulated clock is `speed` × the time since start, events are handled when
 * the wall clock reaches them (one timer, re-armed for the next event), and
 * HTTP requests are injected as arrivals at the instant they come in. The
 * scheduler is the one `run` uses, unchanged: the same delays, 503s and 500s.
 */
export class LiveSim {
  readonly engine = new Engine();
  readonly sched: Scheduler;
  private readonly live = new Map<number, LiveRequest>();
  private nextIndex = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private timerAt = Infinity;
  private readonly t0: number;
  readonly wall0: number;
  /** The request whose `start` event was just emitted: answerScale is called for it next (slots.ts). */
  private starting: { index: number; duration: number } | null = null;
  private readonly afterAdvance: (() => void)[] = [];
  private closed = false;
  private readonly handler = (kind: number, arg: number) => handleEvent(this.sched, kind, arg);

  constructor(
    cfg: SchedulerConfig,
    private readonly clock: Clock,
    private readonly speed: number,
    warm: readonly { model: number; keepAlive: number }[],
    faults: readonly { at: number; kind: 'restart' | 'runtime_oom'; model: number }[],
    private readonly onEvent?: EventSink,
  ) {
    const inner = cfg.answerScale;
    const config: SchedulerConfig = {
      ...cfg,
      answerScale: (model, streams, share) => {
        const f = inner ? inner(model, streams, share) : 1;
        this.noteWork(f);
        return f;
      },
    };
    const sink: EventSink = { event: (t, k, m, r, why, v) => this.event(t, k, m, r, why, v) };
    const results: RequestSink = { done: (r) => this.done(r) };
    this.sched = new Scheduler(this.engine, config, sink, results);
    for (const w of warm) {
      if (!loadWarm(this.sched, w.model, w.keepAlive)) throw new Error(`warm model ${cfg.models[w.model]!.name} does not fit beside the others`);
    }
    for (const f of faults) this.engine.schedule(f.at, Prio.fault, f.kind === 'restart' ? Ev.restart : Ev.runtimeOom, f.model);
    this.t0 = clock.now();
    this.wall0 = clock.wall();
    this.rearm();
  }

  /** The simulated time now, µs (never behind the engine's clock). */
  simNow(): number {
    return Math.max(this.engine.now, Math.floor((this.clock.now() - this.t0) * 1000 * this.speed));
  }

  /** Epoch ms at which simulated time `t` (µs) happens. */
  wallAt(t: number): number {
    return this.wall0 + t / 1000 / this.speed;
  }

  /** Handles everything due by now and re-arms the timer for the next event. */
  advance(): void {
    if (this.closed) return;
    this.engine.advanceTo(this.handler, this.simNow());
    for (const f of this.afterAdvance.splice(0)) f();
    this.rearm();
  }

  /** Runs `f` once the simulation has caught up with now (and again after each later advance if it asks). */
  whenAdvanced(f: () => void): void {
    this.afterAdvance.push(f);
  }

  /**
   * A request arrives now. `duration` is its work in µs before any stretch;
   * `scalable` lets parallel streams and CPU offload stretch it (token-sized).
   */
  submit(model: number, duration: number, keepAlive: number, numCtx: number, op: Op, who: LiveRequest): number {
    this.advance();
    const index = this.nextIndex++;
    this.live.set(index, who);
    const r = this.sched.newRequest(index, model, duration, keepAlive, numCtx, Infinity, op);
    r.scalable = true;
    arrive(this.sched, r);
    this.advance();
    return index;
  }

  /** The client went away (spec §5.6): the request is cancelled where it is, as on a client timeout. */
  disconnect(index: number): void {
    if (!this.live.has(index)) return;
    this.advance();
    const r = this.sched.inFlightRequests().find((x) => x.index === index && !x.gone);
    if (!r || r.status !== 0) return;
    this.engine.schedule(this.engine.now, Prio.cancel, Ev.cancel, r.slot);
    this.advance();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private event(t: number, kind: EventKind, model: number, request: number, reason: Reason, value: number): void {
    if (kind === EventKind.start) {
      const r = this.sched.inFlightRequests().find((x) => x.index === request);
      this.starting = { index: request, duration: r ? r.duration : 0 };
      // A request that is not stretched runs exactly its duration: tell it now.
      if (r && !r.scalable) this.noteWork(1);
    }
    this.onEvent?.event(t, kind, model, request, reason, value);
  }

  /** startInference (slots.ts) emits `start`, then asks answerScale: the stretch is for that request. */
  private noteWork(factor: number): void {
    const s = this.starting;
    if (!s) return;
    this.starting = null;
    const work = Math.max(1, Math.round(s.duration * factor));
    this.live.get(s.index)?.started(this.engine.now, work);
  }

  private done(r: Req): void {
    const who = this.live.get(r.index);
    if (!who) return;
    this.live.delete(r.index);
    who.ended(r);
  }

  private rearm(): void {
    if (this.closed) return;
    const next = this.engine.nextTime();
    if (next === this.timerAt && this.timer) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = next;
    if (next === Infinity) return;
    // setTimeout holds at most 2^31−1 ms: a later event (a keep_alive of weeks) is reached in steps.
    const ms = Math.min(2 ** 30, Math.max(0, (next - this.simNow()) / 1000 / this.speed));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      this.advance();
    }, Math.ceil(ms));
  }
}

