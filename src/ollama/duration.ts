/**
 * Go's time.ParseDuration, which Ollama uses for OLLAMA_KEEP_ALIVE,
 * OLLAMA_LOAD_TIMEOUT and string keep_alive values. Returns microseconds
 * (sub-microsecond parts are rounded; Ollama's nanoseconds add nothing a
 * simulation at µs resolution can see), or null when Go would return an error.
 *
 * Grammar: [-+]? ( number unit )+, number = digits [. digits], unit one of
 * ns us µs μs ms s m h; the lone string "0" needs no unit.
 */
const UNIT_US: Record<string, number> = {
  ns: 1e-3,
  us: 1,
  'µs': 1,
  'μs': 1,
  ms: 1e3,
  s: 1e6,
  m: 60e6,
  h: 3600e6,
};

const TERM = /^(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/;

/** Go's maximum duration, in µs: durations beyond it are an overflow error. */
export const MAX_GO_DURATION_US = 9223372036854775807 / 1000;

export function parseGoDuration(text: string): number | null {
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return null;
  let total = 0;
  while (s.length > 0) {
    const m = TERM.exec(s);
    if (!m) return null;
    const [whole, int = '', frac = '', unit = ''] = m;
    if (int === '' && frac === '') return null; // ".s" or "s" alone
    const value = Number(`${int || '0'}.${frac || '0'}`);
    total += value * UNIT_US[unit]!;
    s = s.slice(whole.length);
  }
  if (total > MAX_GO_DURATION_US) return null;
  return sign * Math.round(total);
}
