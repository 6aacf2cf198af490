import type { ModelArchitecture } from '../ollama/predict-server-vram.js';
import type { Distribution } from '../workload/generators.js';
import type { Trace } from '../workload/trace.js';

/**
 * A scenario after parsing, validation and unit conversion: what a run needs
 * and nothing it must still interpret. Sizes in bytes, times in µs.
 */
export interface ResolvedModel {
  name: string;
  /** VRAM once loaded; NaN = Ollama's estimate (catalogue models). */
  vram: number;
  /** P for the pre-flight (spec §5.4); NaN = estimate it from `arch`. Without arch it defaults to vram. */
  p: number;
  /** Architecture from the model catalogue, for Ollama's memory estimate; null when sizes are given. */
  arch: ModelArchitecture | null;
  /** The catalogue tag it was resolved from, if any (reports, answer-time rates). */
  tag?: string | null;
  /** Cold-load time. */
  load: number;
  /** keep_alive clients send for this model when a request carries none (µs; NaN = absent). */
  keepAlive: number;
  /** Runner key (spec §4.6): models sharing a key share a runner. Defaults to the name. */
  key: string;
  /** Every load of this model crashes after this long (spec scenario 27); Infinity = never. */
  loadFailsAfter: number;
  /** Modelfile num_ctx; 0 = automatic. */
  numCtx: number;
  /** Training context; 0 = unknown. */
  nCtxTrain: number;
  /** Modelfile num_gpu: -1 (default) automatic, 0 CPU only, 1…layers explicit partial offload. */
  numGpu?: number;
  /** Prompt processing and generation speed the scenario gives, tokens/s; NaN = the catalogue's for the host. */
  prefillTps?: number;
  decodeTps?: number;
  /** Block count given for a model given by size (catalogue models have theirs in arch). */
  layers?: number;
  /** Architecture family: some are forced to one parallel slot (spec §2). */
  family?: string;
  /** A vision model: num_ctx at least 2048. */
  vision?: boolean;
}

export interface ResolvedHost {
  /** Total VRAM per GPU, bytes; [] = CPU-only. */
  gpus: number[];
  /** Catalogue ids of the GPUs, where known (for reports and `explain`). */
  gpuIds: (string | null)[];
  /** U: unload → unloaded signal, µs. */
  unload: number;
  /** Host link bandwidth, bytes/s (Infinity on a CPU-only host). */
  link: number;
  /** Storage id and read bandwidth, bytes/s. */
  storage: string;
  storageBandwidth: number;
  /** System RAM, bytes: bounds the page cache. */
  ram: number;
  /** Runner (llama-server) start time, µs. */
  runnerStart: number;
  /** Unified memory (Apple, iGPU): the GPU's free memory is also capped by free system RAM. */
  unified?: boolean;
  /** Bytes other processes hold on each GPU at the start (absent = none). */
  reserved?: number[];
}

export interface ResolvedCandidate {
  name: string;
  /** The OLLAMA_* values as written (strings or numbers); parsed by ollama/envconfig like Ollama does. */
  server: Record<string, string | number | boolean>;
  host: ResolvedHost;
  /** Same order and names as ResolvedScenario.modelNames. */
  models: ResolvedModel[];
  /** Models resident at t = 0 for this candidate. */
  warm: ResolvedWarm[];
  /** Server restarts and runtime OOMs (µs, model index; model 0 for a restart). */
  faults?: { at: number; kind: 'restart' | 'runtime_oom'; model: number }[];
  /** Periods when every load of a model crashes `after` µs into it. */
  loadCrashes?: { model: number; from: number; until: number; after: number }[];
  /** Periods when every load of a model stalls (fails after OLLAMA_LOAD_TIMEOUT). */
  loadStalls?: { model: number; from: number; until: number }[];
  /** From `at`, other processes hold `bytes` on GPU `gpu` (`index`: the fault's place in its list, for errors). */
  reserveChanges?: { at: number; gpu: number; bytes: number; index: number }[];
  /** Client retry policy, or null. */
  retry?: { attempts: number; backoff: number } | null;
  /** A what-if eviction order Ollama does not have; absent or 'ollama' = Ollama's own. */
  eviction?: 'ollama' | 'lru' | 'cost';
  /** The Ollama release whose scheduler rules apply ("0.6.8"); absent = the current one (src/ollama/versions.ts). */
  version?: string;
  /** Offered load: the workload at this multiple of its rate (1 = as written). */
  rateScale?: number;
  /** Several identical Ollama servers behind a router (each host as `host` describes). */
  fleet?: { hosts: number; router: 'round-robin' | 'least-outstanding' | 'model-affinity' | 'random' };
  /** The candidate as the user wrote it (after merging), for reports. */
  raw: unknown;
}

export interface ResolvedWarm {
  model: number;
  keepAlive: number; // µs; NaN = OLLAMA_KEEP_ALIVE
}

export interface ResolvedScenario {
  /** Path of the scenario file as given. */
  file: string;
  name: string;
  seed: number;
  /** Timers firing later than this after the last arrival are not waited for, µs. */
  horizon: number;
  /** Statistics start after this, µs (0 = from the start). */
  warmup?: number;
  modelNames: string[];
  candidates: ResolvedCandidate[];
  /** Models resident at t = 0 in the base scenario (each candidate has its own list too). */
  warm: ResolvedWarm[];
  trace: Trace;
  /**
   * The catalogue GPU (or `cpu`) the trace's explicit durations were measured on
   * (workload.measured_on); null = unknown, so they take as long on any hardware.
   */
  measuredOn?: string | null;
  /** Closed-loop users whose requests are made during the run (workload.synthetic.users). */
  users?: ResolvedUsers;
  /** Non-fatal findings for the user: one line each. */
  warnings: string[];
}

/** Closed-loop users, resolved: what each draws from, in seconds. */
export interface ResolvedUsers {
  count: number;
  /** Model indices and their pick weights (normalised). */
  models: number[];
  weights: number[];
  /** Think time: exponential with this mean (s), or a distribution. */
  think: { mean: number } | Distribution;
  duration: Distribution | null;
  promptTokens: Distribution | null;
  outputTokens: Distribution | null;
  /** Users stop starting requests after this, µs. */
  end: number;
}
