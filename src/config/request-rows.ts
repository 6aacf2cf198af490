import { type InputError, msg, type Message } from '../diag/index.js';
import { ABSENT, INVALID, parseRequestKeepAlive } from '../ollama/keep-alive.js';
import { Op, OP_NAMES, TraceBuilder, type Trace } from '../workload/trace.js';
import { MAX_REQUESTS, MAX_SECONDS, RANGES } from './ranges.js';
import { describe } from './validate.js';

export const REQUEST_FIELDS = ['id', 'at', 'model', 'duration', 'keep_alive', 'num_ctx', 'timeout', 'op', 'prompt_tokens', 'output_tokens'] as const;
export type RequestField = (typeof REQUEST_FIELDS)[number];

export interface ModelRates {
  prefillTps: number;
  decodeTps: number;
  /** Unknown on the scenario's own host, known on some candidate's. */
  ratedElsewhere?: boolean;
}

/** Reports a problem with one field of the current row, at its line. */
export type FieldError = (field: RequestField, message: Message) => InputError;

/**
 * Turns request rows — inline YAML values or CSV cells (text) — into the
 * columnar trace, checking each field and the order of arrivals. Both readers
 * go through here, so a request means the same thing wherever it is written.
 */
export class RequestRows {
  private readonly builder = new TraceBuilder();
  private readonly modelIndex: Map<string, number>;
  private lastAt = 0;
  /** At most this many requests (MAX_REQUESTS, or --max-requests): one more is an input error, before it is stored. */
  maxRows = MAX_REQUESTS;
  /** Requests whose keep_alive Ollama answers with 400, and where the first one is. */
  invalidKeepAlive = 0;
  firstInvalid: string | null = null;

  /**
   * `rates`: per model, prompt-processing and generation speed in tokens/s on the
   * scenario's own host (NaN = unknown there), for requests written as tokens: the
   * duration column then shows their work on that host, for `trace stats`. Each
   * candidate works out its own from the token counts (src/sim/world.ts), so a model
   * `ratedElsewhere` (rates on some candidate's host) gets 0 here, not an error.
   */
  constructor(private readonly modelNames: readonly string[], private readonly rates: readonly ModelRates[] = [], private readonly open = false) {
    this.modelIndex = new Map(modelNames.map((n, i) => [n, i]));
  }

  /**
   * For inspecting a bare trace file (`ollamasim trace stats|convert`): any
   * model name is taken as it comes, and token requests without rates get no duration.
   */
  static open(): RequestRows {
    return new RequestRows([], [], true);
  }

  /** The model names, in index order (grows for an open reader). */
  get models(): readonly string[] {
    return this.open ? [...this.modelIndex.keys()] : this.modelNames;
  }

  /** Room for about this many requests (a reader that knows the file's length: the columns then grow once). */
  reserve(n: number): void {
    this.builder.reserve(n);
  }

  /** How many model names the reader knows (an open reader learns them). */
  get modelCount(): number {
    return this.modelIndex.size;
  }

  /** `csv`: cells are text, and a keep_alive cell that reads as a number is a number. */
  add(get: (f: RequestField) => unknown, fail: FieldError, where: string, csv: boolean): void {
    if (this.builder.length >= this.maxRows) throw fail('at', msg.tooManyRequests(`more than ${this.maxRows.toLocaleString('en-US')}`, this.maxRows));
    const at = this.time(get('at'), 'at', fail, true)!;
    if (at < this.lastAt) throw fail('at', msg.outOfOrder(at / 1e6, this.lastAt / 1e6));
    this.lastAt = at;
    const modelName = get('model');
    if (modelName === undefined || modelName === '') throw fail('model', msg.missing());
    if (this.open && !this.modelIndex.has(String(modelName))) this.modelIndex.set(String(modelName), this.modelIndex.size);
    const model = this.modelIndex.get(String(modelName));
    if (model === undefined) throw fail('model', msg.unknownModel(String(modelName), this.modelNames));
    const op = this.op(get('op'), fail);
    const prompt = this.tokenCount(get('prompt_tokens'), 'prompt_tokens', fail);
    const output = this.tokenCount(get('output_tokens'), 'output_tokens', fail);
    const hasTokens = !Number.isNaN(prompt) || !Number.isNaN(output);
    let duration = this.time(get('duration'), 'duration', fail, op === Op.generate && !hasTokens);
    const derived = duration === undefined && hasTokens && op === Op.generate;
    if (derived) duration = this.fromTokens(model, prompt, output, fail);
    const keepAlive = this.keepAlive(get('keep_alive'), where, csv);
    const numCtx = this.positiveInt(get('num_ctx'), 'num_ctx', fail);
    const timeout = this.time(get('timeout'), 'timeout', fail, false) ?? Infinity;
    if (timeout === 0) throw fail('timeout', msg.zeroTimeout(String(get('timeout')).trim()));
    const id = get('id');
    this.builder.push(at, model, duration ?? 0, keepAlive, numCtx, timeout, op, id === undefined || id === '' ? null : String(id));
    if (derived && duration !== undefined) this.builder.fromTokens();
    this.builder.tokens(prompt, output);
  }

  /**
   * The fast CSV path: a row whose only cells are a plain `at`, a known model
   * and a plain `duration` (seconds, ≥ 0), and maybe an id — each already what
   * `add` would read from them. False when `add` must see the row (it arrives
   * before the last one, a time is out of range, or the trace is full): `add`
   * then reports it.
   */
  addPlain(atSeconds: number, model: number, durationSeconds: number, id: string | null): boolean {
    if (this.builder.length >= this.maxRows || atSeconds > MAX_SECONDS || durationSeconds > MAX_SECONDS) return false;
    const at = Math.round(atSeconds * 1e6);
    if (at < this.lastAt) return false;
    this.lastAt = at;
    this.builder.push(at, model, Math.round(durationSeconds * 1e6), ABSENT, 0, Infinity, Op.generate, id);
    this.builder.tokens(NaN, NaN);
    return true;
  }

  /** Seconds of work for a request given as tokens: prefill at prefill_tps, then decode at decode_tps (µs). */
  private fromTokens(model: number, prompt: number, output: number, fail: FieldError): number {
    const r = this.rates[model];
    if (this.open && !r) return 0;
    if (!r || !(r.prefillTps > 0) || !(r.decodeTps > 0)) {
      if (r?.ratedElsewhere) return 0;
      throw fail(Number.isNaN(prompt) ? 'output_tokens' : 'prompt_tokens', msg.noTokenRates(this.modelNames[model]!));
    }
    const s = (Number.isNaN(prompt) ? 0 : prompt / r.prefillTps) + (Number.isNaN(output) ? 0 : output / r.decodeTps);
    if (s > MAX_SECONDS) throw fail(Number.isNaN(prompt) ? 'output_tokens' : 'prompt_tokens', msg.outOfRange(`${s} s of work`, RANGES.seconds.text));
    return Math.round(s * 1e6);
  }

  /** A token count: a whole number ≥ 0; NaN = not given. */
  private tokenCount(v: unknown, field: RequestField, fail: FieldError): number {
    if (v === undefined || v === '' || v === null) return NaN;
    const n = typeof v === 'string' ? Number(v.trim()) : v;
    if (typeof n !== 'number' || !Number.isInteger(n)) throw fail(field, msg.notTokenCount(String(v)));
    if (n < 0) throw fail(field, msg.negativeTokens(String(v)));
    if (n > RANGES.tokens.max) throw fail(field, msg.outOfRange(String(v), RANGES.tokens.text));
    return n;
  }

  build(): Trace {
    return this.builder.build();
  }

  /** Seconds (a number, or numeric text from a CSV) → µs; undefined/empty = absent. */
  private time(v: unknown, field: RequestField, fail: FieldError, required: boolean): number | undefined {
    if (v === undefined || v === '' || v === null) {
      if (required) throw fail(field, field === 'duration' ? msg.durationRequired() : msg.missing());
      return undefined;
    }
    const n = typeof v === 'string' ? Number(v.trim()) : v;
    if (typeof n !== 'number' || Number.isNaN(n)) {
      throw fail(field, typeof v === 'string' ? msg.notNumber(v) : msg.wrongType('a number of seconds', describe(v)));
    }
    if (!Number.isFinite(n)) throw fail(field, msg.notFinite(String(v)));
    if (n < 0) throw fail(field, msg.negative(String(v)));
    if (n > MAX_SECONDS) throw fail(field, msg.outOfRange(String(v), RANGES.seconds.text));
    return Math.round(n * 1e6);
  }

  private positiveInt(v: unknown, field: RequestField, fail: FieldError): number {
    if (v === undefined || v === '' || v === null) return 0;
    const n = typeof v === 'string' ? Number(v.trim()) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0 || n > 2 ** 31 - 1) throw fail(field, msg.notPositiveInt(String(v)));
    return n;
  }

  private op(v: unknown, fail: FieldError): Op {
    if (v === undefined || v === '' || v === null) return Op.generate;
    const i = OP_NAMES.indexOf(String(v) as (typeof OP_NAMES)[number]);
    if (i < 0) throw fail('op', msg.badOp(String(v)));
    return i as Op;
  }

  /**
   * keep_alive as the client would send it in JSON. In a CSV a cell that reads
   * as a number is a number. A value Ollama rejects is not an input error: the
   * request gets Ollama's 400 in the results, and the loader warns.
   */
  private keepAlive(v: unknown, where: string, csv: boolean): number {
    if (v === undefined || v === '' || v === null) return ABSENT;
    const number = csv && typeof v === 'string' ? fromCsv(v) : null;
    const ka = parseRequestKeepAlive(number ?? v);
    if (ka === INVALID) {
      this.invalidKeepAlive++;
      this.firstInvalid ??= where;
    }
    return ka;
  }
}

/** A CSV cell that is a plain number (e.g. "0", "-1", "42.5"), else null. */
function fromCsv(cell: string): number | null {
  const t = cell.trim();
  return /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : null;
}
