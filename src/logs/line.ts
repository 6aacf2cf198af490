/**
 * One line of Ollama's server log, read wherever it sits in the line: journalctl
 * (`Nov 21 06:14:48 host ollama[25689]: `), docker compose (`ollama-1  | `) and
 * Docker Desktop (`2025-03-05 08:58:54 `) prefixes are skipped. Three forms:
 *
 * - slog's text handler (every version since v0.1.32): `time=… level=… source=FILE:LINE msg=… key=value…`;
 * - gin's request logger: `[GIN] 2024/11/21 - 06:14:48 | 200 |  7.316823498s | 127.0.0.1 | POST "/api/generate"`,
 *   written when the request ends, in local time to the second (gin logger.go defaultLogFormatter:
 *   `param.TimeStamp.Format("2006/01/02 - 15:04:05")`, latency truncated to whole seconds past a minute);
 * - the standard `log` package before slog (v0.1.31 and earlier): `2023/12/03 14:58:42 llama.go:492: text`.
 *
 * Anything else (the runner's and llama.cpp's own output) is not a server line.
 */
import { parseGoDuration } from '../ollama/index.js';

export interface SlogLine {
  kind: 'slog';
  /** ms since the epoch, UTC (a time without a zone is read as UTC). */
  t: number;
  /** The zone the server printed, minutes east of UTC; null when it printed none. */
  offsetMin: number | null;
  level: string;
  source: string;
  msg: string;
  attrs: Record<string, string>;
}

export interface GinLine {
  kind: 'gin';
  /** The wall-clock second printed, read as if UTC (ms); the importer shifts it by the server's zone. */
  localMs: number;
  status: number;
  latencyUs: number;
  /** Latency printed in whole seconds (gin truncates latencies over a minute). */
  whole: boolean;
  method: string;
  path: string;
}

export interface LegacyLine {
  kind: 'legacy';
  /** The wall-clock second printed, read as if UTC (ms). */
  localMs: number;
  source: string;
  text: string;
}

export type LogLine = SlogLine | GinLine | LegacyLine;

const SLOG = /time=(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:?\d\d)? level=([A-Z]+)(?:[+-]\d+)? source=(\S+) msg=/;
const GIN = /\[GIN\] (\d{4})\/(\d\d)\/(\d\d) - (\d\d):(\d\d):(\d\d) \| *(\d{3}) \| *(\S+) \| *(\S*) \| *([A-Z]+) +"([^"]*)"/;
const LEGACY = /(?:^|\s)(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d) ([\w.-]+\.go:\d+): (.*)$/;

/** Parses a line: a server line, 'malformed' (it looks like one and cannot be read), or null (not a server line). */
export function parseLine(raw: string): LogLine | 'malformed' | null {
  const line = raw.replace(/\r$/, '');
  let m = SLOG.exec(line);
  if (m) {
    const t = utcMs(m, 1) + (m[7] ? Math.round(Number(m[7]) * 1000) : 0);
    if (Number.isNaN(t)) return 'malformed';
    const offsetMin = m[8] === undefined ? null : zoneMinutes(m[8]);
    const rest = logfmt(line.slice(m.index + m[0].length - 4));
    if (!rest || rest.msg === undefined) return 'malformed';
    const { msg, ...attrs } = rest;
    return { kind: 'slog', t: t - (offsetMin ?? 0) * 60_000, offsetMin, level: m[9]!, source: m[10]!, msg, attrs };
  }
  if (line.includes('[GIN] ')) {
    m = GIN.exec(line);
    if (!m) return 'malformed';
    const localMs = utcMs(m, 1);
    const latencyUs = parseGoDuration(m[8]!);
    if (Number.isNaN(localMs) || latencyUs === null || latencyUs < 0) return 'malformed';
    return { kind: 'gin', localMs, status: Number(m[7]), latencyUs, whole: /^(\d+h)?(\d+m)?\d+s$/.test(m[8]!) && latencyUs >= 60e6, method: m[10]!, path: m[11]! };
  }
  m = LEGACY.exec(line);
  if (m) {
    const localMs = utcMs(m, 1);
    if (Number.isNaN(localMs)) return 'malformed';
    return { kind: 'legacy', localMs, source: m[7]!, text: m[8]! };
  }
  return null;
}

/** Y M D h m s from six consecutive groups, as a UTC instant (NaN if not a real date). */
function utcMs(m: RegExpExecArray, i: number): number {
  const [y, mo, d, h, mi, s] = [0, 1, 2, 3, 4, 5].map((k) => Number(m[i + k]));
  const t = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  const back = new Date(t);
  if (back.getUTCMonth() !== mo! - 1 || back.getUTCDate() !== d! || h! > 23 || mi! > 59 || s! > 59) return NaN;
  return t;
}

/** A zone as slog prints it (Z, +08:00, -0600) in minutes east of UTC. */
export function zoneMinutes(z: string): number {
  if (z === 'Z') return 0;
  const sign = z[0] === '-' ? -1 : 1;
  const digits = z.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
}

/**
 * slog's key=value pairs (text handler): a value is quoted (Go strconv.Quote)
 * when it holds a space, '=', '"' or a control character. Returns null when a
 * quoted value never closes (a line cut short).
 */
export function logfmt(text: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && text[i] === ' ') i++;
    if (i >= n) break;
    const eq = text.indexOf('=', i);
    const sp = text.indexOf(' ', i);
    if (eq < 0 || (sp >= 0 && sp < eq)) {
      // A bare word (slog never writes one): skip it.
      i = sp < 0 ? n : sp;
      continue;
    }
    const key = text.slice(i, eq);
    i = eq + 1;
    if (text[i] === '"') {
      let v = '';
      i++;
      let closed = false;
      while (i < n) {
        const c = text[i]!;
        if (c === '\\' && i + 1 < n) {
          const e = text[i + 1]!;
          v += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          i += 2;
        } else if (c === '"') {
          closed = true;
          i++;
          break;
        } else {
          v += c;
          i++;
        }
      }
      if (!closed) return null;
      out[key] = v;
    } else {
      const end = text.indexOf(' ', i);
      out[key] = text.slice(i, end < 0 ? n : end);
      i = end < 0 ? n : end;
    }
  }
  return out;
}
