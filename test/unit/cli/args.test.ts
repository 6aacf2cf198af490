/**
 * The command line's own numbers (issue 13): numeric extremes in every numeric
 * option either parse within the option's documented range or are one line,
 * `(command line): FLAG: problem (range)` — never NaN or 1e9 passed on.
 */
import { describe, expect, test } from 'vitest';
import { ARG_RANGES, maxRequestsArg, numberArg, numberListArg } from '../../../src/cli/args.js';
import { inRange } from '../../../src/config/ranges.js';
import { InputError, msg } from '../../../src/diag/index.js';

const EXTREMES = ['0', '-0', '5e-324', '-5e-324', '1e308', '-1e308', 'Infinity', '-Infinity', 'NaN', '9007199254740992', '9007199254740993', '1.5', '1e9', '', ' ', '0x10', '1_000', '2', '1024', '1025'];

describe('numeric command-line options at their extremes', () => {
  test.each(Object.entries(ARG_RANGES))('%s', (name, range) => {
    for (const text of EXTREMES) {
      let v: number | undefined;
      try {
        v = numberArg(text, `--${name}`, range);
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        expect((e as InputError).message).toMatch(new RegExp(`^\\(command line\\): --${name}: `));
        expect((e as InputError).message).not.toContain('\n');
        continue;
      }
      expect(inRange(v, range), `${name} ${JSON.stringify(text)} → ${v}`).toBe(true);
    }
  });

  test('the limits move the verdict: 1024 GPUs pass, 1025 do not; 1.5 replications never', () => {
    expect(numberArg('1024', '--max-gpus', ARG_RANGES.gpus)).toBe(1024);
    expect(() => numberArg('1025', '--max-gpus', ARG_RANGES.gpus)).toThrow(`(command line): --max-gpus: ${msg.outOfRange('1025', ARG_RANGES.gpus.text)[0]}`);
    expect(() => numberArg('1.5', '--replications', ARG_RANGES.replications)).toThrow(InputError);
    expect(numberListArg('1,2,3', '--hosts', ARG_RANGES.hosts)).toEqual([1, 2, 3]);
    expect(() => numberListArg('1,,3', '--hosts', ARG_RANGES.hosts)).toThrow(msg.argNotNumber('')[0]);
    expect(() => numberArg('0x10', '--jobs', ARG_RANGES.jobs)).toThrow(msg.argNotNumber('0x10')[0]);
    expect(maxRequestsArg(undefined)).toEqual({});
    expect(maxRequestsArg('200000000')).toEqual({ maxRequests: 2e8 });
  });
});
