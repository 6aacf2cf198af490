/**
 * Reads a server log line by line into what it shows: loads (with their
 * back-computed start), unloads (with their reason), requests (GIN lines),
 * DEBUG request-finished events (which name the model), restarts and version.
 * Nothing is inferred here beyond what a line says; assemble.ts joins them.
 */
import { digestLabel, refOf, refOfCommand, type ModelRef } from './identity.js';
import { parseLine } from './line.js';
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
  const f: Folded = {
    lines: 0, recognised: 0, unparseable: 0, malformed: 0, debug: false, preScheduler: false, tMin: Infinity, tMax: -Infinity, firstOffsetMin: null,
    loads: [], unloads: [], gins: [], dones: [], versions: [], restarts: [], refs: new Map(), names: new Map(),
    loadErrors: 0, unfinishedLoads: [], undoneUnloads: [], anonymousEvictions: [], vramWarnings: [],
  };
  // GIN and log-package lines print local time without a zone: the last zone a slog line printed holds
  // for them; for lines before the first, the first zone (GIN lines keep null and assemble.ts applies it).
  let offset: number | null = null;
  let unzonedMin = Infinity;
  let unzonedMax = -Infinity;
  let pending: Pending | null = null;
  const resident = new Map<Key, number>();
  const causes = new Map<Key, { t: number; reason: string }>();
  const expiring = new Map<Key, { t: number; reason: string }>();
  let lastTimer: { t: number; key: Key; duration: string } | null = null;

  const keyOf = (ref: ModelRef | null): Key | null => {
    if (!ref) return null;
    const key = ref.digest ? `d:${ref.digest}` : `n:${ref.name}`;
    if (ref.digest && ref.name) f.names.set(ref.digest, ref.name);
    const known = f.refs.get(key) ?? {};
    f.refs.set(key, { ...known, ...ref });
    return key;
  };
  const loaded = (load: Load) => {
    f.loads.push(load);
    if (load.key !== '?' && resident.has(load.key)) {
      // Loaded again without an unload in the log (INFO hides them): it was unloaded before this load began.
      f.unloads.push({ key: load.key, t: load.start ?? load.ready, reason: 'unloaded before a reload (the unload itself is not logged at this level)', line: load.line, inferred: true });
    }
    resident.set(load.key, load.ready);
  };
  const unloaded = (key: Key, t: number, reason: string, line: number) => {
    f.unloads.push({ key, t, reason, line });
    resident.delete(key);
  };

  let ginPid: string | undefined;
  let listened = false;
  const restart = (t: number, detail: string, line: number) => {
    // A new server process: every runner of the old one is gone.
    f.restarts.push({ t, detail });
    for (const k of [...resident.keys()]) unloaded(k, t, 'restart', line);
    pending = null;
    causes.clear();
    expiring.clear();
  };
  let lineNo = 0;
  for (const raw of lines) {
    lineNo++;
    f.lines++;
    const parsed = parseLine(raw);
    if (parsed === null) {
      f.unparseable++;
      continue;
    }
    if (parsed === 'malformed') {
      f.malformed++;
      continue;
    }
    f.recognised++;
    if (parsed.kind === 'gin') {
      const pid = /ollama\[(\d+)\]: /.exec(raw)?.[1];
      if (pid && ginPid && pid !== ginPid) restart(parsed.localMs - (offset ?? 0) * 60_000, `journal PID ${ginPid} → ${pid} (restarted at or before this line)`, lineNo);
      if (pid) ginPid = pid;
      f.gins.push({ line: lineNo, localMs: parsed.localMs, offsetMin: offset, status: parsed.status, latencyUs: parsed.latencyUs, whole: parsed.whole, method: parsed.method, path: parsed.path });
      continue;
    }
    let t: number;
    let msg: string;
    let attrs: Record<string, string> = {};
    if (parsed.kind === 'slog') {
      if (parsed.offsetMin !== null) {
        offset = parsed.offsetMin;
        f.firstOffsetMin ??= offset;
      }
      if (parsed.level === 'DEBUG') f.debug = true;
      t = parsed.t;
      msg = parsed.msg;
      attrs = parsed.attrs;
    } else {
      t = parsed.localMs - (offset ?? 0) * 60_000;
      msg = parsed.text.replace(/^(INFO|WARN|ERROR|DEBUG) /, '');
    }
    // The server config line (routes.go) says whether DEBUG lines are on, before any is written.
    if (/OLLAMA_DEBUG:(true|1|2|DEBUG|TRACE)\b/i.test(msg + (attrs.env ?? ''))) f.debug = true;
    if (parsed.kind === 'legacy' && offset === null) {
      if (parsed.localMs < unzonedMin) unzonedMin = parsed.localMs;
      if (parsed.localMs > unzonedMax) unzonedMax = parsed.localMs;
    } else {
      if (t < f.tMin) f.tMin = t;
      if (t > f.tMax) f.tMax = t;
    }
    const m = meaningOf(msg);
    if (!m) continue;
    if (parsed.kind === 'legacy' && m.meaning !== 'listening') f.preScheduler = true;
    const ref = refOf(attrs);
    const key = keyOf(ref);
    switch (m.meaning) {
      case 'load_start': {
        const cmdKey = attrs.cmd ? keyOf(refOfCommand(attrs.cmd)) : null;
        const k: Key = cmdKey ?? key ?? (pending && t - pending.t < 1000 ? pending.key : '?');
        if (pending && pending.key === k && t - pending.t < 1000) break; // the same load, said twice
        if (pending) f.unfinishedLoads.push({ t: pending.t, key: pending.key });
        pending = { t, key: k };
        break;
      }
      case 'load_first':
        if (pending) f.unfinishedLoads.push({ t: pending.t, key: pending.key });
        pending = { t, key: key ?? '?' };
        break;
      case 'load_ready':
        loaded({ key: pending?.key ?? '?', start: t - Math.round(m.seconds! * 1000), ready: t, line: lineNo });
        pending = null;
        break;
      case 'load_setup': {
        if (!key) break;
        const last = f.loads[f.loads.length - 1];
        if (last && t - last.ready <= 2000 && (last.key === key || last.key === '?')) {
          if (last.key === '?') {
            resident.delete('?');
            last.key = key;
            resident.set(key, last.ready);
          }
        } else {
          // DEBUG shows the runner ready without its "started in" line: the start is the scheduler's pick, if logged.
          loaded({ key, start: pending && pending.key === key ? pending.t : null, ready: t, line: lineNo });
        }
        if (pending && (pending.key === key || pending.key === '?')) pending = null;
        break;
      }
      case 'load_error':
        f.loadErrors++;
        pending = null;
        break;
      case 'request_done':
        if (key) f.dones.push({ t, key, used: false, ...(lastTimer && lastTimer.key === key && t - lastTimer.t <= 10 ? { keepAlive: lastTimer.duration } : {}) });
        break;
      case 'timer':
        if (key && attrs.duration) lastTimer = { t, key, duration: attrs.duration };
        break;
      case 'expire':
        if (key) causes.set(key, { t, reason: EXPIRE_REASON[msg] ?? 'expired' });
        break;
      case 'expired':
        if (key) expiring.set(key, { t, reason: causes.get(key)?.reason ?? 'expired' });
        break;
      case 'unload':
        if (key) {
          unloaded(key, t, expiring.get(key)?.reason ?? causes.get(key)?.reason ?? 'unknown', lineNo);
          expiring.delete(key);
          causes.delete(key);
        }
        break;
      case 'unload_cancel':
        if (key) expiring.delete(key);
        break;
      case 'evict_info':
        f.anonymousEvictions.push(t);
        break;
      case 'vram_warn':
        f.vramWarnings.push(t);
        break;
      case 'listening':
        if (listened) restart(t, `the server logged "Listening on" again${m.version ? ` (version ${m.version})` : ''}`, lineNo);
        listened = true;
        if (m.version) f.versions.push({ t, version: m.version });
        break;
      case 'runner_stopped':
        // v0.1.x held one model: the one resident is the one unloaded; a runner that never started unloads nothing.
        if (resident.size === 1) unloaded([...resident.keys()][0]!, t, 'runner stopped', lineNo);
        break;
    }
  }
  if (pending) f.unfinishedLoads.push({ t: pending.t, key: pending.key });
  const shift = (f.firstOffsetMin ?? 0) * 60_000;
  if (Number.isFinite(unzonedMin)) {
    f.tMin = Math.min(f.tMin, unzonedMin - shift);
    f.tMax = Math.max(f.tMax, unzonedMax - shift);
  }
  for (const [key, c] of causes) f.undoneUnloads.push({ t: c.t, key, reason: c.reason });
  f.undoneUnloads.sort((a, b) => a.t - b.t);
  f.unloads.sort((a, b) => a.t - b.t);
  return f;
}

/** The label of a key: the model's name, else its digest's short form, else `unnamed`. */
export function labelOf(f: Folded, key: Key, unnamed: string): string {
  if (key === '?') return unnamed;
  if (key.startsWith('n:')) return key.slice(2);
  const digest = key.slice(2);
  return f.names.get(digest) ?? digestLabel(digest);
}
