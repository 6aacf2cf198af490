import { MAX_GO_DURATION_US, parseGoDuration } from './duration.js';

/**
 * keep_alive values as the scheduler holds them, in µs:
 *   FOREVER   a negative duration: no timer (ollama ps shows "Forever"), still evictable;
 *   0         unload as soon as refCount reaches 0;
 *   ABSENT    the request did not carry keep_alive (leaves the runner's duration alone, spec §3);
 *   INVALID   Ollama answers 400 before scheduling.
 */
export const FOREVER = Infinity;
export const ABSENT = NaN;
export const INVALID = -1;

export function isAbsent(ka: number): boolean {
  return Number.isNaN(ka);
}

/**
 * A request's keep_alive as Ollama's api.Duration decodes JSON (spec §3):
 * a number is seconds (fractions allowed, negative = forever); a string is a Go
 * duration (negative = forever) and a unit-less string such as "300" or "-1" is
 * Ollama's 400 "missing unit in duration"; null or missing is absent; numbers
 * that overflow Go's int64 nanoseconds are rejected.
 */
export function parseRequestKeepAlive(value: unknown): number {
  if (value === undefined || value === null) return ABSENT;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return INVALID;
    if (value < 0) return FOREVER;
    const us = value * 1e6;
    return us > MAX_GO_DURATION_US ? INVALID : Math.round(us);
  }
  if (typeof value === 'string') {
    const us = parseGoDuration(value);
    if (us === null) return INVALID;
    return us < 0 ? FOREVER : us;
  }
  return INVALID;
}

/** Human form for messages and tables: "5m", "0", "forever". */
export function formatKeepAlive(us: number): string {
  if (isAbsent(us)) return 'absent';
  if (us === FOREVER) return 'forever';
  if (us === 0) return '0';
  const s = us / 1e6;
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}
