import { HOUR, SECOND } from '../engine/index.js';
import type { MetricsCollector, ModelFigures } from './collector.js';
import type { PathologySummary } from './pathologies.js';

/** The summary's pathology entry, as the report reads it. */
export type Pathology = PathologySummary;
import { quantilesInPlace } from './quantile.js';
import { CURRENT_VERSION } from '../ollama/versions.js';

const GiB = 2 ** 30;

/**
 * One candidate's figures: the rows of the comparison table and of
 * summary.json. Field names are a contract (scripts read them): add, never
 * rename or drop. Latencies are end − arrival of successful requests, in
 * seconds, nearest-rank quantiles; GiB = 2^30 bytes.
 */
export interface CandidateSummary {
  candidate: string;
  requests: number;
  ok: number;
  rejected_503: number;
  rejected_400: number;
  failed_500: number;
  cancelled: number;
  stuck: number;
  latency_p50_s: number | null;
  latency_p95_s: number | null;
  latency_p99_s: number | null;
  latency_mean_s: number | null;
  latency_max_s: number | null;
  cold_starts: number;
  cold_share: number | null;
  loads: number;
  load_failures: number;
  evictions: number;
  reloads: number;
  expiries: number;
  unloads: number;
  vram_mean_gib: number;
  vram_peak_gib: number;
  resident_gib_hours: number;
  idle_resident_gib_hours: number;
  window_s: number;
  /** 500s by cause: load failures (any cause), server restarts, runtime OOMs (faults). */
  failed_load: number;
  failed_restart: number;
  failed_runtime_oom: number;
  /** Of failed_load: loads that ran out of memory after their retry (or without one), and loads that stalled past OLLAMA_LOAD_TIMEOUT. */
  failed_load_oom: number;
  failed_load_timeout: number;
  /** Loads that ran out of memory, retried or not. */
  load_ooms: number;
  /** Client retries sent (the scenario's `retry` policy). */
  retries: number;
  /** The victim order: "ollama", or a what-if labelled "lru (not Ollama)" / "cost (not Ollama)". */
  eviction_order: string;
  /** The Ollama release whose scheduler rules ran ("0.32.15" = the current one) and its era (E1, E2, E3; src/ollama/versions.ts). */
  ollama_version: string;
  ollama_era: string;
  /** Time to first token, approximated as start − first send (queueing, loads, slot waits), s. */
  ttft_p50_s: number | null;
  ttft_p95_s: number | null;
  ttft_p99_s: number | null;
  /** Requests not answered 200 (503, 400, 500, 499, stuck) as a share of all. */
  failure_share: number | null;
  /** Loads per hour of the traffic window. */
  loads_per_hour: number;
  /**
   * Peak memory runners held on the CPU (system RAM) on one host, GiB: layers that
   * did not fit a GPU, or every runner of a CPU-only host. Ollama does not check it
   * against RAM (spec §5.2c); the summary warns when it exceeds the host's.
   */
  cpu_peak_gib?: number;
  /** The same figures per model (fleet hosts folded together). */
  models: Record<string, ModelSummary>;
  /**
   * Service time (end − start) of successful requests: the work itself once it
   * holds a slot, without any waiting — the floor no amount of hardware of this
   * speed goes below. s.
   */
  service_p50_s: number | null;
  service_p95_s: number | null;
  service_p99_s: number | null;
  /**
   * Share of the traffic window a host had a request running (loaded runner,
   * refCount > 0), averaged over a fleet's hosts: the duty cycle of the power estimate.
   */
  busy_share: number;
  /**
   * Share of the traffic window a GPU had a running runner on it (any memory of
   * a runner with a request running), averaged over every GPU of the fleet; 0 on
   * CPU-only hosts. What each GPU's board power is weighted by.
   */
  gpu_busy_share: number;
  /**
   * Scheduler waits a known Ollama pathology explains, only those that happened:
   * `resurrection` (ollama#17408), `reload_starvation` (#14407), `head_of_line` (#14578).
   */
  pathologies: PathologySummary[];
}

export interface ModelSummary {
  requests: number;
  ok: number;
  latency_p50_s: number | null;
  latency_p95_s: number | null;
  latency_p99_s: number | null;
  cold_share: number | null;
  loads: number;
  evictions: number;
  /** Start − first send of the model's successful requests (the candidate's TTFT proxy), s. */
  ttft_p50_s: number | null;
  ttft_p95_s: number | null;
  ttft_p99_s: number | null;
  /** Failures by answer: 503 queue full, 400 bad keep_alive, 500 (any cause), 499 client timeout, never answered. */
  rejected_503: number;
  rejected_400: number;
  failed_500: number;
  cancelled: number;
  stuck: number;
  reloads: number;
  loads_per_hour: number;
  /**
   * Memory its runners held (load start → unloaded), and held with no request
   * running, over the traffic window. A runner is charged to the model whose
   * request loaded it, so the models add up to the candidate's figures.
   */
  resident_gib_hours: number;
  idle_resident_gib_hours: number;
  /** Service time (end − start) of the model's successful requests, s. */
  service_p50_s: number | null;
  service_p95_s: number | null;
  service_p99_s: number | null;
}

export function summarize(
  candidate: string, m: MetricsCollector, eviction = 'ollama', modelNames: readonly string[] = [],
  version: { version: string; era: string } = { version: CURRENT_VERSION, era: 'E3' },
): CandidateSummary {
  const lat = m.latencyValues();
  const [l50, l95, l99, lmax] = quantilesInPlace(lat, [0.5, 0.95, 0.99, 1]);
  const [t50, t95, t99] = quantilesInPlace(m.ttftValues(), [0.5, 0.95, 0.99]);
  const [s50, s95, s99] = quantilesInPlace(m.serviceValues(), [0.5, 0.95, 0.99]);
  const s = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? null : round(x / SECOND));
  let sum = 0;
  for (let i = 0; i < lat.length; i++) sum += lat[i]!;
  const { held, idle } = m.areas();
  const window = m.windowEnd;
  const c = m.counts;
  return {
    candidate,
    requests: c.requests,
    ok: c.ok,
    rejected_503: c.rejected503,
    rejected_400: c.rejected400,
    failed_500: c.failed500,
    cancelled: c.cancelled,
    stuck: c.stuck,
    latency_p50_s: s(l50),
    latency_p95_s: s(l95),
    latency_p99_s: s(l99),
    latency_mean_s: lat.length ? round(sum / lat.length / SECOND) : null,
    latency_max_s: s(lmax),
    cold_starts: c.cold,
    cold_share: c.ok ? round(c.cold / c.ok) : null,
    loads: m.runners.loads,
    load_failures: m.runners.loadFailures,
    evictions: m.runners.evictions,
    reloads: m.runners.reloads,
    expiries: m.runners.expiries,
    unloads: m.runners.unloads,
    vram_mean_gib: window > 0 ? round(held / window / GiB) : 0,
    vram_peak_gib: round(m.peakHeld / GiB),
    resident_gib_hours: round(held / GiB / HOUR),
    idle_resident_gib_hours: round(idle / GiB / HOUR),
    window_s: round(window / SECOND),
    failed_load: m.failures.loadFailed,
    failed_restart: m.failures.restart,
    failed_runtime_oom: m.failures.runtimeOom,
    failed_load_oom: m.failures.loadOom,
    failed_load_timeout: m.failures.loadTimeout,
    load_ooms: m.loadOoms,
    retries: m.failures.retries,
    eviction_order: eviction === 'ollama' ? 'ollama' : `${eviction} (not Ollama)`,
    ollama_version: version.version,
    ollama_era: version.era,
    ttft_p50_s: s(t50),
    ttft_p95_s: s(t95),
    ttft_p99_s: s(t99),
    failure_share: c.requests ? round((c.requests - c.ok) / c.requests) : null,
    loads_per_hour: window > 0 ? round(m.runners.loads / (window / HOUR)) : 0,
    models: Object.fromEntries(modelNames.map((name, i) => [name, modelSummary(m.perModel[i]!, m.modelQuantiles()[i]!, m.modelAreas.areas(i, window), window)])),
    service_p50_s: s(s50),
    service_p95_s: s(s95),
    service_p99_s: s(s99),
    busy_share: window > 0 ? round(m.busyHostTime() / (window * m.hosts)) : 0,
    gpu_busy_share: window > 0 && m.gpusPerHost > 0 ? round(m.busyGpuTime() / (window * m.hosts * m.gpusPerHost)) : 0,
    pathologies: m.pathologies.summary(window),
  };
}

/** `q`: the model's [latency, TTFT, service] quantiles at MODEL_QUANTILES (p50, p95, p99), µs. */
function modelSummary(pm: ModelFigures, q: number[][], area: { held: number; idle: number }, window: number): ModelSummary {
  const [[p50, p95, p99], [t50, t95, t99], [s50, s95, s99]] = q as [number[], number[], number[]];
  const s = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? null : round(x / SECOND));
  return {
    requests: pm.requests, ok: pm.ok, latency_p50_s: s(p50), latency_p95_s: s(p95), latency_p99_s: s(p99),
    cold_share: pm.ok ? round(pm.cold / pm.ok) : null, loads: pm.loads, evictions: pm.evictions,
    ttft_p50_s: s(t50), ttft_p95_s: s(t95), ttft_p99_s: s(t99),
    rejected_503: pm.rejected503, rejected_400: pm.rejected400, failed_500: pm.failed500, cancelled: pm.cancelled, stuck: pm.stuck,
    reloads: pm.reloads,
    loads_per_hour: window > 0 ? round(pm.loads / (window / HOUR)) : 0,
    resident_gib_hours: round(area.held / GiB / HOUR),
    idle_resident_gib_hours: round(area.idle / GiB / HOUR),
    service_p50_s: s(s50),
    service_p95_s: s(s95),
    service_p99_s: s(s99),
  };
}

/** Six significant decimals: stable bytes across platforms, more than any table shows. */
function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
