import { expect, test } from 'vitest';
import { quantileSorted } from '../../../src/metrics/quantile.js';

test('nearest-rank quantiles: always a value that occurred, no interpolation', () => {
  const v = Float64Array.from({ length: 10 }, (_, i) => i + 1);
  expect(quantileSorted(v, 0.5)).toBe(5);
  expect(quantileSorted(v, 0.95)).toBe(10); // simple-statistics would interpolate 9.55
  expect(quantileSorted(v, 0.9)).toBe(9);
  expect(quantileSorted(v, 0.99)).toBe(10);
  expect(quantileSorted(v, 0)).toBe(1);
  expect(quantileSorted(v, 1)).toBe(10);
  expect(quantileSorted(new Float64Array(0), 0.5)).toBeNaN();
  expect(quantileSorted(Float64Array.of(7), 0.99)).toBe(7);
});

test('quickselect quantiles equal the sorted nearest-rank ones, on random data with ties', async () => {
  const { quantilesInPlace } = await import('../../../src/metrics/quantile.js');
  let x = 12345;
  const rnd = () => { x = (x * 1103515245 + 12345) % 2 ** 31; return x / 2 ** 31; };
  for (const n of [1, 2, 3, 10, 101, 1000, 9999]) {
    const values = Float64Array.from({ length: n }, () => Math.floor(rnd() * 50));
    const sorted = Float64Array.from(values).sort();
    const ps = [0.99, 0, 0.5, 1, 0.95, 0.01, 0.5];
    expect(quantilesInPlace(Float64Array.from(values), ps)).toEqual(ps.map((p) => quantileSorted(sorted, p)));
    // A CDF's 101 points, and again on the array the first call reordered (as the report does after the summary).
    const cdf = Array.from({ length: 101 }, (_, q) => q / 100);
    const once = Float64Array.from(values);
    quantilesInPlace(once, ps);
    expect(quantilesInPlace(once, cdf)).toEqual(cdf.map((p) => quantileSorted(sorted, p)));
  }
  expect(quantilesInPlace(new Float64Array(0), [0.5])).toEqual([NaN]);
});

test('per-model figures add up to the candidate totals', async () => {
  const { poissonWorld } = await import('../../../bench/oracle.js');
  const { runScenario } = await import('../../../src/sim/run-scenario.js');
  const sc = poissonWorld({ n: 2000, lambda: 0.5, service: 1, exponential: true, slots: 1, keepAlive: '5s', load: 1 });
  const [r] = runScenario(sc);
  const m = r!.summary.models.m!;
  expect(m.requests).toBe(r!.summary.requests);
  expect(m.ok).toBe(r!.summary.ok);
  expect(m.loads).toBe(r!.summary.loads);
  expect(m.latency_p95_s).toBe(r!.summary.latency_p95_s);
  expect(m.cold_share).toBe(r!.summary.cold_share);
});

test('per-model quantiles from one tagged list equal each model sorted on its own, and leave the list as it was', async () => {
  const { groupQuantiles } = await import('../../../src/metrics/model-figures.js');
  let x = 777;
  const rnd = () => { x = (x * 1103515245 + 12345) % 2 ** 31; return x / 2 ** 31; };
  for (const [n, groups] of [[0, 3], [1, 1], [50, 4], [5000, 7]] as const) {
    const values = Float64Array.from({ length: n }, () => Math.floor(rnd() * 100));
    const tags = Uint16Array.from({ length: n }, () => Math.floor(rnd() * (groups - 1))); // the last group stays empty
    const before = values.slice();
    const got = groupQuantiles(values, tags, groups, [0.5, 0.95, 0.99], new Float64Array(n));
    expect(values).toEqual(before);
    for (let g = 0; g < groups; g++) {
      const own = Float64Array.from(values.filter((_, i) => tags[i] === g)).sort();
      expect(got[g]).toEqual([0.5, 0.95, 0.99].map((p) => quantileSorted(own, p)));
    }
    if (groups > 1) expect(got[groups - 1]!.every(Number.isNaN)).toBe(true);
  }
});

test('large lists (counted by the bits of their values) give the sorted nearest-rank quantiles: ties, fractions, one value, zeros, huge spans, and negatives (which fall back)', async () => {
  const { quantilesInPlace } = await import('../../../src/metrics/quantile.js');
  let x = 99;
  const rnd = () => { x = (x * 1103515245 + 12345) % 2 ** 31; return x / 2 ** 31; };
  const cdf = Array.from({ length: 101 }, (_, q) => q / 100);
  const ps = [...cdf, 0.999, 0.5, 0.95];
  const lists: Float64Array[] = [
    Float64Array.from({ length: 50_000 }, () => Math.floor(rnd() * 1e9)),
    Float64Array.from({ length: 20_000 }, () => Math.floor(rnd() * 40)),
    Float64Array.from({ length: 10_000 }, () => rnd() * 3.7),
    new Float64Array(8192).fill(5e6),
    new Float64Array(8192),
    Float64Array.from({ length: 30_000 }, (_, i) => (i % 3 === 0 ? 0 : Math.exp(rnd() * 40))),
    Float64Array.from({ length: 9000 }, () => rnd() * 100 - 10),
    Float64Array.from({ length: 9000 }, (_, i) => (i === 17 ? -0 : rnd())),
  ];
  for (const values of lists) {
    const sorted = Float64Array.from(values).sort();
    expect(quantilesInPlace(Float64Array.from(values), ps)).toEqual(ps.map((p) => quantileSorted(sorted, p)));
    // a view into a larger list (as the collector's lists are)
    const wide = new Float64Array(values.length + 16);
    wide.set(values, 8);
    expect(quantilesInPlace(wide.subarray(8, 8 + values.length), [0.5, 0.99])).toEqual([0.5, 0.99].map((p) => quantileSorted(sorted, p)));
  }
});
