import type { ResolvedScenario } from '../config/types.js';
import { type EventSink, teeEvents } from '../events/index.js';
import { MetricsCollector, quantilesInPlace, summarize, type CandidateSummary } from '../metrics/index.js';
import { HangSpans } from '../metrics/hangs.js';
import { GpuMemory, Occupancy, type OccupancySeries } from '../metrics/occupancy.js';
import type { Req, RequestSink } from '../ollama/index.js';
import { resolveWorld, runnerKeys } from './world.js';
import { simulate, type RunStats } from './run.js';

/** Optional per-candidate outputs (CSV writers, test recorders). */
export interface RunHooks {
  events?(candidate: string): EventSink | null;
  requests?(candidate: string): RequestSink | null;
  /** Requests replayed so far over all candidates, out of candidates × trace length. */
  progress?(done: number, total: number): void;
  /** Check the scheduler's invariants after every event (slower; tests and soak runs). */
  checkInvariants?: boolean;
  /** Also record memory and residency over time and the latency distribution (for charts). */
  series?: boolean;
}

export interface CandidateResult {
  summary: CandidateSummary;
  stats: RunStats;
  /** With hooks.series: memory and residency over time, per runner key (names in keyNames). */
  occupancy?: OccupancySeries;
  keyNames?: string[];
  /** With hooks.series: latency (s) at quantiles 0, 0.01, …, 1 of successful requests. */
  latencyCdf?: number[];
  /** With hooks.series: bytes held per GPU over time; a fleet's hosts one after another (`hosts` of them). */
  gpuMemory?: GpuMemory['series'] & { hosts?: number };
  /** With hooks.series: when the scheduler waited on a known Ollama pathology (hang_start/hang_end), µs. */
  hangs?: { kind: string; from: number; to: number }[];
}

/**
 * Runs every candidate of a scenario over the same trace, one after another.
 * Each gets a fresh engine and scheduler; the trace is shared, read-only.
 */
export function runScenario(sc: ResolvedScenario, hooks: RunHooks = {}): CandidateResult[] {
  const total = sc.candidates.length * sc.trace.length;
  return sc.candidates.map((c, ci) => {
    const before = ci * sc.trace.length;
    const span = Math.max(sc.trace.length ? sc.trace.at[sc.trace.length - 1]! : 0, sc.users?.end ?? 0, 1);
    // Per GPU; a fleet's host h has GPUs h × G … h × G + G − 1 (each host its own scheduler and memory hook).
    const gpus = c.host.gpus.length;
    const hostCount = c.fleet?.hosts ?? 1;
    const perGpu = hooks.series && gpus > 0 ? new GpuMemory(span, gpus * hostCount) : null;
    const world = resolveWorld(sc, c);
    const sched = {
      ...world.sched, checkInvariants: hooks.checkInvariants === true,
      ...(perGpu ? { onGpuMemory: (t: number, g: number, b: number) => perGpu.set(t, g, b) } : {}),
    };
    // Host h's own settings (its page cache), with a memory hook that files its GPUs after the hosts before it.
    const hostSched = (h: number) => {
      const own = h === 0 ? sched : { ...world.hostSched(h), checkInvariants: sched.checkInvariants };
      return perGpu && h > 0 ? { ...own, onGpuMemory: (t: number, g: number, b: number) => perGpu.set(t, h * gpus + g, b) } : own;
    };
    const { keyOf, keyNames } = runnerKeys(c.models);
    const hosts = c.fleet?.hosts ?? 1;
    const metrics = new MetricsCollector(fleetKeys(keyOf, keyNames.length, hosts), keyNames.length * hosts, sc.warmup ?? 0, c.models.length, hosts, c.host.gpus.length);
    metrics.reserve(sc.trace.length);
    if (hooks.series) metrics.occupancy = new Occupancy(span, keyNames.length * hosts);
    const hangs = hooks.series ? new HangSpans() : null;
    metrics.hangSpans = hangs;
    const ev = hooks.events?.(c.name) ?? null;
    const rq = hooks.requests?.(c.name);
    const models = c.models.length;
    // In a fleet every host's runners are counted apart: host h's model m is (h × models + m) to the metrics.
    const hostEvents = (h: number): EventSink => {
      const forMetrics: EventSink = { event: (t, k, m, r, why, v) => metrics.event(t, k, h * models + m, r, why, v) };
      return teeEvents(forMetrics, ev);
    };
    const stats = simulate({
      runnerBusy: (h, t, share, busy) => metrics.runnerBusy(t, h, share, busy),
      trace: world.trace,
      service: world.service,
      sched,
      hostSched,
      clientKeepAlive: world.clientKeepAlive,
      warm: c.warm,
      faults: c.faults,
      users: sc.users,
      seed: sc.seed,
      retry: c.retry ?? undefined,
      ...(c.fleet ? { fleet: c.fleet, hostEvents } : {}),
      horizon: sc.horizon,
      events: teeEvents(metrics, ev),
      requests: rq ? teeRequests(metrics, rq) : metrics,
      onProgress: hooks.progress ? (n) => hooks.progress!(before + n, total) : undefined,
    });
    hooks.progress?.(before + sc.trace.length, total);
    const { models: perModel, ...figures } = summarize(c.name, metrics, c.eviction, sc.modelNames, { version: sched.version!.version, era: sched.version!.era });
    const summary = { ...figures, cpu_peak_gib: Math.round((world.cpuPeak() / 2 ** 30) * 100) / 100, models: perModel };
    const result: CandidateResult = { summary, stats };
    if (hooks.series) {
      metrics.closeOccupancy();
      result.occupancy = metrics.occupancy!.series;
      if (perGpu) {
        perGpu.close(stats.end);
        result.gpuMemory = hostCount > 1 ? { ...perGpu.series, hosts: hostCount } : perGpu.series;
      }
      result.hangs = hangs!.close(stats.end);
      result.keyNames = Array.from({ length: keyNames.length * hosts }, (_, k) => keyNames[k % keyNames.length]!);
      result.latencyCdf = quantilesInPlace(metrics.latencyValues(), CDF_POINTS).map((x) => x / 1e6);
    }
    return result;
  });
}

/** The latency CDF's points: quantiles 0, 0.01, …, 1. */
const CDF_POINTS = Array.from({ length: 101 }, (_, q) => q / 100);

/** Runner keys of every host of a fleet, one block of keys per host. */
function fleetKeys(keyOf: Int32Array, keys: number, hosts: number): Int32Array {
  const out = new Int32Array(keyOf.length * hosts);
  for (let h = 0; h < hosts; h++) for (let m = 0; m < keyOf.length; m++) out[h * keyOf.length + m] = h * keys + keyOf[m]!;
  return out;
}

function teeRequests(a: RequestSink, b: RequestSink): RequestSink {
  return { done: (r: Req) => { a.done(r); b.done(r); } };
}
