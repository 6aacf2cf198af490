import type { Status } from '../events/index.js';
import type { Op } from '../workload/trace.js';

/** A model as the scheduler needs it. Sizes in bytes, times in µs. */
export interface SchedModel {
  name: string;
  /** Runner key index: models sharing a blob (spec §4.6) share a key and so a runner. */
  key: number;
  /** P: what the preflight compares against 80 % of free VRAM (spec §5.4). */
  p: number;
  /** Actual VRAM once loaded: what later fit checks subtract (spec §5.4). */
  vram: number;
  load: number;
  /** A load of this model crashes after this long (spec scenario 27); Infinity = never. */
  loadFailsAfter: number;
  /** Modelfile num_ctx; 0 = automatic. */
  numCtx: number;
  /** Training context; 0 = unknown (no clamp). */
  nCtxTrain: number;
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
  arrival: number;
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
  runner: number; // runner id once admitted, else -1
  finishHandle: number;
  cancelHandle: number;
}
