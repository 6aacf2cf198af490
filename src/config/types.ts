import type { Trace } from '../workload/trace.js';

/**
 * A scenario after parsing, validation and unit conversion: what a run needs
 * and nothing it must still interpret. Sizes in bytes, times in µs.
 */
export interface ResolvedModel {
  name: string;
  /** VRAM once loaded; also P for the preflight (spec §5.4) until the catalogue computes P. */
  vram: number;
  /** P when it differs from vram (optional `p:` in the scenario); defaults to vram. */
  p: number;
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
}

export interface ResolvedHost {
  /** Total VRAM per GPU, bytes; [] = CPU-only. */
  gpus: number[];
  /** U: unload → unloaded signal, µs. */
  unload: number;
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
  modelNames: string[];
  candidates: ResolvedCandidate[];
  /** Models resident at t = 0 in the base scenario (each candidate has its own list too). */
  warm: ResolvedWarm[];
  trace: Trace;
  /** Non-fatal findings for the user: one line each. */
  warnings: string[];
}
