/**
 * From what the log shows (fold.ts) to what `record` writes: requests.jsonl
 * rows, the core trace and observed.json — so `calibrate` and `validate` read a
 * log import as they read a recording. Each request's model, arrival and work
 * come from the lines that show them, and what no line shows is listed in
 * `unrecoverable` instead of being made up.
 */
import type { ModelObservation, ObservedDocument, RecordedRequest, ResidencyEvent } from '../record/recorder.js';
import { csvCell, secs, TRACE_HEADER } from '../record/recorder.js';
import { fold, labelOf, type Done, type Folded, type Gin, type Key, type Load } from './fold.js';
import { INFERENCE_ENDPOINTS } from '../record/fields.js';

export interface ImportOptions {
  /** The log file as the user named it (written into observed.json). */
  source: string;
  /** The model of a single-model server whose log does not name it (`--model`). */
  model?: string;
}

/** A request as requests.jsonl stores it, plus what only a log import has. */
export interface ImportedRequest extends RecordedRequest {
  /** Earliest and latest arrival the log allows (s since t = 0): GIN prints the end to the second. */
  at_window: [number, number];
  /** How the model was found: a DEBUG request-finished line, the only model in the log, or --model. */
  attributed_by?: 'debug' | 'single_model' | 'hint';
  /** The keep_alive timer Ollama set when the request ended (DEBUG; the client's value or the server default). */
  keep_alive_effective?: string;
  /** The GIN line of the request (1-based). */
  line: number;
}

export interface ImportedResidencyEvent extends ResidencyEvent {
  /** loaded: when the load began (back-computed from "started in N seconds") and how long it took. */
  load_started?: number;
  load_s?: number;
  /** unloaded: keep_alive expired, keep_alive 0, evicted, load failed, reload, restart, or a reload's inference. */
  reason?: string;
  /** The line that shows the event (1-based). */
  line: number;
}

export interface LogObserved extends ObservedDocument {
  residency: ImportedResidencyEvent[];
  /** What was read: the file, the level it was logged at, and how many lines were what. */
  log: { file: string; level: 'DEBUG' | 'INFO'; lines: number; recognised: number; unparseable: number; malformed: number; zone: string };
  /** What the log could not tell at its level, one sentence each. */
  unrecoverable: string[];
}

export interface ImportResult {
  /** requests.jsonl rows, in the order requests ended. */
  requests: ImportedRequest[];
  /** trace.csv lines, the header first, rows in arrival order. */
  trace: string[];
  observed: LogObserved;
}

/** Imports a log given whole or as its lines (src/io/read-server-log.ts streams a file's). */
export function importLog(log: string | Iterable<string>, opts: ImportOptions): ImportResult {
  return assemble(fold(typeof log === 'string' ? linesOf(log) : log), opts);
}

function linesOf(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

interface Req {
  gin: Gin;
  end: number;
  at: number;
  window: [number, number];
  key: Key | null;
  by?: ImportedRequest['attributed_by'];
  keepAlive?: string;
  load?: Load;
}

function assemble(f: Folded, opts: ImportOptions): ImportResult {
  const offsetOf = (g: Gin) => g.offsetMin ?? f.firstOffsetMin ?? 0;
  // Distinct models the log names (by label: a digest and its name are one model).
  const named = new Set<string>();
  for (const k of [...f.refs.keys()]) named.add(labelOf(f, k, ''));
  const unnamedLoads = f.loads.some((l) => l.key === '?');
  const hintUsable = opts.model !== undefined && named.size <= 1;
  const onlyKey: Key | null = named.size === 1 ? [...f.refs.keys()][0]! : named.size === 0 && unnamedLoads ? '?' : null;
  const label = (k: Key): string => {
    if (hintUsable && (k === '?' || (k.startsWith('d:') && !f.names.has(k.slice(2))))) return opts.model!;
    return labelOf(f, k, '(unnamed)');
  };

  const reqs: Req[] = [];
  const others: Req[] = [];
  let ambiguous = 0;
  for (const g of f.gins) {
    const endLo = g.localMs - offsetOf(g) * 60_000;
    const lat = g.latencyUs / 1000;
    const extra = g.whole ? 1000 : 0; // a latency past a minute is printed truncated to the second
    const inference = g.method === 'POST' && INFERENCE_ENDPOINTS[g.path] !== undefined;
    const match = inference ? matchDone(f.dones, endLo) : null;
    if (match) {
      const done = match.done;
      done.used = true;
      if (match.ambiguous) ambiguous++;
      const end = done.t;
      reqs.push({ gin: g, end, at: end - lat - extra / 2, window: [end - lat - extra, end - lat], key: done.key, by: 'debug', ...(done.keepAlive ? { keepAlive: done.keepAlive } : {}) });
      continue;
    }
    const end = endLo + 500;
    const r: Req = { gin: g, end, at: end - lat - extra / 2, window: [endLo - lat - extra, endLo + 1000 - lat], key: null };
    if (inference) {
      // No DEBUG line names its model: the only model the log shows, or the one --model names.
      const key = onlyKey !== null && (onlyKey !== '?' || hintUsable) ? onlyKey : hintUsable ? '?' : null;
      if (key !== null) {
        r.key = key;
        r.by = hintUsable && label(key) === opts.model ? 'hint' : 'single_model';
      }
      reqs.push(r);
    } else {
      others.push(r);
    }
  }
  // A load of the request's model that began after it arrived and was ready before it ended is its load.
  for (const r of reqs) {
    if (r.key === null) continue;
    r.load = f.loads.find((l) => sameModel(l.key, r.key!) && l.ready > r.window[0] && l.ready <= r.end && (l.start === null || l.start >= r.window[0] - 1000));
  }

  const all = [...reqs, ...others];
  // t = 0 is the earliest instant the log implies: a line, a load's back-computed start, a request's earliest arrival.
  let t0 = Infinity;
  let tEnd = -Infinity;
  const see = (ms: number) => { if (ms < t0) t0 = ms; if (ms > tEnd) tEnd = ms; };
  if (f.recognised > 0 && Number.isFinite(f.tMin)) { see(f.tMin); see(f.tMax); }
  for (const l of f.loads) see(l.start ?? l.ready);
  for (const r of all) { see(r.window[0]); see(r.end); }
  if (!Number.isFinite(t0)) t0 = tEnd = 0;
  const rel = (ms: number) => Math.round(ms - t0) / 1000;

  // Work: the latency, less the load inside it; an error's work is its model's mean (as record does).
  const work = new Map<Req, number>();
  const sums = new Map<string, { sum: number; n: number }>();
  for (const r of reqs) {
    if (r.key === null || r.gin.status >= 400) continue;
    const w = Math.max(0, (r.end - (r.load ? Math.max(r.at, r.load.ready) : r.at)) / 1000);
    work.set(r, w);
    const s = sums.get(label(r.key)) ?? { sum: 0, n: 0 };
    s.sum += w;
    s.n++;
    sums.set(label(r.key), s);
  }

  const byArrival = [...all].sort((a, b) => a.at - b.at || a.gin.line - b.gin.line);
  const ids = new Map<Req, number>(byArrival.map((r, i) => [r, i + 1]));
  const trace = [TRACE_HEADER];
  const isInference = new Set(reqs);
  for (const r of byArrival) {
    if (!isInference.has(r) || r.key === null) continue;
    const model = label(r.key);
    const s = sums.get(model);
    const w = work.get(r) ?? (s && s.n > 0 ? s.sum / s.n : 0);
    trace.push([String(ids.get(r)), secs(rel(r.at)), csvCell(model), secs(w), '', '', '', '', '', ''].join(','));
  }

  const requests: ImportedRequest[] = [...all]
    .sort((a, b) => a.end - b.end || a.gin.line - b.gin.line)
    .map((r) => toRecorded(r, ids.get(r)!, rel, r.key === null ? null : label(r.key)));

  const observed = observe(f, opts, reqs, requests, label, rel, t0, tEnd);
  if (ambiguous > 0) observed.unrecoverable.push(`which of ${ambiguous} requests ending in the same second as a request to another model is which: paired in log order`);
  return { requests, trace, observed };
}

const sameModel = (a: Key, b: Key) => a === b;

/** The DEBUG request-finished line of a GIN line: same second (slog prints ms, GIN the second), first unused. */
function matchDone(dones: Done[], endLo: number): { done: Done; ambiguous: boolean } | null {
  // dones are in log order, which is time order: binary-search the window's start.
  let lo = 0;
  let hi = dones.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (dones[mid]!.t < endLo - 50) lo = mid + 1;
    else hi = mid;
  }
  const near: Done[] = [];
  for (let i = lo; i < dones.length && dones[i]!.t < endLo + 1050; i++) if (!dones[i]!.used) near.push(dones[i]!);
  if (near.length === 0) return null;
  return { done: near[0]!, ambiguous: new Set(near.map((d) => d.key)).size > 1 };
}

function toRecorded(r: Req, id: number, rel: (ms: number) => number, model: string | null): ImportedRequest {
  const g = r.gin;
  const op = g.method === 'POST' ? INFERENCE_ENDPOINTS[g.path] ?? 'other' : 'other';
  const response: RecordedRequest['response'] = { total_duration: Math.round(g.latencyUs) * 1000 };
  if (r.load) response.load_duration = Math.round(Math.max(0, r.load.ready - r.at) * 1000) * 1000;
  return {
    id,
    at: rel(r.at),
    end: rel(r.end),
    wall: new Date(Math.round(r.at)).toISOString(),
    method: g.method,
    endpoint: g.path,
    op,
    model,
    options: {},
    stream: null,
    status: g.status,
    outcome: g.status === 499 ? 'client_disconnect' : g.status >= 400 ? 'http_error' : 'ok',
    response,
    bytes: 0,
    at_window: [rel(r.window[0]), rel(r.window[1])],
    ...(r.by ? { attributed_by: r.by } : {}),
    ...(r.keepAlive ? { keep_alive_effective: r.keepAlive } : {}),
    line: g.line,
  };
}

function observe(f: Folded, opts: ImportOptions, reqs: Req[], requests: ImportedRequest[], label: (k: Key) => string, rel: (ms: number) => number, t0: number, tEnd: number): LogObserved {
  const residency: ImportedResidencyEvent[] = [];
  const models: Record<string, ModelObservation> = {};
  const model = (name: string) => (models[name] ??= { loads: 0, unloads: 0, size: 0, size_vram: 0, context_length: 0, digest: '', resident_s: 0 });
  for (const [k, ref] of f.refs) {
    const m = model(label(k));
    if (ref.digest) m.digest = `sha256:${ref.digest}`;
    if (ref.size !== undefined) m.size = ref.size;
    if (ref.vram !== undefined) m.size_vram = ref.vram;
    if (ref.numCtx !== undefined) m.context_length = ref.numCtx;
  }
  for (const l of f.loads) {
    const name = label(l.key);
    const m = model(name);
    m.loads++;
    residency.push({
      t: rel(l.ready), event: 'loaded', model: name,
      ...(m.size ? { size: m.size } : {}),
      ...(m.size_vram ? { size_vram: m.size_vram } : {}),
      ...(m.context_length ? { context_length: m.context_length } : {}),
      ...(l.start !== null ? { load_started: rel(l.start), load_s: Math.round(l.ready - l.start) / 1000 } : {}),
      line: l.line,
    });
  }
  for (const u of f.unloads) {
    const name = label(u.key);
    model(name).unloads++;
    residency.push({ t: rel(u.t), event: 'unloaded', model: name, reason: u.reason, line: u.line });
  }
  residency.sort((a, b) => a.t - b.t || a.line - b.line);
  const since = new Map<string, number>();
  for (const e of residency) {
    if (e.event === 'loaded') since.set(e.model, e.t);
    else if (since.has(e.model)) {
      models[e.model]!.resident_s = round6(models[e.model]!.resident_s + e.t - since.get(e.model)!);
      since.delete(e.model);
    }
  }
  for (const [name, t] of since) models[name]!.resident_s = round6(models[name]!.resident_s + rel(tEnd) - t);

  const q: LogObserved['requests'] = { total: requests.length, by_endpoint: {}, by_op: {}, by_status: {}, by_outcome: {} };
  for (const r of requests) {
    bump(q.by_endpoint, r.endpoint);
    bump(q.by_op, r.op);
    bump(q.by_status, String(r.status));
    bump(q.by_outcome, r.outcome);
  }
  const zone = f.firstOffsetMin === null ? 'UTC (the log prints no zone)' : formatZone(f.firstOffsetMin);
  return {
    format: 'ollamasim-observed/1',
    upstream: `log:${opts.source}`,
    started_at: new Date(t0).toISOString(),
    updated_s: rel(tEnd),
    version: f.versions[0]?.version ?? null,
    versions: f.versions.map((v) => ({ t: rel(v.t), version: v.version })),
    poll_every_s: 0,
    polls: 0,
    poll_failures: 0,
    residency,
    models,
    upstream_events: f.restarts.map((r) => ({ t: rel(r.t), event: 'restart' as const, detail: r.detail })),
    requests: q,
    log: { file: opts.source, level: f.debug ? 'DEBUG' : 'INFO', lines: f.lines, recognised: f.recognised, unparseable: f.unparseable, malformed: f.malformed, zone },
    unrecoverable: unrecoverable(f, opts, reqs, label, rel),
  };
}

/** One sentence per thing the log does not show, with counts: the importer's honesty. */
function unrecoverable(f: Folded, opts: ImportOptions, reqs: Req[], label: (k: Key) => string, rel: (ms: number) => number): string[] {
  const out: string[] = [];
  const n = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;
  if (reqs.length > 0) {
    const unmatched = reqs.filter((r) => r.by !== 'debug').length;
    if (unmatched > 0) out.push(`arrival time of ${n(unmatched, 'request')}: GIN prints the end to the second, so arrival is a 1 s window (at = its middle; at_window in requests.jsonl)`);
    if (reqs.some((r) => r.gin.whole)) out.push('exact latency past a minute: GIN prints it in whole seconds (one more second of window)');
    out.push('prompt and output tokens, keep_alive and num_ctx as the client sent them, and streaming: the log has no request bodies');
    out.push('preload and unload requests (an empty prompt): GIN shows them as ordinary requests');
    out.push("queueing inside a request: its duration is the latency less any load seen inside it");
    const single = reqs.filter((r) => r.by === 'single_model').length;
    if (single > 0) out.push(`the model of ${n(single, 'request')} for certain: given the only model the log names (attributed_by single_model), which is wrong if the server served others unseen`);
    const unattributed = reqs.filter((r) => r.key === null).length;
    if (unattributed > 0) out.push(`model of ${n(unattributed, 'request')}: GIN lines name none and no DEBUG line pairs with them (OLLAMA_DEBUG=1, or --model for a single-model server); not in trace.csv`);
  }
  if (!f.debug && !f.preScheduler) out.push('keep_alive expiries and other unloads: Ollama logs them only at DEBUG (OLLAMA_DEBUG=1); at INFO only a reload shows that a model was unloaded before it');
  if (opts.model !== undefined && !(new Set([...f.refs.keys()].map((k) => label(k))).size <= 1)) out.push(`--model ${opts.model} not used: the log names more than one model`);
  const unnamed = f.loads.filter((l) => l.key === '?').length;
  if (unnamed > 0 && opts.model === undefined) out.push(`model of ${n(unnamed, 'load')}: its start line is not in the log or names no blob (--model names it on a single-model server)`);
  const noStart = f.loads.filter((l) => l.start === null).length;
  if (noStart > 0) out.push(`load time of ${n(noStart, 'load')}: seen ready at DEBUG without a "started in" line or a start`);
  for (const u of f.unfinishedLoads) out.push(`a load of ${label(u.key)} started at t=${rel(u.t)} s and is not seen ready (the log ends, or the load failed)`);
  for (const u of f.undoneUnloads) out.push(`an unload of ${label(u.key)} (${u.reason}) decided at t=${rel(u.t)} s and not seen done`);
  if (f.anonymousEvictions.length > 0) out.push(`which model ${n(f.anonymousEvictions.length, 'eviction')} unloaded: the INFO line names none`);
  if (f.vramWarnings.length > 0) out.push(`which model was unloaded before ${n(f.vramWarnings.length, 'VRAM-recovery warning')}: the line names none`);
  if (f.loadErrors > 0) out.push(`${n(f.loadErrors, 'failed load')}: not counted as loads`);
  return out;
}

const bump = (o: Record<string, number>, k: string) => { o[k] = (o[k] ?? 0) + 1; };
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
function formatZone(min: number): string {
  if (min === 0) return 'UTC';
  const a = Math.abs(min);
  return `UTC${min < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** The summary `logs import` prints: what was found and what was not. */
export function summaryText(res: ImportResult): string {
  const o = res.observed;
  const loads = o.residency.filter((e) => e.event === 'loaded').length;
  const unloads = o.residency.filter((e) => e.event === 'unloaded').length;
  const inference = res.requests.filter((r) => r.op !== 'other');
  const traced = res.trace.length - 1;
  const lines = [
    `${o.log.file}: ${o.log.lines} lines (${o.log.recognised} server lines, ${o.log.unparseable} other output, ${o.log.malformed} unreadable), logged at ${o.log.level}${o.version ? `, Ollama ${o.versions.map((v) => v.version).join(' → ')}` : ''}`,
    `${inference.length} inference requests (${traced} with a model, in trace.csv), ${res.requests.length - inference.length} other requests, ${loads} loads, ${unloads} unloads, ${Object.keys(o.models).length} models`,
  ];
  if (o.unrecoverable.length > 0) lines.push('not in the log:', ...o.unrecoverable.map((u) => `  - ${u}`));
  return lines.join('\n') + '\n';
}
