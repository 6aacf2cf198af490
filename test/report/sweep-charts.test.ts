import { describe, expect, test } from 'vitest';
import { estimate } from '../../src/plan/confidence.js';
import { sweepModelLatencyChart } from '../../src/report/sweep-charts.js';
import { toSvg } from '../../src/io/render-charts.js';

const cell = (candidate: string, a: number[], b: number[]) => ({
  candidate,
  estimates: { 'models.a.latency_p95_s': estimate(a), 'models.b.latency_p95_s': estimate(b) },
});

describe('sweep chart: p95 per model with 95 % whiskers (issue chart 1)', () => {
  test('one bar per cell × model, whiskers at mean ± t·s/√n, never below 0', () => {
    const chart = sweepModelLatencyChart([cell('keep 5m', [10, 12, 14], [1, 1, 1]), cell('keep 0', [2, 40], [])], ['a', 'b'], 3);
    const values = (chart.spec.data as { values: Record<string, unknown>[] }).values;
    expect(values.map((v) => [v.candidate, v.model])).toEqual([['keep 5m', 'a'], ['keep 5m', 'b'], ['keep 0', 'a']]);
    const half = (4.303 * 2) / Math.sqrt(3);
    expect(values[0]).toMatchObject({ mean: 12 });
    expect(values[0]!.low).toBeCloseTo(12 - half, 9);
    expect(values[0]!.high).toBeCloseTo(12 + half, 9);
    expect(values[1]).toMatchObject({ low: 1, high: 1 });
    expect(values[2]!.low).toBe(0);
    expect(chart.howToRead).toContain('3 replication(s)');
  });

  test('renders to SVG with a bar and a whisker per value', async () => {
    const svg = await toSvg(sweepModelLatencyChart([cell('x', [1, 2], [3, 4])], ['a', 'b'], 2).spec);
    const group = (cls: string) => svg.slice(svg.indexOf(`class="${cls} role-mark`), svg.indexOf('</g>', svg.indexOf(`class="${cls} role-mark`)));
    expect(group('mark-rect').match(/<path/g)).toHaveLength(2);
    expect(group('mark-rule').match(/<line/g)).toHaveLength(2);
  });
});
