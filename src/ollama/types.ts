import type { Status } from '../events/index.js';
import type { Op } from '../workload/trace.js';
import type { ModelArchitecture } from './predict-server-vram.js';

/** A model as the scheduler needs it. Sizes in bytes, times in µs. */
export interface SchedModel {
  name: string;
  /** Runner key index: models sharing a blob (spec §4.6) share a key and so a runner. */
  key: number;
  /** Architecture for Ollama's memory estimate (spec §5.4); null when the scenario gives sizes. */
  arch: ModelArchitecture | null;
  /** A fixed P for the pre-flight (spec §5.4); NaN = estimate it from arch. */
  p: number;
  /** Actual VRAM once loaded: what later fit checks subtract; NaN = the estimate. */
  vram: number;
  /** Parallel slots: OLLAMA_NUM_PARALLEL, or 1 for embedding models (spec §2). */
  numParallel: number;
  /** Cold-load time, µs; NaN = ask the host's LoadTimer (storage, page cache). */
  load: number;
  /** A load of this model crashes after this long (spec scenario 27); Infinity = never. */
  loadFailsAfter: number;
  /** Modelfile num_ctx; 0 = automatic. */
  numCtx: number;
  /** Training context; 0 = unknown (no clamp). */
  nCtxTrain: number;
  /** Modelfile num_gpu: -1 automatic, 0 CPU only, 1…layers an explicit partial offload (spec §5.2c). */
  numGpu?: number;
  /** Block count (the architecture's, or `layers:` for a model given by size); 0 = unknown. */
  layers?: number;
  /** A vision model: num_ctx is raised to at least 2048 (getRunner, sched.go:174-177). */
  vision?: boolean;
}

export { Op } from '../workload/trace.js';

/** Where an in-flight request is. */
export const Where = {
  arriving: 0,
  queued: 1, // in the pending queue
  inHand: 2, // being scheduled (loading, or waiting for an unload)
  slotWait: 3, // admitted, waiting for a parallel slot
  running: 4,
  done: 5,
} as const;
export type Where = (typeof Where)[keyof typeof Where];

/**
 * One request in flight. Created when it arrives, handed to the result sink
 * exactly once when it ends, then recycled: the scheduler holds only requests
 * still in flight, so memory does not grow with the length of the trace.
 */
export interface Req {
  slot: number; // index in the scheduler's pool (event payloads carry it)
  index: number; // position in the trace
  model: number;
  /** When this attempt reached the server (the scheduler's clock for it). */
  arrival: number;
  /** When the client first sent it: arrival of attempt 1 (client retries keep it). */
  firstArrival: number;
  /** 1 for the first attempt, then 2, 3, … for client retries. */
  attempt: number;
  duration: number;
  keepAlive: number; // µs; ABSENT, INVALID, FOREVER or a duration
  numCtx: number; // request option; 0 = absent
  timeout: number; // µs after arrival; Infinity = none
  op: Op;
  admitted: number;
  start: number;
  end: number;
  status: Status;
  http: number;
  cold: boolean;
  where: Where;
  /** The client went away (timeout) while the request was still held somewhere. */
  gone: boolean;
  /** Its duration came from tokens at the model's rates, so parallel streams and CPU offload stretch it. */
  scalable: boolean;
  runner: number; // runner id once admitted, else -1
  /** oomRetryAttempted (sched.go:38-40): this request already had its one load-OOM retry. */
  oomRetried: boolean;
  /** The automatic context cut for the OOM retry (reduceAutoNumCtxForLoadOOM); 0 = not cut. */
  ctxCut: number;
  finishHandle: number;
  cancelHandle: number;
}

/**
 * The host's load-time model, injected like Ollama's loadFn seam: how long a
 * load of a model takes now (its file may still be in the page cache), and
 * how much RAM runners hold on the CPU (which shrinks that cache).
 */
export interface LoadTimer {
  loadTime(model: number, cpuInUse: number): number;
  cpuInUse(bytes: number): void;
}
