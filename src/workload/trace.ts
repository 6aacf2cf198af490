/**
 * A request trace held as columns (one typed array per field), so a million
 * rows cost about 20 MB, are parsed once and shared by every candidate — and,
 * built by TraceBuilder on SharedArrayBuffers, by a sweep's worker threads.
 * Times are µs. The optional columns exist only when some row sets them (most
 * traces set none): read them through keepAliveOf, numCtxOf, timeoutOf, opOf.
 * keepAlive uses the scheduler's encoding (ABSENT = NaN, INVALID = -1,
 * FOREVER = Infinity); numCtx 0 = absent; timeout Infinity = none.
 */
export interface Trace {
  length: number;
  at: Float64Array;
  model: Int32Array;
  duration: Float64Array;
  keepAlive: Float64Array | null;
  numCtx: Int32Array | null;
  timeout: Float64Array | null;
  op: Uint8Array | null;
  /** Request ids as given; null entries (or a null array) mean the 1-based position. */
  ids: (string | null)[] | null;
  /** Prompt and output tokens where the trace gives them (NaN = not given); absent when none does. */
  promptTokens?: Float64Array;
  outputTokens?: Float64Array;
  /** 1 where the duration was worked out from tokens at the model's rates (it then stretches with parallel streams and CPU offload). */
  fromTokens?: Uint8Array;
}

export const keepAliveOf = (t: Trace, i: number): number => (t.keepAlive ? t.keepAlive[i]! : NaN);
export const numCtxOf = (t: Trace, i: number): number => (t.numCtx ? t.numCtx[i]! : 0);
export const timeoutOf = (t: Trace, i: number): number => (t.timeout ? t.timeout[i]! : Infinity);
export const opOf = (t: Trace, i: number): Op => (t.op ? (t.op[i] as Op) : Op.generate);

/** What a request asks: generate (default), preload (empty prompt), unload (empty prompt, keep_alive 0). */
export const Op = { generate: 0, preload: 1, unload: 2 } as const;
export type Op = (typeof Op)[keyof typeof Op];
export const OP_NAMES = ['generate', 'preload', 'unload'] as const;

export function requestId(trace: Trace, i: number): string {
  return trace.ids?.[i] ?? String(i + 1);
}

type Column = Float64Array | Int32Array | Uint8Array;

/**
 * A growable columnar builder used by the trace readers. Capacity grows by half
 * (not doubling), and the optional columns are created, filled with their
 * default, only when a row first sets them: a 10 M-row trace of at,model,duration
 * holds 20 bytes a row.
 */
export class TraceBuilder {
  private cap: number;
  length = 0;
  at: Float64Array;
  model: Int32Array;
  duration: Float64Array;
  keepAlive: Float64Array | null = null;
  numCtx: Int32Array | null = null;
  timeout: Float64Array | null = null;
  op: Uint8Array | null = null;
  ids: (string | null)[] | null = null;
  promptTokens: Float64Array | null = null;
  outputTokens: Float64Array | null = null;
  derived: Uint8Array | null = null;

  constructor(capacity = 1024) {
    this.cap = Math.max(16, capacity);
    this.at = shared(Float64Array, this.cap);
    this.model = shared(Int32Array, this.cap);
    this.duration = shared(Float64Array, this.cap);
  }

  push(at: number, model: number, duration: number, keepAlive: number, numCtx: number, timeout: number, op: Op, id: string | null): void {
    if (this.length === this.cap) this.grow();
    const i = this.length++;
    this.at[i] = at;
    this.model[i] = model;
    this.duration[i] = duration;
    if (!Number.isNaN(keepAlive) || this.keepAlive) (this.keepAlive ??= filled(shared(Float64Array, this.cap), NaN))[i] = keepAlive;
    if (numCtx !== 0 || this.numCtx) (this.numCtx ??= shared(Int32Array, this.cap))[i] = numCtx;
    if (timeout !== Infinity || this.timeout) (this.timeout ??= filled(shared(Float64Array, this.cap), Infinity))[i] = timeout;
    if (op !== Op.generate || this.op) (this.op ??= shared(Uint8Array, this.cap))[i] = op;
    if (id !== null) {
      this.ids ??= [];
      this.ids[i] = id;
    }
  }

  /** Token counts of the row just pushed (NaN = not given); the columns exist only once a row has them. */
  tokens(prompt: number, output: number): void {
    if (Number.isNaN(prompt) && Number.isNaN(output) && !this.promptTokens) return;
    this.promptTokens ??= filled(shared(Float64Array, this.cap), NaN);
    this.outputTokens ??= filled(shared(Float64Array, this.cap), NaN);
    this.promptTokens[this.length - 1] = prompt;
    this.outputTokens[this.length - 1] = output;
  }

  /** The row just pushed has its duration from tokens at the model's rates. */
  fromTokens(): void {
    (this.derived ??= shared(Uint8Array, this.cap))[this.length - 1] = 1;
  }

  build(): Trace {
    const n = this.length;
    if (this.ids) this.ids.length = n;
    return {
      ...(this.derived ? { fromTokens: this.derived.subarray(0, n) } : {}),
      ...(this.promptTokens ? { promptTokens: this.promptTokens.subarray(0, n), outputTokens: this.outputTokens!.subarray(0, n) } : {}),
      length: n,
      at: this.at.subarray(0, n),
      model: this.model.subarray(0, n),
      duration: this.duration.subarray(0, n),
      keepAlive: this.keepAlive?.subarray(0, n) ?? null,
      numCtx: this.numCtx?.subarray(0, n) ?? null,
      timeout: this.timeout?.subarray(0, n) ?? null,
      op: this.op?.subarray(0, n) ?? null,
      ids: this.ids,
    };
  }

  /** Grows the columns to hold at least n rows, in one step. */
  reserve(n: number): void {
    if (n > this.cap) this.grow(n);
  }

  private grow(to = Math.ceil(this.cap * 1.5)): void {
    const cap = to;
    this.at = widen(this.at, cap, 0);
    this.model = widen(this.model, cap, 0);
    this.duration = widen(this.duration, cap, 0);
    if (this.keepAlive) this.keepAlive = widen(this.keepAlive, cap, NaN);
    if (this.numCtx) this.numCtx = widen(this.numCtx, cap, 0);
    if (this.timeout) this.timeout = widen(this.timeout, cap, Infinity);
    if (this.op) this.op = widen(this.op, cap, 0);
    if (this.promptTokens) this.promptTokens = widen(this.promptTokens, cap, NaN);
    if (this.outputTokens) this.outputTokens = widen(this.outputTokens, cap, NaN);
    if (this.derived) this.derived = widen(this.derived, cap, 0);
    this.cap = cap;
  }
}

type ColumnType<T extends Column> = { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number };

/**
 * A column on a SharedArrayBuffer: a sweep's worker threads get the parsed
 * trace in their workerData and read the same memory (a plain array would be
 * copied by the structured clone, and a transferred one taken from the sender).
 */
function shared<T extends Column>(type: ColumnType<T>, n: number): T {
  return new type(new SharedArrayBuffer(n * type.BYTES_PER_ELEMENT));
}

function filled<T extends Column>(a: T, value: number): T {
  a.fill(value);
  return a;
}

/** A longer copy of a column, the new part filled with the column's default. */
function widen<T extends Column>(a: T, cap: number, fill: number): T {
  const b = shared(a.constructor as unknown as ColumnType<T>, cap);
  b.set(a as never);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}
