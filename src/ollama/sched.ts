/**
 * What the scheduler needs of the event kernel: the clock, schedule and cancel.
 * The Engine is one; a fleet gives each host a view that tags its events.
 */
export interface SchedEngine {
  readonly now: number;
  schedule(at: number, priority: number, kind: number, arg: number): number;
  cancel(handle: number): void;
}
import { type EventKind, type EventSink, type Reason, Status } from '../events/index.js';
import type { ServerEnv } from './envconfig.js';
import { defaultContextTier, requestContext, type RequestContext } from './needs-reload.js';
import type { VictimOrder } from './find-runner-to-unload.js';
import { HangDetector } from './pathologies.js';
import { RunnerRef } from './runner-ref.js';
import { type LoadTimer, type Op, type Req, type SchedModel, Where } from './types.js';
import type { FitRules } from './placement.js';
import { versionProfile, type VersionProfile } from './versions.js';

/**
 * Ollama's Scheduler (server/sched.go, era E3 = v0.30+, or an older version's
 * rules where `cfg.version` says so: versions.ts), as state plus the
 * engine events that replace its goroutines, channels and timers. The rules
 * live one per file beside this one, named after the sched.go function or
 * concept they mirror; this file holds the state and the dispatch.
 */

/** Engine event kinds the scheduler schedules for itself. */
export const Ev = { finish: 0, loadDone: 1, loadFail: 2, expire: 3, unloaded: 4, cancel: 5, restart: 6, runtimeOom: 7, loadStall: 8, reserve: 9, requeue: 10 } as const;

/**
 * Same-instant order (spec §9.6): the server settles everything at t —
 * completions, then load results, then timer expiries, then unloaded signals —
 * before clients act (client timeouts, then arrivals, which the engine always
 * delivers after heap events of the same time).
 */
export const Prio = { finish: 0, load: 1, expire: 2, unloaded: 3, cancel: 4, fault: 5 } as const;

export interface SchedulerConfig {
  env: ServerEnv;
  /** Total VRAM per GPU in bytes; [] = CPU-only host. */
  gpus: readonly number[];
  /** U: unload → unloaded signal (VRAM recovery), µs (spec §4.3). */
  unload: number;
  models: readonly SchedModel[];
  /** Runner key names: the victim tie-break sorts on them (spec §5.3, §9.5). */
  keyNames: readonly string[];
  /** Load times for models without a fixed `load` (hardware catalogue). */
  loadTimer?: LoadTimer;
  /** Periods during which every load of a model crashes after `after` µs (scenario faults). */
  loadCrashes?: readonly LoadCrash[];
  /** Periods during which every load of a model stalls (fails after OLLAMA_LOAD_TIMEOUT; load-stall.ts). */
  loadStalls?: readonly LoadStall[];
  /** Bytes other processes hold on each GPU at the start (a desktop, another CUDA process). */
  reserved?: readonly number[];
  /** Changes to what other processes hold during the run (scenario faults; reserved-memory.ts). */
  reserveChanges?: readonly ReserveChange[];
  /**
   * The load-OOM retry (evict all, cut the automatic context, retry once; load-oom.ts).
   * Ollama has it from v0.30.0; false models a version without it. Default true.
   */
  loadOomRetry?: boolean;
  /** OLLAMA_FLASH_ATTENTION=false on a CUDA host: the automatic batch takes the no-flash-attention branch (generation-batch.ts). */
  cudaWithoutFlashAttention?: boolean;
  /** The Ollama version whose rules to follow (versions.ts); default the current one (E3). */
  version?: VersionProfile;
  /** Check the scheduler's invariants after every event (tests, soak runs). */
  checkInvariants?: boolean;
  /** Unified memory (Apple, iGPU): system RAM in bytes, which also caps what the GPU can take (spec §9.7). */
  unifiedRam?: number;
  /** The host's system RAM in bytes (what an older version's CPU-only fit checks, versions.ts cpuRamCheck). */
  hostRam?: number;
  /** Told whenever the bytes held on a GPU change (memory per GPU over time, for charts). */
  onGpuMemory?: (t: number, gpu: number, bytes: number) => void;
  /**
   * Told when a runner starts running requests (its first slot taken) or stops
   * (its last slot freed, or the runner gone), with its share of each GPU: each
   * GPU's busy time, for a bought fleet's power bill. Observation only.
   */
  onRunnerBusy?: (t: number, gpuShare: readonly number[], busy: boolean) => void;
  /** A what-if victim order instead of Ollama's ByDurationAndName (labelled not-Ollama in reports). */
  victimOrder?: VictimOrder;
  /**
   * How much longer a token-sized request takes when it starts as one of
   * `streams` in its runner's slots, on a runner with `gpuShare` (0–1) of its
   * memory on the GPU (hardware seam; 1 = no change).
   */
  answerScale?: (model: number, streams: number, gpuShare: number) => number;
}

export interface LoadCrash {
  model: number;
  from: number;
  until: number;
  after: number;
}

export interface LoadStall {
  model: number;
  from: number;
  until: number;
}

export interface ReserveChange {
  at: number;
  gpu: number;
  /** What other processes hold on that GPU from `at` on, bytes. */
  bytes: number;
}

/** Receives every request exactly once, when it ends. */
export interface RequestSink {
  done(r: Req): void;
}

export type SchedMode = 'idle' | 'loading' | 'waiting';

export class Scheduler {
  /** The loaded table, by runner key: what the fast path and the scheduler see. */
  readonly loaded: (RunnerRef | null)[];
  loadedCount = 0;
  /** Every runner holding VRAM (loading, loaded or unloading), by id. */
  readonly runners: (RunnerRef | null)[] = [];
  private readonly freeRunnerIds: number[] = [];
  /** Bytes held per GPU by loading, loaded and not-yet-recovered runners (spec §9.2). */
  readonly gpuUsed: Float64Array;
  /** Bytes runners hold in system RAM (offloaded layers, CPU-only runners). */
  cpuUsed = 0;
  /** OLLAMA_MAX_LOADED_MODELS, or the auto cap frozen at start (spec §2). */
  readonly maxRunners: number;

  /** The pending queue (pendingReqCh): slow-path requests, FIFO, capacity OLLAMA_MAX_QUEUE. */
  readonly pending: number[] = [];
  pendingHead = 0;

  /** The request processPending is working on, and what it is blocked on. */
  inHand: Req | null = null;
  mode: SchedMode = 'idle';
  loadHandle = -1;
  loadingRunner: RunnerRef | null = null;
  /** Unloaded signals sent while the scheduler was busy and not waiting (spec §9.1). */
  bufferedSignals = 0;
  /** Unloaded signals the current wait needs: 1 for an eviction, one per runner for evictAllAndWait. */
  awaitedSignals = 1;
  /** The load running was started with nothing loaded (processPending's first-model branch, sched.go:297-305). */
  loadFirst = false;
  /** The load running will end in llama-server's out-of-memory error (load-oom.ts). */
  loadOom = false;
  /** Bytes other processes hold on each GPU now (reserved-memory.ts). */
  readonly reserved: Float64Array;

  /** The Ollama version's rules (versions.ts). */
  readonly profile: VersionProfile;
  /** How a 2nd+ model must fit under this version (placement.ts). */
  readonly fitRules: FitRules;
  /** E1: the request at the head of the queue that touched the loading runner and waits for its load (version-rules.ts). */
  blockedOnLoad: Req | null = null;
  /** E1: the GPUs the blocked request's fit leaves out (the loading runner's), or null when it does not filter (async-load.ts). */
  filteredGpus: readonly boolean[] | null = null;
  /** E1: requests waiting out the 250 ms before they are queued again, by pool slot. */
  readonly requeued = new Set<number>();
  /** E2: requests for the model being loaded, blocked in GetRunner until it is up (join-load.ts), by pool slot. */
  readonly joiners: number[] = [];
  /** E1/E2: an unload request arrived while this model loaded: mark the runner once it is loaded (unload-request.ts). */
  unloadAfterLoad = false;

  /** The default-context tier (spec §2) and each model's context for requests without num_ctx. */
  readonly tier: number;
  private readonly modelContext: RequestContext[];

  /** Pathology hook (issue #12): observes eviction waits, emits hang_start / hang_end. */
  readonly hangs: HangDetector;

  private readonly pool: Req[] = [];
  private readonly freeSlots: number[] = [];
  inFlight = 0;

  constructor(
    readonly engine: SchedEngine,
    readonly cfg: SchedulerConfig,
    private readonly sink: EventSink,
    private readonly results: RequestSink,
  ) {
    this.loaded = new Array(cfg.keyNames.length).fill(null);
    this.gpuUsed = new Float64Array(cfg.gpus.length);
    this.reserved = Float64Array.from(cfg.gpus, (_, g) => cfg.reserved?.[g] ?? 0);
    // Changes to reserved memory are the scheduler's own timed events (reserved-memory.ts).
    cfg.reserveChanges?.forEach((c, i) => engine.schedule(c.at, Prio.fault, Ev.reserve, i));
    this.maxRunners = maxRunners(cfg.env.maxLoadedModels, cfg.gpus.length);
    this.profile = cfg.version ?? versionProfile();
    this.fitRules = {
      threshold: this.profile.fitThreshold,
      overhead: (this.profile.overheadPerGpu ? cfg.env.gpuOverhead : 0) + minimumMemory(this.profile, cfg.unifiedRam !== undefined),
      cpuRamCheck: this.profile.cpuRamCheck,
    };
    this.tier = this.profile.defaultContext || defaultContextTier(cfg.gpus, cfg.env.gpuOverhead);
    this.modelContext = cfg.models.map((m) => this.normalise(requestContext(0, m, cfg.env, this.tier)));
    this.hangs = new HangDetector(cfg.models.length);
  }

  /** The context a request asks for, normalised (spec §4.5); precomputed when it sets no num_ctx. */
  contextOf(r: Req): RequestContext {
    if (r.ctxCut > 0) return { numCtx: r.ctxCut, auto: true }; // cut for its OOM retry (load-oom.ts)
    return r.numCtx === 0
      ? this.modelContext[r.model]!
      : this.normalise(requestContext(r.numCtx, this.cfg.models[r.model]!, this.cfg.env, this.tier));
  }

  /** Before v0.30.0 needsReload compares num_ctx as a plain number: no context is "automatic" (versions.ts). */
  private normalise(ctx: RequestContext): RequestContext {
    return this.profile.contextAutoNormalised || !ctx.auto ? ctx : { numCtx: ctx.numCtx, auto: false };
  }

  /** A model's context for requests that set no num_ctx (what a given `vram` was measured at, model-fit.ts). */
  baseContext(model: number): RequestContext {
    return this.modelContext[model]!;
  }

  get now(): number {
    return this.engine.now;
  }

  emit(kind: EventKind, model: number, request: number, reason: Reason, value = 0): void {
    this.sink.event(this.engine.now, kind, model, request, reason, value);
  }

  /** A new in-flight request (recycled from the pool). */
  newRequest(
    index: number, model: number, duration: number, keepAlive: number,
    numCtx: number, timeout: number, op: Op, attempt = 1, firstArrival = this.engine.now,
  ): Req {
    let r: Req;
    const slot = this.freeSlots.pop();
    if (slot === undefined) {
      r = { slot: this.pool.length } as Req;
      this.pool.push(r);
    } else {
      r = this.pool[slot]!;
    }
    r.index = index;
    r.model = model;
    r.arrival = this.engine.now;
    r.firstArrival = firstArrival;
    r.attempt = attempt;
    r.duration = duration;
    r.keepAlive = keepAlive;
    r.numCtx = numCtx;
    r.timeout = timeout;
    r.op = op;
    r.admitted = NaN;
    r.start = NaN;
    r.end = NaN;
    r.status = Status.pending;
    r.http = 0;
    r.cold = false;
    r.where = Where.arriving;
    r.gone = false;
    r.scalable = false;
    r.runner = -1;
    r.oomRetried = false;
    r.ctxCut = 0;
    r.finishHandle = -1;
    r.cancelHandle = -1;
    this.inFlight++;
    return r;
  }

  /** Requests not yet retired, in pool order (deterministic). */
  inFlightRequests(): Req[] {
    return this.pool.filter((r) => r.where !== Where.done);
  }

  req(slot: number): Req {
    return this.pool[slot]!;
  }

  /** Records the client's answer (the request keeps being held if the server still has it). */
  answer(r: Req, status: Status, http: number): void {
    r.status = status;
    r.http = http;
    r.end = this.engine.now;
    if (r.cancelHandle >= 0) {
      this.engine.cancel(r.cancelHandle);
      r.cancelHandle = -1;
    }
  }

  /** The server lets go of a request: hand it to the results and recycle it. */
  retire(r: Req): void {
    r.where = Where.done;
    this.inFlight--;
    this.results.done(r);
    this.freeSlots.push(r.slot);
  }

  newRunner(key: number, model: number, vram: number, gpuShare: number[], numCtx: number, ctxAuto: boolean): RunnerRef {
    const id = this.freeRunnerIds.pop() ?? this.runners.length;
    const memory = this.cfg.gpus.length > 0 ? gpuShare.reduce((a, b) => a + b, 0) : vram;
    const runner = new RunnerRef(id, key, model, vram, gpuShare, numCtx, ctxAuto, memory);
    this.runners[id] = runner;
    for (let g = 0; g < gpuShare.length; g++) this.gpuUsed[g]! += gpuShare[g]!;
    this.addCpu(vram - gpuShare.reduce((a, b) => a + b, 0));
    this.reportGpus(gpuShare);
    return runner;
  }

  /**
   * VRAM is back: forget the runner. `reuseId` false (after a restart) keeps its
   * id out of circulation, so events still pending for it can never reach a new runner.
   */
  freeRunner(runner: RunnerRef, reuseId = true): void {
    if (runner.busySlots > 0) this.runnerBusy(runner, false); // a restart takes running runners with it
    for (let g = 0; g < runner.gpuShare.length; g++) this.gpuUsed[g]! -= runner.gpuShare[g]!;
    this.addCpu(-(runner.vram - runner.gpuShare.reduce((a, b) => a + b, 0)));
    this.reportGpus(runner.gpuShare);
    this.runners[runner.id] = null;
    if (reuseId) this.freeRunnerIds.push(runner.id);
  }

  /** A runner's first slot was taken, or its last freed. */
  runnerBusy(runner: RunnerRef, busy: boolean): void {
    this.cfg.onRunnerBusy?.(this.engine.now, runner.gpuShare, busy);
  }

  private reportGpus(share: readonly number[]): void {
    const hook = this.cfg.onGpuMemory;
    if (!hook) return;
    for (let g = 0; g < share.length; g++) if (share[g]! > 0) hook(this.engine.now, g, this.gpuUsed[g]!);
  }

  private addCpu(bytes: number): void {
    if (bytes === 0) return;
    this.cpuUsed += bytes;
    this.cfg.loadTimer?.cpuInUse(this.cpuUsed);
  }

  /**
   * Memory on each GPU that Ollama counts as taken: its runners' (loading, loaded,
   * unloading until recovered) plus what other processes hold. free = total − this
   * = min(reported free, total − loaded) (updateFreeSpace, sched.go:1295-1335).
   */
  gpuTaken(): Float64Array {
    const taken = new Float64Array(this.gpuUsed.length);
    for (let g = 0; g < taken.length; g++) taken[g] = Math.min(this.cfg.gpus[g]!, this.gpuUsed[g]! + this.reserved[g]!);
    return taken;
  }

  /** Free system RAM as the unified-memory clamp sees it (Infinity on discrete GPUs), or on a CPU-only host (placement's cpuRamCheck). */
  systemFree(): number {
    const cpuOnly = this.cfg.gpus.length === 0 && this.profile.cpuRamCheck;
    const ram = this.cfg.unifiedRam ?? (cpuOnly ? this.cfg.hostRam : undefined);
    if (ram === undefined) return Infinity;
    let held = this.cpuUsed;
    for (let g = 0; g < this.gpuUsed.length; g++) held += this.gpuUsed[g]!;
    return Math.max(0, ram - held);
  }

  /** When a load of this model starting now crashes (µs after its start), or Infinity. */
  loadFailsAfter(model: number): number {
    let after = this.cfg.models[model]!.loadFailsAfter;
    for (const c of this.cfg.loadCrashes ?? []) {
      if (c.model === model && this.now >= c.from && this.now < c.until) after = Math.min(after, c.after);
    }
    return after;
  }

  /** How long this load of a model takes: its fixed `load`, else the host's timer. */
  loadTime(model: number): number {
    const fixed = this.cfg.models[model]!.load;
    if (!Number.isNaN(fixed)) return fixed;
    if (!this.cfg.loadTimer) throw new Error(`scheduler: model ${this.cfg.models[model]!.name} has no load time`);
    return this.cfg.loadTimer.loadTime(model, this.cpuUsed);
  }

  get pendingLength(): number {
    return this.pending.length - this.pendingHead;
  }

  /** The request at the head of the queue, left there. */
  peekPending(): Req | null {
    return this.pendingHead === this.pending.length ? null : this.pool[this.pending[this.pendingHead]!]!;
  }

  shiftPending(): Req | null {
    if (this.pendingHead === this.pending.length) return null;
    const slot = this.pending[this.pendingHead++]!;
    this.hangs.dequeued(this.pool[slot]!); // pathology hook (pathologies.ts): every way off the queue
    if (this.pendingHead === this.pending.length) {
      this.pending.length = 0;
      this.pendingHead = 0;
    } else if (this.pendingHead > 4096 && this.pendingHead * 2 > this.pending.length) {
      this.pending.splice(0, this.pendingHead);
      this.pendingHead = 0;
    }
    return this.pool[slot]!;
  }

  /** The keep_alive a new runner starts with: the request's, else OLLAMA_KEEP_ALIVE (spec §3). */
  initialDuration(r: Req): number {
    return Number.isNaN(r.keepAlive) ? this.cfg.env.keepAlive : r.keepAlive;
  }
}

/** The device's MinimumMemory an older version sets aside per GPU (versions.ts); unified memory counts as Metal. */
export function minimumMemory(p: VersionProfile, unified: boolean): number {
  return p.minimumMemory === null ? 0 : unified ? p.minimumMemory.metal : p.minimumMemory.discrete;
}

/**
 * OLLAMA_MAX_LOADED_MODELS: an explicit N is a global cap; 0 means 3 × max(#GPUs, 1),
 * computed at the first load and frozen (the simulated GPU list never changes).
 */
export function maxRunners(maxLoadedModels: number, gpuCount: number): number {
  return maxLoadedModels > 0 ? maxLoadedModels : 3 * Math.max(gpuCount, 1);
}

