import { EventKind, type EventSink, Reason, Status } from '../events/index.js';
import type { Req, RequestSink } from '../ollama/index.js';
import { ModelAreas } from './model-areas.js';
import { countFailure, Floats, groupQuantiles, type ModelFigures, newModelFigures, Tags } from './model-figures.js';
import { KeyState, Occupancy } from './occupancy.js';
import type { HangSpans } from './hangs.js';
import { PathologyTally } from './pathologies.js';

/**
 * Folds one candidate's events and finished requests into the figures of the
 * comparison table. It only observes: nothing here can change a decision.
 *
 * Memory: counters per runner key and per model, plus three floats per
 * successful request (latency, TTFT, service time) and its model's number,
 * for exact quantiles of the candidate and of each model.
 *
 * Occupancy integrals are clipped to the traffic window [0, last arrival or
 * answer], so every candidate is charged over the same span of traffic and a
 * forever keep_alive is not charged for time after the trace ends.
 */
/** Event kinds that change a runner key's memory or state (track()): the occupancy series records an interval at each. */
const CHANGES_KEY: Uint8Array = (() => {
  const a = new Uint8Array(64);
  for (const k of [EventKind.load_start, EventKind.load_fail, EventKind.unloaded, EventKind.load_end, EventKind.admitted, EventKind.finish, EventKind.cancel, EventKind.unload]) a[k] = 1;
  return a;
})();

/** The quantiles kept per model: p50, p95, p99. */
export const MODEL_QUANTILES = [0.5, 0.95, 0.99] as const;

export class MetricsCollector implements EventSink, RequestSink {
  readonly counts = { requests: 0, ok: 0, rejected503: 0, rejected400: 0, failed500: 0, cancelled: 0, stuck: 0, cold: 0 };
  readonly runners = { loads: 0, loadFailures: 0, evictions: 0, reloads: 0, unloads: 0, expiries: 0 };
  /** 500s by cause, and client retries sent. */
  readonly failures = { loadFailed: 0, restart: 0, runtimeOom: 0, retries: 0, loadOom: 0, loadTimeout: 0 };
  /** Loads that ran out of memory (each OOM, retried or not). */
  loadOoms = 0;
  private readonly latencies = new Floats();
  /** Time to first token proxy: start − first send (waits, loads, queueing), per successful request. */
  private readonly ttfts = new Floats();

  // Occupancy: bytes held (loading → unloaded) and bytes idle (loaded, refCount 0).
  private t = 0;
  private held = 0;
  private idle = 0;
  peakHeld = 0;
  private heldArea = 0; // byte·µs
  private idleArea = 0;
  private readonly keyVram: Float64Array;
  private readonly keyRefs: Int32Array;
  private readonly keyLoaded: Uint8Array;
  /** Bytes each key holds (loading, loaded or unloading), for the occupancy series. */
  private readonly keyHeld: Float64Array;
  /** Whether a key's runner is loading (1) or unloading (2) while not in the loaded table. */
  private readonly keyPhase: Uint8Array;
  /** Memory and residency over time, when asked for (charts); read it after closeOccupancy(). */
  occupancy: Occupancy | null = null;
  /** The report's pathology spans, handed the hang events here (by local model) rather than every event through a second sink. */
  hangSpans: HangSpans | null = null;
  /** Per key, since when (µs) it has been in its present state: the series gets one interval per state, not one per event. */
  private readonly keySince: Float64Array;
  // Snapshot of the integrals at the last client-visible moment (the window end).
  windowEnd = 0;
  private heldAreaAtEnd = 0;
  private idleAreaAtEnd = 0;
  // Busy time: a host is busy while one of its runners is loaded with a request in it (the power estimate's duty cycle).
  private readonly keyBusy: Uint8Array;
  private readonly hostBusyKeys: Int32Array;
  private readonly keysPerHost: number;
  private busyHosts = 0;
  private busyArea = 0; // host·µs
  private busyAreaAtEnd = 0;
  // GPU busy time: a GPU is busy while a runner with memory on it runs a request (per GPU, unlike the host's).
  private readonly gpuRunners: Int32Array;
  private busyGpus = 0;
  private gpuBusyArea = 0; // GPU·µs
  private gpuBusyAreaAtEnd = 0;
  /** Time each successful request held its slot (end − start, µs): the work itself, without waiting. */
  private readonly services = new Floats();
  /** The model of each value in latencies, ttfts and services. */
  private readonly okModels: Tags;
  /** Per model, [latency, TTFT, service] quantiles at MODEL_QUANTILES, worked out once before anything reorders the lists. */
  private perModelQuantiles: number[][][] | null = null;

  /**
   * `from` (µs): a warm-up to leave out of the statistics — requests that arrive
   * before it are not counted, runner events before it are not counted, and the
   * occupancy integrals start there. The run itself is unchanged.
   */
  /** Per model (fleet hosts folded together): requests, successes, cold starts, loads, evictions, latencies. */
  readonly perModel: ModelFigures[];
  /** Resident and idle memory per model; a runner is charged to the model whose request loaded it. */
  readonly modelAreas: ModelAreas;
  private readonly keyOwner: Int32Array;
  /** Scheduler waits a known Ollama pathology explains (hang_start / hang_end). */
  readonly pathologies: PathologyTally;

  /** `hosts`: a fleet's runner keys come in one block per host (keyCount ÷ hosts each); `gpusPerHost`: GPUs of each. */
  constructor(
    private readonly modelKey: ArrayLike<number>, keyCount: number, private readonly from = 0, models = modelKey.length,
    readonly hosts = 1, readonly gpusPerHost = 0,
  ) {
    this.perModel = Array.from({ length: models }, newModelFigures);
    this.modelAreas = new ModelAreas(models, from);
    this.keyOwner = new Int32Array(keyCount);
    this.pathologies = new PathologyTally(from);
    this.keyVram = new Float64Array(keyCount);
    this.keyRefs = new Int32Array(keyCount);
    this.keyLoaded = new Uint8Array(keyCount);
    this.keyHeld = new Float64Array(keyCount);
    this.keyPhase = new Uint8Array(keyCount);
    this.keyBusy = new Uint8Array(keyCount);
    this.keySince = new Float64Array(keyCount);
    this.hostBusyKeys = new Int32Array(hosts);
    this.keysPerHost = Math.max(1, Math.ceil(keyCount / hosts));
    this.gpuRunners = new Int32Array(hosts * gpusPerHost);
    this.okModels = new Tags(models > 65535);
  }

  /** Room for `requests` successful requests without copying the lists as they grow (the trace's length, when known). */
  reserve(requests: number): void {
    for (const f of [this.latencies, this.ttfts, this.services]) f.reserve(requests);
    this.okModels.reserve(requests);
  }

  /**
   * Per model, [latency, TTFT, service] quantiles (µs) at MODEL_QUANTILES,
   * NaN where the model has no successful request. Worked out at the first
   * call, before the candidate's quantiles reorder the lists.
   */
  modelQuantiles(): number[][][] {
    if (this.perModelQuantiles) return this.perModelQuantiles;
    const tags = this.okModels.values();
    const models = this.perModel.length;
    const scratch = new Float64Array(tags.length);
    const [lat, ttft, service] = [this.latencies, this.ttfts, this.services].map((f) => groupQuantiles(f.values(), tags, models, MODEL_QUANTILES, scratch));
    this.perModelQuantiles = Array.from({ length: models }, (_, m) => [lat![m]!, ttft![m]!, service![m]!]);
    return this.perModelQuantiles;
  }

  event(t: number, kind: EventKind, model: number, request: number, reason: Reason, value: number): void {
    if (t !== this.t) this.advance(t);
    // A fleet's host h numbers its models h × models + m; a single server's need no division.
    const models = this.perModel.length;
    const m = model < models ? model : model % models;
    if (kind === EventKind.hang_start || kind === EventKind.hang_end) {
      this.hangSpans?.event(t, kind, m, request, reason);
      return this.pathologies.event(t, kind, model, reason, value);
    }
    const key = this.modelKey[model]!;
    if (kind === EventKind.load_start) this.keyOwner[key] = m;
    this.track(t, kind, key, value);
    this.trackBusy(key);
    if (t >= this.from) {
      this.count(t, kind, reason);
      const pm = this.perModel[m]!;
      if (kind === EventKind.load_end) pm.loads++;
      else if (kind === EventKind.unload && (reason === Reason.evicted || reason === Reason.evict_all)) pm.evictions++;
      else if (kind === EventKind.unload && reason === Reason.reload) pm.reloads++;
    }
  }

  /** Memory state: bytes held (load start → unloaded) and idle (loaded with refCount 0), per runner key. */
  private track(t: number, kind: EventKind, key: number, value: number): void {
    const areas = this.modelAreas;
    if (this.occupancy && CHANGES_KEY[kind]) this.recordKey(key, t);
    switch (kind) {
      case EventKind.load_start: this.held += value; this.keyHeld[key]! += value; this.keyPhase[key] = 1; areas.change(this.keyOwner[key]!, t, value, 0); break;
      case EventKind.load_fail:
      case EventKind.unloaded: this.held -= value; this.keyHeld[key]! -= value; areas.change(this.keyOwner[key]!, t, -value, 0); break;
      case EventKind.load_end:
        this.keyLoaded[key] = 1;
        this.keyVram[key] = value;
        this.keyRefs[key] = 0;
        this.idle += value;
        areas.change(this.keyOwner[key]!, t, 0, value);
        break;
      case EventKind.admitted:
        if (value === 1) {
          this.idle -= this.keyVram[key]!;
          areas.change(this.keyOwner[key]!, t, 0, -this.keyVram[key]!);
        }
        this.keyRefs[key] = value;
        break;
      case EventKind.finish:
      case EventKind.cancel:
        if (value === 0 && this.keyLoaded[key]) {
          this.idle += this.keyVram[key]!;
          areas.change(this.keyOwner[key]!, t, 0, this.keyVram[key]!);
        }
        if (value >= 0) this.keyRefs[key] = value;
        break;
      case EventKind.unload:
        if (this.keyRefs[key] === 0) {
          this.idle -= this.keyVram[key]!;
          areas.change(this.keyOwner[key]!, t, 0, -this.keyVram[key]!);
        }
        this.keyLoaded[key] = 0;
        this.keyPhase[key] = 2;
        break;
      default:
        break;
    }
  }

  /** A runner on `host` started or stopped running requests: each GPU it has memory on counts one running runner more or less. */
  runnerBusy(t: number, host: number, gpuShare: readonly number[], busy: boolean): void {
    if (t !== this.t) this.advance(t);
    for (let g = 0; g < gpuShare.length && g < this.gpusPerHost; g++) {
      if (!(gpuShare[g]! > 0)) continue;
      const i = host * this.gpusPerHost + g;
      const before = this.gpuRunners[i]!;
      this.gpuRunners[i] = before + (busy ? 1 : -1);
      if (before === 0 && busy) this.busyGpus++;
      else if (before === 1 && !busy) this.busyGpus--;
    }
  }

  /** A key turns busy (loaded, a request in it) or not: its host's count of busy keys follows. */
  private trackBusy(key: number): void {
    const busy = this.keyLoaded[key] === 1 && this.keyRefs[key]! > 0 ? 1 : 0;
    if (busy === this.keyBusy[key]) return;
    this.keyBusy[key] = busy;
    const h = Math.floor(key / this.keysPerHost);
    const before = this.hostBusyKeys[h]!;
    this.hostBusyKeys[h] = before + (busy ? 1 : -1);
    if (before === 0 && busy) this.busyHosts++;
    else if (before === 1 && !busy) this.busyHosts--;
  }

  /** Counters and the traffic window (after any warm-up). */
  private count(t: number, kind: EventKind, reason: Reason): void {
    if (this.held > this.peakHeld) this.peakHeld = this.held;
    switch (kind) {
      case EventKind.load_fail:
        this.runners.loadFailures++;
        if (reason === Reason.oom) this.loadOoms++;
        break;
      case EventKind.load_end: this.runners.loads++; break;
      case EventKind.unload:
        this.runners.unloads++;
        if (reason === Reason.evicted || reason === Reason.evict_all) this.runners.evictions++;
        else if (reason === Reason.reload) this.runners.reloads++;
        else if (reason === Reason.expired) this.runners.expiries++;
        break;
      case EventKind.fail:
        // A load's 500, whatever the cause (crash, OOM, stall); OOMs and stalls also counted apart.
        if (reason === Reason.load_failed || reason === Reason.oom || reason === Reason.load_timeout) this.failures.loadFailed++;
        if (reason === Reason.oom) this.failures.loadOom++;
        else if (reason === Reason.load_timeout) this.failures.loadTimeout++;
        else if (reason === Reason.restart) this.failures.restart++;
        else if (reason === Reason.runtime_oom) this.failures.runtimeOom++;
        this.markWindow(t);
        break;
      case EventKind.retry: this.failures.retries++; break;
      case EventKind.finish:
      case EventKind.cancel:
      case EventKind.arrive:
      case EventKind.rejected:
        this.markWindow(t);
        break;
      default:
        break;
    }
  }

  done(r: Req): void {
    if (r.firstArrival < this.from) return;
    this.counts.requests++;
    const pm = this.perModel[r.model]!;
    pm.requests++;
    if (r.status === Status.ok) {
      const latency = r.end - r.firstArrival;
      const ttft = r.start - r.firstArrival;
      this.counts.ok++;
      pm.ok++;
      if (r.cold) {
        this.counts.cold++;
        pm.cold++;
      }
      this.latencies.push(latency);
      this.ttfts.push(ttft);
      this.services.push(r.end - r.start);
      this.okModels.push(r.model);
      return;
    }
    countFailure(this.counts, r);
    countFailure(pm, r);
  }

  /** ∫ busy hosts dt over the traffic window, host·µs. */
  busyHostTime(): number {
    return this.busyAreaAtEnd;
  }

  /** ∫ busy GPUs dt over the traffic window, GPU·µs. */
  busyGpuTime(): number {
    return this.gpuBusyAreaAtEnd;
  }

  /** Service times (end − start, µs) of successful requests, unsorted (a view). */
  serviceValues(): Float64Array {
    this.modelQuantiles();
    return this.services.values();
  }

  /** ∫ bytes held dt and ∫ idle bytes dt over the traffic window, in byte·µs. */
  areas(): { held: number; idle: number } {
    return { held: this.heldAreaAtEnd, idle: this.idleAreaAtEnd };
  }

  /** Records key k's state from when it began until t in the occupancy series (before the state changes at t). */
  private recordKey(k: number, t: number): void {
    const from = this.keySince[k]!;
    this.keySince[k] = t;
    const held = this.keyHeld[k]!;
    if (held <= 0 || !(t > from)) return;
    const state = this.keyLoaded[k] ? (this.keyRefs[k]! > 0 ? KeyState.busy : KeyState.idle)
      : this.keyPhase[k] === 1 ? KeyState.loading : KeyState.unloading;
    this.occupancy!.add(k, from, t, state, held);
  }

  /** Ends the occupancy series at the last event: every key's present state is recorded up to it. */
  closeOccupancy(): void {
    if (!this.occupancy) return;
    for (let k = 0; k < this.keyHeld.length; k++) this.recordKey(k, this.t);
  }

  private advance(t: number): void {
    const dt = t - Math.max(this.t, this.from);
    if (dt <= 0) { this.t = t; return; }
    this.heldArea += this.held * dt;
    this.idleArea += this.idle * dt;
    this.busyArea += this.busyHosts * dt;
    this.gpuBusyArea += this.busyGpus * dt;
    this.t = t;
  }


  private markWindow(t: number): void {
    this.modelAreas.mark();
    this.windowEnd = t;
    this.heldAreaAtEnd = this.heldArea;
    this.idleAreaAtEnd = this.idleArea;
    this.busyAreaAtEnd = this.busyArea;
    this.gpuBusyAreaAtEnd = this.gpuBusyArea;
  }

  /** Latencies (µs) of successful requests, unsorted (a view: quantilesInPlace may reorder it). */
  latencyValues(): Float64Array {
    this.modelQuantiles();
    return this.latencies.values();
  }

  /** TTFT values (µs), unsorted (a view). */
  ttftValues(): Float64Array {
    this.modelQuantiles();
    return this.ttfts.values();
  }

}

export { Floats, type ModelFigures } from './model-figures.js';
