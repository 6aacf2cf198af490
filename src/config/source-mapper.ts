import { type InputError, msg, type Message } from '../diag/index.js';
import { rngStream, type Rng } from '../engine/index.js';
import { type SourceField, type TimeUnit, timeMicros } from '../workload/formats.js';
import type { RequestField, RequestRows } from './request-rows.js';
import type { BadRows, Where } from './row-filter.js';

/** One `workload.sources` entry after validation: how its rows become requests. */
export interface SourceSpec {
  file: string;
  format: string;
  time: TimeUnit;
  rebase: boolean;
  /** All requests go to this scenario model. */
  model?: string;
  /** Trace value → scenario model. */
  models?: Record<string, string>;
  /** Spread over these models by Zipf popularity (rank 1 = first). */
  split?: { models: string[]; s: number };
  /** Multiply (rebased) times by this. */
  timeScale: number;
  /** Keep arrivals in [start, end) of the rebased trace, seconds; the window start becomes 0. */
  windowStart: number;
  windowEnd: number;
  /** < 1 keeps each request with this probability; > 1 repeats requests (seeded). */
  rateScale: number;
  sort: boolean;
  /** Rows with a missing or unparseable field: fail, or skip (counted); default fail. */
  badRows?: BadRows;
  /** Only rows whose column holds one of the values (as text). */
  where?: Where;
}

export type RowGet = (f: SourceField) => unknown;
export type RowFail = (field: string, m: Message) => InputError;

/**
 * Turns one source's rows into requests: time unit and rebase, window, time
 * scale, model mapping or split, then thinning or repetition — and hands each
 * request to RequestRows, which checks it like any other request. Rows must
 * come in time order (or the source says sort: true and the reader sorts).
 */
export class SourceMapper {
  private first = NaN;
  private last = -Infinity;
  private readonly thin: Rng;
  private readonly pick: Rng;
  private readonly cumulative: number[] = [];
  private pending: { at: number; get: RowGet; fail: RowFail; where: string } | null = null;

  constructor(private readonly spec: SourceSpec, private readonly rows: RequestRows, private readonly seed: number, private readonly tag: string, private readonly csv: boolean, origin?: number) {
    if (origin !== undefined) this.first = spec.rebase ? origin : 0;
    this.thin = rngStream(seed, `workload/${tag}/rate_scale`);
    this.pick = rngStream(seed, `workload/${tag}/split`);
    if (spec.split) {
      let sum = 0;
      for (let k = 0; k < spec.split.models.length; k++) this.cumulative.push((sum += 1 / (k + 1) ** spec.split.s));
      for (let k = 0; k < this.cumulative.length; k++) this.cumulative[k]! /= sum;
    }
  }

  /** The row's arrival in µs as written (before rebase), checked. */
  rawTime(get: RowGet, fail: RowFail, atColumn: string): number {
    const v = get('at');
    if (v === undefined || v === '' || v === null) throw fail(atColumn, msg.missing());
    const t = timeMicros(v, this.spec.time);
    if (!Number.isFinite(t)) throw fail(atColumn, msg.badTime(String(v), this.spec.time));
    if (!this.spec.rebase && t < 0) throw fail(atColumn, msg.negative(String(v)));
    return t;
  }

  add(get: RowGet, fail: RowFail, where: string, atColumn: string): void {
    const raw = this.rawTime(get, fail, atColumn);
    if (raw < this.last) throw fail(atColumn, msg.sourceOutOfOrder(raw / 1e6, this.last / 1e6));
    this.last = raw;
    if (Number.isNaN(this.first)) this.first = this.spec.rebase ? raw : 0;
    const rel = (raw - this.first) / 1e6;
    if (rel < this.spec.windowStart || rel >= this.spec.windowEnd) return;
    const at = Math.round((rel - this.spec.windowStart) * this.spec.timeScale * 1e6);
    this.offer(at, get, fail, where);
  }

  /** Emits the request still held back for repetition (call once at the end). */
  finish(): void {
    const last = this.pending;
    this.pending = null;
    if (last) this.emitWithCopies(last, last.at);
  }

  private offer(at: number, get: RowGet, fail: RowFail, where: string): void {
    const r = this.spec.rateScale;
    if (r < 1) {
      if (this.thin() < r) this.emit(at, get, fail, where);
      return;
    }
    if (r === 1) {
      this.emit(at, get, fail, where);
      return;
    }
    // Copies of a request land between it and the next original arrival, so order holds.
    // The new row is held first: should the previous one be left out (bad_rows: skip), this one stays.
    const previous = this.pending;
    this.pending = { at, get, fail, where };
    if (previous) this.emitWithCopies(previous, at);
  }

  private emitWithCopies(p: { at: number; get: RowGet; fail: RowFail; where: string }, next: number): void {
    const r = this.spec.rateScale;
    const copies = Math.floor(r) - 1 + (this.thin() < r - Math.floor(r) ? 1 : 0);
    this.emit(p.at, p.get, p.fail, p.where);
    const times: number[] = [];
    for (let k = 0; k < copies; k++) times.push(p.at + Math.floor(this.thin() * (next - p.at)));
    times.sort((a, b) => a - b);
    for (const t of times) this.emit(t, p.get, p.fail, p.where, true);
  }

  private emit(at: number, get: RowGet, fail: RowFail, where: string, copy = false): void {
    const model = this.model(get, fail);
    this.rows.add(
      (f: RequestField) => (f === 'at' ? at / 1e6 : f === 'model' ? model : f === 'id' && copy ? undefined : get(f)),
      (field, m) => fail(field, m),
      where,
      this.csv,
    );
  }

  private model(get: RowGet, fail: RowFail): string {
    const s = this.spec;
    if (s.model !== undefined) return s.model;
    if (s.split) {
      const key = get('session');
      const u = key === undefined || key === null || key === '' ? this.pick() : hashUnit(`${this.seed}/${this.tag}/${String(key)}`);
      let k = 0;
      while (k < this.cumulative.length - 1 && u >= this.cumulative[k]!) k++;
      return s.split.models[k]!;
    }
    const v = get('model');
    if (s.models) {
      // A row that names no model (a request still pending when the trace was cut) is missing a field, not unmapped.
      if (v === undefined || v === null || v === '') throw fail('model', msg.missing());
      const mapped = s.models[String(v)];
      if (mapped === undefined) throw fail('model', msg.unmappedModel(String(v), Object.keys(s.models)));
      return mapped;
    }
    return v === undefined || v === null ? '' : String(v);
  }
}

/** FNV-1a of a string → [0, 1): the same session key always lands on the same model. */
function hashUnit(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) / 4294967296;
}
