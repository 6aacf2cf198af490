/**
 * A request trace held as columns (one typed array per field), so a million
 * rows cost a few tens of MB, are parsed once and shared by every candidate.
 * Times are µs. keepAlive uses the scheduler's encoding (ABSENT = NaN,
 * INVALID = -1, FOREVER = Infinity); numCtx 0 = absent; timeout Infinity = none.
 */
export interface Trace {
  length: number;
  at: Float64Array;
  model: Int32Array;
  duration: Float64Array;
  keepAlive: Float64Array;
  numCtx: Int32Array;
  timeout: Float64Array;
  op: Uint8Array;
  /** Request ids as given; null entries (or a null array) mean the 1-based position. */
  ids: (string | null)[] | null;
  /** Prompt and output tokens where the trace gives them (NaN = not given); absent when none does. */
  promptTokens?: Float64Array;
  outputTokens?: Float64Array;
}

/** What a request asks: generate (default), preload (empty prompt), unload (empty prompt, keep_alive 0). */
export const Op = { generate: 0, preload: 1, unload: 2 } as const;
export type Op = (typeof Op)[keyof typeof Op];
export const OP_NAMES = ['generate', 'preload', 'unload'] as const;

export function requestId(trace: Trace, i: number): string {
  return trace.ids?.[i] ?? String(i + 1);
}

/** A growable columnar builder used by the trace readers. */
export class TraceBuilder {
  private cap: number;
  length = 0;
  at: Float64Array;
  model: Int32Array;
  duration: Float64Array;
  keepAlive: Float64Array;
  numCtx: Int32Array;
  timeout: Float64Array;
  op: Uint8Array;
  ids: (string | null)[] | null = null;
  promptTokens: Float64Array | null = null;
  outputTokens: Float64Array | null = null;

  constructor(capacity = 1024) {
    this.cap = capacity;
    this.at = new Float64Array(capacity);
    this.model = new Int32Array(capacity);
    this.duration = new Float64Array(capacity);
    this.keepAlive = new Float64Array(capacity);
    this.numCtx = new Int32Array(capacity);
    this.timeout = new Float64Array(capacity);
    this.op = new Uint8Array(capacity);
  }

  push(at: number, model: number, duration: number, keepAlive: number, numCtx: number, timeout: number, op: Op, id: string | null): void {
    if (this.length === this.cap) this.grow();
    const i = this.length++;
    this.at[i] = at;
    this.model[i] = model;
    this.duration[i] = duration;
    this.keepAlive[i] = keepAlive;
    this.numCtx[i] = numCtx;
    this.timeout[i] = timeout;
    this.op[i] = op;
    if (id !== null) {
      this.ids ??= [];
      this.ids[i] = id;
    }
  }

  /** Token counts of the row just pushed (NaN = not given); the columns exist only once a row has them. */
  tokens(prompt: number, output: number): void {
    if (Number.isNaN(prompt) && Number.isNaN(output) && !this.promptTokens) return;
    if (!this.promptTokens) {
      this.promptTokens = new Float64Array(this.cap).fill(NaN);
      this.outputTokens = new Float64Array(this.cap).fill(NaN);
    }
    this.promptTokens[this.length - 1] = prompt;
    this.outputTokens![this.length - 1] = output;
  }

  build(): Trace {
    const n = this.length;
    if (this.ids) this.ids.length = n;
    return {
      ...(this.promptTokens ? { promptTokens: this.promptTokens.subarray(0, n), outputTokens: this.outputTokens!.subarray(0, n) } : {}),
      length: n,
      at: this.at.subarray(0, n),
      model: this.model.subarray(0, n),
      duration: this.duration.subarray(0, n),
      keepAlive: this.keepAlive.subarray(0, n),
      numCtx: this.numCtx.subarray(0, n),
      timeout: this.timeout.subarray(0, n),
      op: this.op.subarray(0, n),
      ids: this.ids,
    };
  }

  private grow(): void {
    this.cap *= 2;
    const g64 = (a: Float64Array) => { const b = new Float64Array(this.cap); b.set(a); return b; };
    const g32 = (a: Int32Array) => { const b = new Int32Array(this.cap); b.set(a); return b; };
    this.at = g64(this.at);
    this.model = g32(this.model);
    this.duration = g64(this.duration);
    this.keepAlive = g64(this.keepAlive);
    this.numCtx = g32(this.numCtx);
    this.timeout = g64(this.timeout);
    if (this.promptTokens) {
      const gNaN = (a: Float64Array) => { const b = new Float64Array(this.cap).fill(NaN); b.set(a); return b; };
      this.promptTokens = gNaN(this.promptTokens);
      this.outputTokens = gNaN(this.outputTokens!);
    }
    const op = new Uint8Array(this.cap);
    op.set(this.op);
    this.op = op;
  }
}
