import { inRange, RANGES, type Range } from '../config/ranges.js';
import { InputError, msg, type Message } from '../diag/index.js';

/**
 * The command line's own numbers, checked like a scenario's: a value outside
 * its documented range is one line and exit 2, before anything is allocated
 * for it (`--max-gpus 1e9` never builds a billion-entry axis).
 */
export const ARG_RANGES = {
  replications: { min: 1, max: 10_000, int: true, text: 'a whole number from 1 to 10000' },
  jobs: { min: 1, max: 1024, int: true, text: 'a whole number from 1 to 1024' },
  gpus: { min: 1, max: 1024, int: true, text: 'a whole number from 1 to 1024' },
  hosts: RANGES.hosts,
  price: { min: 0, max: 1e9, text: 'a price from 0 to 1e9' },
  months: { min: 1, max: 1200, int: true, text: 'a whole number of months from 1 to 1200' },
  kwh: { min: 0, max: 100, text: 'dollars per kWh from 0 to 100' },
  watts: { min: 0, max: 1e6, text: 'watts from 0 to 1e6' },
  maxRequests: RANGES.maxRequests,
} as const satisfies Record<string, Range>;

/** A mistake on the command line: `(command line): FLAG: problem (hint)`, no line number. */
export function argError(flag: string, m: Message): InputError {
  return new InputError({ file: '(command line)', line: 0, field: flag, problem: m[0], ...(m[1] ? { hint: m[1] } : {}) });
}

/** A number argument within its range. */
export function numberArg(text: string, flag: string, range: Range): number {
  const t = text.trim();
  // Decimal notation only (0x10 and 1_000 are not numbers a user means here); Infinity is out of range.
  const n = /^[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|Infinity)$/.test(t) ? Number(t) : NaN;
  if (Number.isNaN(n)) throw argError(flag, msg.argNotNumber(text));
  if (!inRange(n, range)) throw argError(flag, msg.outOfRange(text, range.text));
  return n;
}

/** A comma-separated list of numbers, each within its range. */
export function numberListArg(text: string, flag: string, range: Range): number[] {
  return text.split(',').map((v) => numberArg(v, flag, range));
}

/** --max-requests, when given. */
export function maxRequestsArg(text: string | undefined): { maxRequests?: number } {
  return text === undefined ? {} : { maxRequests: numberArg(text, '--max-requests', ARG_RANGES.maxRequests) };
}
