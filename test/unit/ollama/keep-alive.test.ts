import { describe, expect, test } from 'vitest';
import { ABSENT, FOREVER, INVALID, parseRequestKeepAlive } from '../../../src/ollama/keep-alive.js';
import { parseServerEnv } from '../../../src/ollama/envconfig.js';

describe('§3 request keep_alive as api.Duration decodes JSON', () => {
  test.each([
    [0, 0], [300, 300e6], [42.5, 42.5e6], [-1, FOREVER], [-0.5, FOREVER],
    ['5m', 300e6], ['0', 0], ['0s', 0], ['-1m', FOREVER], ['1h', 3600e6],
  ])('%j → %d µs', (value, us) => {
    expect(parseRequestKeepAlive(value)).toBe(us);
  });

  test.each([['300'], ['-1'], ['1d'], [true], [{}], [[1]], [1e10], [Infinity], [NaN]])('%j → 400', (value) => {
    expect(parseRequestKeepAlive(value)).toBe(INVALID);
  });

  test('null and missing are absent, not the env default', () => {
    expect(parseRequestKeepAlive(null)).toBeNaN();
    expect(parseRequestKeepAlive(undefined)).toBeNaN();
    expect(ABSENT).toBeNaN();
  });
});

describe('§2 server env parsed as envconfig does', () => {
  const parse = (env: Record<string, unknown>) => {
    const warnings: string[] = [];
    return { env: parseServerEnv(env, (n, m) => warnings.push(`${n}: ${m}`)), warnings };
  };

  test('defaults: 5m, 1 slot, auto cap, 512 queue, 5m load timeout', () => {
    expect(parse({}).env).toEqual({
      keepAlive: 300e6, numParallel: 1, maxLoadedModels: 0, maxQueue: 512, loadTimeout: 300e6,
      schedSpread: false, contextLength: 0, gpuOverhead: 0,
    });
  });

  test.each([
    ['10m', 600e6], ['600', 600e6], ['0', 0], ['-0', 0], ['-1', FOREVER], ['-1m', FOREVER], [-1, FOREVER], [0, 0],
    ['"5m"', 300e6], [" '30s' ", 30e6],
  ])('OLLAMA_KEEP_ALIVE %j → %d µs', (raw, us) => {
    expect(parse({ OLLAMA_KEEP_ALIVE: raw }).env.keepAlive).toBe(us);
  });

  test.each(['1d', '1.5', ' ', 'forever'])('OLLAMA_KEEP_ALIVE %j falls back to 5m, with a warning unless blank', (raw) => {
    const { env, warnings } = parse({ OLLAMA_KEEP_ALIVE: raw });
    expect(env.keepAlive).toBe(300e6);
    expect(warnings).toHaveLength(raw.trim() === '' ? 0 : 1);
  });

  test('NUM_PARALLEL 0 → 1; invalid → 1 with a warning', () => {
    expect(parse({ OLLAMA_NUM_PARALLEL: 0 }).env.numParallel).toBe(1);
    const bad = parse({ OLLAMA_NUM_PARALLEL: '-2' });
    expect(bad.env.numParallel).toBe(1);
    expect(bad.warnings).toHaveLength(1);
  });

  test('LOAD_TIMEOUT ≤ 0 is infinite', () => {
    expect(parse({ OLLAMA_LOAD_TIMEOUT: '0' }).env.loadTimeout).toBe(FOREVER);
  });

  test.each([['1', true], ['true', true], ['yes', true], ['false', false], ['0', false], ['', false], [true, true], [false, false]])(
    'SCHED_SPREAD %j → %s (a non-empty value that does not parse counts as true)',
    (raw, on) => {
      expect(parse({ OLLAMA_SCHED_SPREAD: raw }).env.schedSpread).toBe(on);
    },
  );
});
