import { describe, expect, test } from 'vitest';
import { parseDuration, parseSize } from '../../../src/config/units.js';

describe('sizes: whole bytes; KB… are powers of 10, KiB… powers of 2', () => {
  test.each([
    ['24GiB', 24 * 2 ** 30],
    ['6.2GiB', Math.round(6.2 * 2 ** 30)],
    ['10GB', 1e10],
    ['512MiB', 512 * 2 ** 20],
    ['1.5TB', 1.5e12],
    ['2TiB', 2 * 2 ** 40],
    ['300KB', 3e5],
    ['7B', 7],
    ['24gib', 24 * 2 ** 30], // the unit is case-insensitive…
    ['24gb', 24e9], // …but GiB and GB stay different
    [' 24 GiB ', 24 * 2 ** 30],
    ['.5GiB', 2 ** 29],
    [0, 0],
    ['0', 0],
  ])('%j → %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  test.each([24, '24', 6.2, '6.2', 'GiB', '24XB', '-1GiB', '1e3GB', '', null, true, [24]])('%j is not a size', (text) => {
    expect(parseSize(text)).toBeNull();
  });
});

describe('durations: a number is seconds, or a Go duration; µs', () => {
  test.each([
    [8, 8e6],
    [0.25, 250e3],
    ['8', 8e6],
    ['8s', 8e6],
    ['1m30s', 90e6],
    ['250ms', 250e3],
    ['1h', 3600e6],
    ['0', 0],
    ['-1s', -1e6], // returned so the caller can say "negative" rather than "not a duration"
    ['7d', 7 * 86400e6], // days, in the simulator's own durations (issue 13)
    ['1d12h', 1.5 * 86400e6],
    ['0.5d', 43200e6],
  ])('%j → %d µs', (text, us) => {
    expect(parseDuration(text)).toBe(us);
  });

  test.each(['8 sec', 'd', '1d-1h', '1dd', 's', '', Infinity, NaN, null, true])('%j is not a duration', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});

describe('d is the simulator\'s, never Ollama\'s (issue 13)', () => {
  test('keep_alive and OLLAMA_* values follow Go\'s time.ParseDuration, which has no d', async () => {
    const { parseGoDuration } = await import('../../../src/ollama/duration.js');
    const { parseRequestKeepAlive, INVALID } = await import('../../../src/ollama/keep-alive.js');
    expect(parseGoDuration('1d')).toBeNull();
    expect(parseRequestKeepAlive('1d')).toBe(INVALID);
  });
});
