/**
 * Reads a server log line by line into what it shows: loads (with their
 * back-computed start), unloads (with their reason), requests (GIN lines),
 * DEBUG request-finished events (which name the model), restarts and version.
 * Nothing is inferred here beyond what a line says; assemble.ts joins them.
 */
import { digestLabel, refOf, refOfCommand, type ModelRef } from './identity.js';
import { parseLine, type GinLine } from './line.js';
import { EXPIRE_REASON, meaningOf } from './messages.js';

/** A model as the fold knows it: 'd:<sha256>', 'n:<name>', or '?' (the log does not say). */
export type Key = string;

export interface Load {
  key: Key;
  /** ms; null when the log shows the runner ready but not how long it took. */
  start: number | null;
  ready: number;
  line: number;
}

export interface Unload {
  key: Key;
  t: number;
  reason: string;
  line: number;
}

export interface Gin {
  line: number;
  localMs: number;
  /** The server's zone (minutes east of UTC) as last printed before this line; null if none yet. */
  offsetMin: number | null;
  status: number;
  latencyUs: number;
  whole: boolean;
  method: string;
  path: string;
}

export interface Done {
  t: number;
  key: Key;
  /** The keep_alive timer set as this request released the runner (Go duration), if logged with it. */
  keepAlive?: string;
  used: boolean;
}

export interface Folded {
  lines: number;
  recognised: number;
  unparseable: number;
  malformed: number;
  debug: boolean;
  /** A release before slog and the scheduler (v0.1.31 and earlier): one model at a time, every runner stop logged. */
  preScheduler: boolean;
  /** Earliest and latest time stamp of any server line (ms; ±Infinity if none). */
  tMin: number;
  tMax: number;
  firstOffsetMin: number | null;
  loads: Load[];
  /** Unloads in time order; `inferred` ones come from a reload of a model never seen to unload. */
  unloads: (Unload & { inferred?: boolean })[];
  gins: Gin[];
  /** In log order (time order). */
  dones: Done[];
  versions: { t: number; version: string }[];
  /** A new server process: "Listening on" again, or another journal PID on GIN lines (restarted at or before t). */
  restarts: { t: number; detail: string }[];
  /** Per model: the facts lines gave (name for a digest, num_ctx, size, vram). */
  refs: Map<Key, ModelRef>;
  /** digest → name, from lines that give both. */
  names: Map<string, string>;
  loadErrors: number;
  /** Loads started but never seen ready (the log ends first, or the line was not logged). */
  unfinishedLoads: { t: number; key: Key }[];
  /** Unloads decided (expire/expired) but never seen done. */
  undoneUnloads: { t: number; key: Key; reason: string }[];
  /** INFO lines saying a model is evicted without naming it (v0.30+), and VRAM warnings after an unload. */
  anonymousEvictions: number[];
  vramWarnings: number[];
}

interface Pending {
  t: number;
  key: Key;
  numCtx?: number;
}

/** Folds the log's lines (without their newlines), in order. */
export function fold(lines: Iterable<string>): Folded {
  const folder = new Folder();
  for (const raw of lines) folder.line(raw);
  return folder.finish();
}

/** The fold's state between lines: what is loading, resident, about to unload, and the server's zone. */
class Folder {
  readonly f: Folded = {
    lines: 0, recognised: 0, unparseable: 0, malformed: 0, debug: false, preScheduler: false, tMin: Infinity, tMax: -Infinity, firstOffsetMin: null,
    loads: [], unloads: [], gins: [], dones: [], versions: [], restarts: [], refs: new Map(), names: new Map(),
    loadErrors: 0, unfinishedLoads: [], undoneUnloads: [], anonymousEvictions: [], vramWarnings: [],
  };
  // GIN and log-package lines print local time without a zone: the last zone a slog line printed holds
  // for them; for lines before the first, the first zone (GIN lines keep null and assemble.ts applies it).
  private offset: number | null = null;
  private unzonedMin = Infinity;
  private unzonedMax = -Infinity;
  private pending: Pending | null = null;
  private readonly resident = new Map<Key, number>();
  /** Why each model is to be unloaded (an `expire` line), and which expiries the scheduler took (`expired`). */
  private readonly causes = new Map<Key, { t: number; reason: string }>();
  private readonly expiring = new Map<Key, { t: number; reason: string }>();
  private lastTimer: { t: number; key: Key; duration: string } | null = null;
  private ginPid: string | undefined;
  private listened = false;
  private lineNo = 0;

  line(raw: string): void {
    const f = this.f;
    this.lineNo++;
    f.lines++;
    const parsed = parseLine(raw);
    if (parsed === null) {
      f.unparseable++;
      return;
    }
    if (parsed === 'malformed') {
      f.malformed++;
      return;
    }
    f.recognised++;
    if (parsed.kind === 'gin') return this.gin(parsed, raw);
    let t: number;
    let msg: string;
    let attrs: Record<string, string> = {};
    if (parsed.kind === 'slog') {
      if (parsed.offsetMin !== null) {
        this.offset = parsed.offsetMin;
        f.firstOffsetMin ??= parsed.offsetMin;
      }
      if (parsed.level === 'DEBUG') f.debug = true;
      ({ t, msg, attrs } = parsed);
      this.span(t);
    } else {
      t = parsed.localMs - (this.offset ?? 0) * 60_000;
      msg = parsed.text.replace(/^(INFO|WARN|ERROR|DEBUG) /, '');
      if (this.offset === null) {
        this.unzonedMin = Math.min(this.unzonedMin, parsed.localMs);
        this.unzonedMax = Math.max(this.unzonedMax, parsed.localMs);
      } else {
        this.span(t);
      }
    }
    // The server config line (routes.go) says whether DEBUG lines are on, before any is written.
    if (/OLLAMA_DEBUG:(true|1|2|DEBUG|TRACE)\b/i.test(msg + (attrs.env ?? ''))) f.debug = true;
    const m = meaningOf(msg);
    if (!m) return;
    if (parsed.kind === 'legacy' && m.meaning !== 'listening') f.preScheduler = true;
    this.message(t, msg, m, attrs);
  }

  finish(): Folded {
    const f = this.f;
    if (this.pending) f.unfinishedLoads.push({ t: this.pending.t, key: this.pending.key });
    if (Number.isFinite(this.unzonedMin)) {
      const shift = (f.firstOffsetMin ?? 0) * 60_000;
      this.span(this.unzonedMin - shift);
      this.span(this.unzonedMax - shift);
    }
    for (const [key, c] of this.causes) f.undoneUnloads.push({ t: c.t, key, reason: c.reason });
    f.undoneUnloads.sort((a, b) => a.t - b.t);
    f.unloads.sort((a, b) => a.t - b.t);
    return f;
  }

  private span(t: number): void {
    if (t < this.f.tMin) this.f.tMin = t;
    if (t > this.f.tMax) this.f.tMax = t;
  }

  private gin(g: GinLine, raw: string): void {
    // Only the server writes GIN lines: another journal PID on one is another server process.
    const pid = /ollama\[(\d+)\]: /.exec(raw)?.[1];
    if (pid && this.ginPid && pid !== this.ginPid) this.restart(g.localMs - (this.offset ?? 0) * 60_000, `journal PID ${this.ginPid} → ${pid} (restarted at or before this line)`);
    if (pid) this.ginPid = pid;
    this.f.gins.push({ line: this.lineNo, localMs: g.localMs, offsetMin: this.offset, status: g.status, latencyUs: g.latencyUs, whole: g.whole, method: g.method, path: g.path });
  }

  private message(t: number, msg: string, m: NonNullable<ReturnType<typeof meaningOf>>, attrs: Record<string, string>): void {
    const f = this.f;
    const key = this.keyOf(refOf(attrs));
    switch (m.meaning) {
      case 'load_start':
        return this.loadStart(t, attrs.cmd ? this.keyOf(refOfCommand(attrs.cmd)) ?? key : key);
      case 'load_first':
        return this.startPending(t, key ?? '?');
      case 'load_ready':
        this.loaded({ key: this.pending?.key ?? '?', start: t - Math.round(m.seconds! * 1000), ready: t, line: this.lineNo });
        this.pending = null;
        return;
      case 'load_setup':
        return key ? this.loadSetup(t, key) : undefined;
      case 'load_error':
        f.loadErrors++;
        this.pending = null;
        return;
      case 'request_done': {
        if (!key) return;
        const timer = this.lastTimer && this.lastTimer.key === key && t - this.lastTimer.t <= 10 ? { keepAlive: this.lastTimer.duration } : {};
        f.dones.push({ t, key, used: false, ...timer });
        return;
      }
      case 'timer':
        if (key && attrs.duration) this.lastTimer = { t, key, duration: attrs.duration };
        return;
      case 'expire':
        if (key) this.causes.set(key, { t, reason: EXPIRE_REASON[msg] ?? 'expired' });
        return;
      case 'expired':
        if (key) this.expiring.set(key, { t, reason: this.causes.get(key)?.reason ?? 'expired' });
        return;
      case 'unload':
        if (!key) return;
        this.unloaded(key, t, this.expiring.get(key)?.reason ?? this.causes.get(key)?.reason ?? 'unknown');
        this.expiring.delete(key);
        this.causes.delete(key);
        return;
      case 'unload_cancel':
        if (key) this.expiring.delete(key);
        return;
      case 'evict_info':
        f.anonymousEvictions.push(t);
        return;
      case 'vram_warn':
        f.vramWarnings.push(t);
        return;
      case 'listening':
        if (this.listened) this.restart(t, `the server logged "Listening on" again${m.version ? ` (version ${m.version})` : ''}`);
        this.listened = true;
        if (m.version) f.versions.push({ t, version: m.version });
        return;
      case 'runner_stopped':
        // v0.1.x held one model: the one resident is the one unloaded; a runner that never started unloads nothing.
        if (this.resident.size === 1) this.unloaded([...this.resident.keys()][0]!, t, 'runner stopped');
        return;
    }
  }

  /** The model a line names, registered with what the line says of it. */
  private keyOf(ref: ModelRef | null): Key | null {
    if (!ref) return null;
    const key = ref.digest ? `d:${ref.digest}` : `n:${ref.name}`;
    if (ref.digest && ref.name) this.f.names.set(ref.digest, ref.name);
    this.f.refs.set(key, { ...this.f.refs.get(key), ...ref });
    return key;
  }

  /** A runner is started: "using llama-server for model" and "starting llama-server" within a second are one load. */
  private loadStart(t: number, named: Key | null): void {
    const p = this.pending;
    const recent = p !== null && t - p.t < 1000;
    const key = named ?? (recent ? p.key : '?');
    if (recent && p.key === key) return;
    this.startPending(t, key);
  }

  private startPending(t: number, key: Key): void {
    if (this.pending) this.f.unfinishedLoads.push({ t: this.pending.t, key: this.pending.key });
    this.pending = { t, key };
  }

  /** DEBUG "finished setting up": names the load just seen ready, or is itself the only sign of one. */
  private loadSetup(t: number, key: Key): void {
    const last = this.f.loads[this.f.loads.length - 1];
    if (last && t - last.ready <= 2000 && (last.key === key || last.key === '?')) {
      if (last.key === '?') {
        this.resident.delete('?');
        last.key = key;
        this.resident.set(key, last.ready);
      }
    } else {
      // Ready without a "started in" line: the start is the scheduler's pick ("loading first model"), if logged.
      const p = this.pending;
      this.loaded({ key, start: p && p.key === key ? p.t : null, ready: t, line: this.lineNo });
    }
    if (this.pending && (this.pending.key === key || this.pending.key === '?')) this.pending = null;
  }

  private loaded(load: Load): void {
    this.f.loads.push(load);
    if (load.key !== '?' && this.resident.has(load.key)) {
      // Loaded again without an unload in the log (INFO hides them): it was unloaded before this load began.
      this.f.unloads.push({ key: load.key, t: load.start ?? load.ready, reason: 'unloaded before a reload (the unload itself is not logged at this level)', line: load.line, inferred: true });
    }
    this.resident.set(load.key, load.ready);
  }

  private unloaded(key: Key, t: number, reason: string): void {
    this.f.unloads.push({ key, t, reason, line: this.lineNo });
    this.resident.delete(key);
  }

  /** A new server process: every runner of the old one is gone. */
  private restart(t: number, detail: string): void {
    this.f.restarts.push({ t, detail });
    for (const k of [...this.resident.keys()]) this.unloaded(k, t, 'restart');
    this.pending = null;
    this.causes.clear();
    this.expiring.clear();
  }
}

/** The label of a key: the model's name, else its digest's short form, else `unnamed`. */
export function labelOf(f: Folded, key: Key, unnamed: string): string {
  if (key === '?') return unnamed;
  if (key.startsWith('n:')) return key.slice(2);
  const digest = key.slice(2);
  return f.names.get(digest) ?? digestLabel(digest);
}
