import { afterAll, expect, test } from 'vitest';
import { chartSvg, chartThreads } from '../../src/io/chart-pool.js';
import { toSvg } from '../../src/io/render-charts.js';

/** A run's charts are laid out on a charting thread (src/io/chart-pool.ts): the same SVG as on the main thread, and its errors reach the caller. */
afterAll(() => chartThreads(0));

const spec = (n: number) => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json', width: 200, height: 100,
  data: { values: Array.from({ length: n }, (_, i) => ({ x: i, y: (i * 7) % 5 })) },
  mark: 'line', encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
});

test('a chart drawn on the charting thread is byte for byte the one drawn here; several at once come back to their callers', async () => {
  const here = await Promise.all([spec(5), spec(50), spec(500)].map((s) => toSvg(s)));
  chartThreads(1);
  const there = await Promise.all([spec(5), spec(50), spec(500)].map((s) => chartSvg(s)));
  expect(there).toEqual(here);
  expect(new Set(there).size).toBe(3);
}, 60_000);

test('a spec vega cannot draw fails with vega\'s message, and the thread goes on drawing', async () => {
  chartThreads(1);
  await expect(chartSvg({ mark: 'no-such-mark', data: { values: [] } })).rejects.toThrow(/filled|mark/i); // vega's own words
  expect(await chartSvg(spec(3))).toBe(await toSvg(spec(3)));
}, 60_000);

test('when the charting thread stops, the charts it held and later ones are drawn on this thread, the same bytes', async () => {
  chartThreads(1);
  const { chartPoolForTests } = await import('../../src/io/chart-pool.js');
  const held = chartSvg(spec(2000));
  await chartPoolForTests()!.stopThreads();
  expect(await held).toBe(await toSvg(spec(2000)));
  expect(await chartSvg(spec(4))).toBe(await toSvg(spec(4)));
}, 60_000);

test('with two charting threads each takes the next chart when it is free; a thread that stops hands back the chart it held, and every chart still comes back the same', async () => {
  chartThreads(2);
  const specs = [spec(4000), spec(3), spec(30), spec(300), spec(7)];
  const here = await Promise.all(specs.map((s) => toSvg(s)));
  expect(await Promise.all(specs.map((s) => chartSvg(s)))).toEqual(here);
  const { chartPoolForTests } = await import('../../src/io/chart-pool.js');
  const pool = chartPoolForTests()!;
  const held = specs.map((s) => chartSvg(s));
  await pool.stopThread(0);
  expect(await Promise.all(held)).toEqual(here);
}, 60_000);
