import { Reason } from '../events/index.js';

/**
 * One loaded model process, as Ollama's runnerRef: refCount counts requests
 * handed this runner and not yet returned (including those waiting for a
 * parallel slot, spec §4.2); sessionDuration is the keep_alive in force;
 * expireTimer is 1 while a timer runs (to expiresAt), -1 when stopped.
 */
export const RunnerState = { loading: 0, loaded: 1, unloading: 2 } as const;
export type RunnerState = (typeof RunnerState)[keyof typeof RunnerState];

export class RunnerRef {
  state: RunnerState = RunnerState.loading;
  refCount = 0;
  sessionDuration = 0;
  expireTimer = -1;
  expiresAt = 0;
  /** Why the runner was marked (duration forced to 0), or Reason.none. */
  markReason: Reason = Reason.none;
  loadedAt = -1;
  /** Last admission or completion (what-if LRU order, not Ollama's). */
  lastUsed = 0;
  /** Seconds its load took (what-if cost-aware order, not Ollama's). */
  loadSeconds = 0;
  /** num_gpu it was loaded with (-1 automatic): a load-time option (spec §4.5). */
  numGpu = -1;
  busySlots = 0;
  /** Admitted requests waiting for a slot, FIFO (pool slots). */
  slotQueue: number[] = [];
  slotHead = 0;

  constructor(
    readonly id: number,
    readonly key: number,
    readonly model: number,
    readonly vram: number,
    /** Bytes held on each GPU (the rest, if any, is offloaded to the CPU). */
    readonly gpuShare: readonly number[],
    /** Effective context and whether it was automatic (needsReload, spec §4.5). */
    readonly numCtx: number,
    readonly ctxAuto: boolean,
    /** What the runner holds on the host's GPUs (all of it in RAM on a CPU-only host): what metrics count. */
    readonly memory: number,
  ) {}

  get idle(): boolean {
    return this.refCount === 0;
  }

  get waiting(): number {
    return this.slotQueue.length - this.slotHead;
  }

  shiftWaiting(): number {
    const r = this.slotQueue[this.slotHead++]!;
    if (this.slotHead === this.slotQueue.length) {
      this.slotQueue.length = 0;
      this.slotHead = 0;
    }
    return r;
  }

  removeWaiting(slot: number): boolean {
    const i = this.slotQueue.indexOf(slot, this.slotHead);
    if (i < 0) return false;
    this.slotQueue.splice(i, 1);
    return true;
  }
}
