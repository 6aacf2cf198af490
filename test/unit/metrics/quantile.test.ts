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
