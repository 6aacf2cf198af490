import type { RecordedOp, RequestFacts, ResponseFacts } from './fields.js';

/**
 * One proxied request as requests.jsonl stores it (one JSON object a line, in
 * the order requests ended). Times: `at`/`end` in seconds since the recording
 * started (µs precision), `wall` the arrival as an ISO time.
 */
export interface RecordedRequest {
  id: number;
  at: number;
  end: number;
  /** When the first response byte reached the proxy (s since start; absent if none): for a stream, about the first token. */
  first_byte?: number;
  wall: string;
  method: string;
  endpoint: string;
  op: RecordedOp;
  model: string | null;
  keep_alive?: number | string | null;
  options: Record<string, unknown>;
  stream: boolean | null;
  /** HTTP status the client got; 499 when the client went away first. */
  status: number;
  /** ok | http_error (an error status from Ollama) | client_disconnect | upstream_error (no answer) | upstream_reset (cut mid-answer) | in_flight_at_stop. */
  outcome: Outcome;
  /** Ollama's metric fields (ns, counts), done_reason and error message from the final response line. */
  response: ResponseFacts;
  /** Response bytes forwarded. */
  bytes: number;
  /** What went wrong on the network, e.g. ECONNREFUSED. */
  error?: string;
}

export type Outcome = 'ok' | 'http_error' | 'client_disconnect' | 'upstream_error' | 'upstream_reset' | 'in_flight_at_stop';

/** Where the recorder's output goes (files in src/io; arrays in tests). */
export interface RecordingSink {
  /** A request ended (any endpoint). */
  request(r: RecordedRequest): void;
  /** A row of the core trace CSV, in arrival order; `header` first. */
  traceRow(line: string): void;
  /** The observed document changed (after each /api/ps poll, and at the end). */
  observed(doc: ObservedDocument): void;
}

/** The core trace's columns (README "Requests"), always all of them. */
export const TRACE_HEADER = 'id,at,model,duration,keep_alive,num_ctx,timeout,op,prompt_tokens,output_tokens';

/**
 * observed.json: what the recorder saw of the server, for calibration and
 * validation (see README "Recording a real Ollama"). Versioned by `format`.
 */
export interface ObservedDocument {
  format: 'ollamasim-observed/1';
  upstream: string;
  /** Wall time of t = 0 (ISO) and the last update, seconds since. */
  started_at: string;
  updated_s: number;
  /** /api/version as first seen, and every change (a restart into another version). */
  version: string | null;
  versions: { t: number; version: string }[];
  poll_every_s: number;
  polls: number;
  poll_failures: number;
  /** Residency changes seen between polls: a model appearing in /api/ps (load) or leaving it (unload), at the poll that saw it. */
  residency: ResidencyEvent[];
  /** Per model: what /api/ps last said, how often it was seen to load and unload. */
  models: Record<string, ModelObservation>;
  /** Upstream unreachable / back / restarted (inferred: back after an outage with nothing loaded, or a new version). */
  upstream_events: { t: number; event: 'down' | 'up' | 'restart'; detail?: string }[];
  /** Requests by endpoint, op, status and outcome. */
  requests: { total: number; by_endpoint: Record<string, number>; by_op: Record<string, number>; by_status: Record<string, number>; by_outcome: Record<string, number> };
}

export interface ResidencyEvent {
  t: number;
  event: 'loaded' | 'unloaded';
  model: string;
  size?: number;
  size_vram?: number;
  context_length?: number;
  expires_at?: string;
}

export interface ModelObservation {
  loads: number;
  unloads: number;
  size: number;
  size_vram: number;
  context_length: number;
  digest: string;
  /** Seconds resident (sum over poll intervals it was seen in). */
  resident_s: number;
}

/** One row of /api/ps (api.ProcessModelResponse, api/types.go:835). */
export interface PsModel {
  name: string;
  size?: number;
  size_vram?: number;
  context_length?: number;
  digest?: string;
  expires_at?: string;
}

interface Open {
  id: number;
  traced: boolean;
  row: string | null;
}

/**
 * The recorder's bookkeeping: ids, the trace written in arrival order (a row
 * waits until every request that arrived before it has ended), per-model
 * durations for requests whose work was never seen, and observed.json.
 */
export class Recorder {
  private nextId = 1;
  private readonly order: Open[] = [];
  private readonly byId = new Map<number, Open>();
  private readonly work = new Map<string, { sum: number; n: number }>();
  private lastPsAt = NaN;
  private loaded = new Map<string, PsModel>();
  private down = false;
  private sawOutage = false;
  readonly doc: ObservedDocument;

  constructor(private readonly sink: RecordingSink, upstream: string, startedAt: string, pollEvery: number) {
    this.doc = {
      format: 'ollamasim-observed/1', upstream, started_at: startedAt, updated_s: 0, version: null, versions: [],
      poll_every_s: pollEvery, polls: 0, poll_failures: 0, residency: [], models: {}, upstream_events: [],
      requests: { total: 0, by_endpoint: {}, by_op: {}, by_status: {}, by_outcome: {} },
    };
    sink.traceRow(TRACE_HEADER);
  }

  /** A request arrives: its id, and a place in the trace if it is an inference, load or unload. */
  begin(traced: boolean): number {
    const o: Open = { id: this.nextId++, traced, row: null };
    this.byId.set(o.id, o);
    if (traced) this.order.push(o);
    return o.id;
  }

  end(r: RecordedRequest, facts: RequestFacts): void {
    const o = this.byId.get(r.id);
    if (!o) return;
    this.byId.delete(r.id);
    const q = this.doc.requests;
    q.total++;
    bump(q.by_endpoint, r.endpoint);
    bump(q.by_op, r.op);
    bump(q.by_status, String(r.status));
    bump(q.by_outcome, r.outcome);
    this.sink.request(r);
    if (o.traced) {
      o.row = this.row(r, facts);
      this.release();
    }
  }

  /** Requests still open when the recording stops: ended as in_flight_at_stop, and every row written. */
  openIds(): number[] {
    return [...this.byId.keys()];
  }

  /** A /api/ps poll at `t` seconds: diff the loaded set into residency events. */
  ps(t: number, models: PsModel[] | null, error?: string): void {
    this.doc.updated_s = t;
    if (models === null) {
      this.doc.poll_failures++;
      if (!this.down) {
        this.down = true;
        this.sawOutage = true;
        this.doc.upstream_events.push({ t, event: 'down', ...(error ? { detail: error } : {}) });
      }
      this.sink.observed(this.doc);
      return;
    }
    this.doc.polls++;
    const now = new Map(models.map((m) => [m.name, m]));
    if (this.down) {
      this.down = false;
      this.doc.upstream_events.push({ t, event: 'up' });
      // Back with none of what it held: the server restarted (a real one loses every runner).
      if (this.loaded.size > 0 && [...this.loaded.keys()].every((k) => !now.has(k))) this.doc.upstream_events.push({ t, event: 'restart', detail: 'came back with nothing loaded' });
    }
    const dt = Number.isNaN(this.lastPsAt) ? 0 : t - this.lastPsAt;
    for (const [name, m] of now) {
      const seen = (this.doc.models[name] ??= { loads: 0, unloads: 0, size: 0, size_vram: 0, context_length: 0, digest: '', resident_s: 0 });
      const before = this.loaded.get(name);
      if (before) seen.resident_s = round6(seen.resident_s + dt);
      // A new digest or context under the same name is a reload.
      if (!before || before.digest !== m.digest || before.context_length !== m.context_length) {
        if (before) this.unloaded(t, name);
        seen.loads++;
        this.doc.residency.push({ t, event: 'loaded', model: name, size: m.size, size_vram: m.size_vram, context_length: m.context_length, expires_at: m.expires_at });
      }
      Object.assign(seen, { size: m.size ?? 0, size_vram: m.size_vram ?? 0, context_length: m.context_length ?? 0, digest: m.digest ?? '' });
    }
    for (const name of this.loaded.keys()) if (!now.has(name)) this.unloaded(t, name);
    this.loaded = now;
    this.lastPsAt = t;
    this.sink.observed(this.doc);
  }

  /** /api/version answered: the first one, or a change. */
  version(t: number, version: string): void {
    if (this.doc.version === version) return;
    if (this.doc.version !== null) this.doc.upstream_events.push({ t, event: 'restart', detail: `version ${this.doc.version} → ${version}` });
    this.doc.version = version;
    this.doc.versions.push({ t, version });
    this.sink.observed(this.doc);
  }

  get outage(): boolean {
    return this.sawOutage;
  }

  private unloaded(t: number, name: string): void {
    this.doc.models[name]!.unloads++;
    this.doc.residency.push({ t, event: 'unloaded', model: name });
  }

  /** Writes every row whose predecessors have all ended. */
  private release(): void {
    while (this.order.length > 0 && this.order[0]!.row !== null) {
      const row = this.order.shift()!.row!;
      if (row !== '') this.sink.traceRow(row);
    }
  }

  /**
   * The request as the core trace has it: `duration` is the work Ollama
   * reported (prompt_eval_duration + eval_duration, or total − load for an
   * embedding), else the mean work recorded for the model so far; a client that
   * went away gives `timeout` = how long it waited.
   */
  private row(r: RecordedRequest, f: RequestFacts): string {
    if (!r.model) return '';
    const x = r.response;
    let work: number | null = null;
    if (x.prompt_eval_duration !== undefined || x.eval_duration !== undefined) work = ((x.prompt_eval_duration ?? 0) + (x.eval_duration ?? 0)) / 1e9;
    else if (x.total_duration !== undefined) work = Math.max(0, (x.total_duration - (x.load_duration ?? 0)) / 1e9);
    const op = r.op === 'preload' || r.op === 'unload' ? r.op : '';
    if (op) work = 0;
    const w = this.work.get(r.model) ?? { sum: 0, n: 0 };
    if (work !== null && !op && r.outcome === 'ok') {
      w.sum += work;
      w.n++;
      this.work.set(r.model, w);
    }
    const duration = work ?? (w.n > 0 ? w.sum / w.n : 0);
    const timeout = r.outcome === 'client_disconnect' ? Math.max(1e-6, r.end - r.at) : null;
    const ka = f.keepAlive;
    const cells = [
      String(r.id), secs(r.at), csvCell(r.model), secs(duration),
      ka === undefined || ka === null ? '' : csvCell(String(ka)),
      f.options.num_ctx !== undefined ? csvCell(String(f.options.num_ctx)) : '',
      timeout === null ? '' : secs(timeout),
      op,
      x.prompt_eval_count !== undefined ? String(x.prompt_eval_count) : '',
      x.eval_count !== undefined ? String(x.eval_count) : '',
    ];
    return cells.join(',');
  }
}

const bump = (o: Record<string, number>, k: string) => { o[k] = (o[k] ?? 0) + 1; };
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
/** Seconds with µs precision, as the core CSV writes them. */
export const secs = (s: number): string => String(round6(s));

/** A CSV cell, quoted when it must be. */
export function csvCell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
