import { parseGoDuration } from '../ollama/duration.js';

/**
 * Sizes: a number with a unit, B / KB MB GB TB (powers of 10) or KiB MiB GiB
 * TiB (powers of 2), units case-insensitive; a bare 0 is allowed. Returns whole
 * bytes, or null.
 */
const SIZE_UNITS: Record<string, number> = {
  b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40,
};

export function parseSize(value: unknown): number | null {
  if (value === 0) return 0;
  if (typeof value !== 'string') return null;
  if (value.trim() === '0') return 0; // zero bytes is zero in any unit
  const m = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-zA-Z]+)\s*$/.exec(value);
  if (!m) return null;
  const unit = SIZE_UNITS[m[2]!.toLowerCase()];
  return unit === undefined ? null : Math.round(Number(m[1]) * unit);
}

/**
 * Durations in a scenario (load, unload, horizon, load_fails_after): a number
 * of seconds, or a Go duration string (plus d, days). Returns µs, or null; negative values are
 * returned as such for the caller to reject.
 */
export function parseDuration(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.round(value * 1e6) : null;
  if (typeof value !== 'string') return null;
  const s = value.trim();
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s)) return Math.round(Number(s) * 1e6);
  return withDays(s);
}

/**
 * The simulator's own durations (length: 7d, horizon: 2d12h) also take d, days
 * of 24 h, first. keep_alive and OLLAMA_* values never come here: Ollama parses
 * those with Go's time.ParseDuration, which has no d.
 */
function withDays(s: string): number | null {
  const m = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)d(.*)$/.exec(s);
  if (!m) return parseGoDuration(s);
  const rest = m[3] === '' ? 0 : parseGoDuration(m[3]!);
  if (rest === null || /^[+-]/.test(m[3]!)) return null;
  const us = Math.round(Number(m[2]) * 86400e6) + rest;
  return m[1] === '-' ? -us : us;
}
