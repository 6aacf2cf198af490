import { z } from 'zod';

/**
 * The documented range of every number a scenario, a trace or the command line
 * may hold (README "Ranges"). A value outside is an input error (exit 2, one
 * line), checked before anything is allocated for it — never a crash, a hang,
 * a lost request or a silently rounded time.
 *
 * Times are µs in float64, exact up to 2^53 µs (≈ 285 years). Every time and
 * duration is kept within 1e9 s (≈ 31.7 years) so that sums of a few of them
 * (an arrival, its work, the horizon, keep_alive timers) stay exact at µs.
 */
export interface Range {
  min: number;
  max: number;
  /** min itself is not allowed (rates, scales: > 0). */
  above?: boolean;
  int?: boolean;
  /** The range in words, shown in the error's hint and in the README. */
  text: string;
}

export const MAX_SECONDS = 1e9;
/** Requests one workload may make (a trace, its rate_scale, synthetic traffic); --max-requests raises it. */
export const MAX_REQUESTS = 100_000_000;

const r = (min: number, max: number, text: string, extra: Partial<Range> = {}): Range => ({ min, max, text, ...extra });

export const RANGES = {
  seconds: r(0, MAX_SECONDS, 'from 0 to 1e9 seconds, about 31.7 years'),
  bytes: r(0, 2 ** 50, 'from 0 to 1 PiB'),
  seed: r(-(2 ** 53 - 1), 2 ** 53 - 1, 'a whole number within ±(2^53 − 1)', { int: true }),
  gpus: r(0, 1024, 'a whole number from 0 (CPU only) to 1024', { int: true }),
  hosts: r(1, 1024, 'a whole number from 1 to 1024', { int: true }),
  context: r(1, 2 ** 31 - 1, 'a whole number from 1 to 2147483647', { int: true }),
  numGpu: r(-1, 2 ** 31 - 1, 'a whole number from -1 (automatic) to 2147483647', { int: true }),
  tps: r(0, 1e9, 'greater than 0, at most 1e9 tokens/s', { above: true }),
  scale: r(0, 1e6, 'greater than 0, at most 1e6', { above: true }),
  attempts: r(1, 100, 'a whole number from 1 to 100', { int: true }),
  users: r(1, 100_000, 'a whole number from 1 to 100000', { int: true }),
  cv: r(0.01, 100, 'from 0.01 to 100'),
  zipf: r(0, 100, 'greater than 0, at most 100', { above: true }),
  peakHour: r(0, 24, 'an hour from 0 to 24'),
  trough: r(0, 1, 'a share from 0 to 1'),
  profile: r(0, 1e9, 'from 0 to 1e9'),
  length: r(0, MAX_SECONDS, 'from 0 to 1e9'),
  tokens: r(0, 1e9, 'a whole number from 0 to 1e9', { int: true }),
  maxRequests: r(1, 2 ** 31 - 1, 'a whole number from 1 to 2147483647', { int: true }),
} as const satisfies Record<string, Range>;

export function inRange(v: number, range: Range): boolean {
  if (!Number.isFinite(v) || v > range.max || v < range.min) return false;
  if (range.above && v === range.min) return false;
  return !range.int || Number.isInteger(v);
}

/** A zod number within `range`; the failure's message is the range in words (validate.ts turns it into one line). */
export const num = (range: Range) => z.number().refine((v) => inRange(v, range), { message: RANGE_MESSAGE + range.text });

/** Marks a zod message as a range (validate.ts strips it and says "out of range"). */
export const RANGE_MESSAGE = 'range: ';
