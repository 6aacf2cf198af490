import { describe, expect, test } from 'vitest';
import { parseGoDuration } from '../../../src/ollama/duration.js';

describe('Go time.ParseDuration (spec §2, §3)', () => {
  test.each([
    ['0', 0], ['-0', 0], ['5m', 300e6], ['10m', 600e6], ['1h30m', 5400e6], ['1.5s', 1.5e6], ['.5s', 0.5e6],
    ['250ms', 250e3], ['100us', 100], ['100µs', 100], ['1500ns', 2], ['-1m', -60e6], ['+2s', 2e6], ['1h1m1s', 3661e6],
  ])('%s → %d µs', (text, us) => {
    expect(parseGoDuration(text)).toBe(us);
  });

  test.each(['', '300', '-1', '1d', '5 m', 'm', '.s', '1.5', ' 5m', '5m ', 'abc', '--1s'])('%j is an error', (text) => {
    expect(parseGoDuration(text)).toBeNull();
  });

  test('overflow beyond int64 nanoseconds is an error', () => {
    expect(parseGoDuration('3000000h')).toBeNull();
    expect(parseGoDuration('2000000h')).toBe(2000000 * 3600e6);
  });
});
