import type { Estimate } from '../plan/confidence.js';
import { base, type Chart, WIDTH } from './charts.js';

/** What the chart needs of a sweep cell: its name and its estimates (per-model ones as `models.NAME.figure`). */
export interface SweepCellFigures {
  candidate: string;
  estimates: Record<string, Estimate>;
}

/**
 * Issue chart 1 for a sweep: p95 latency per cell split by model, the mean
 * over replications as a bar and its 95 % interval as a whisker.
 */
export function sweepModelLatencyChart(cells: readonly SweepCellFigures[], models: readonly string[], replications: number): Chart {
  const values = cells.flatMap((c) => models.flatMap((model) => {
    const e = c.estimates[`models.${model}.latency_p95_s`];
    if (!e || !Number.isFinite(e.mean)) return [];
    return [{ candidate: c.candidate, model, mean: e.mean, low: Math.max(0, e.mean - e.ci95), high: e.mean + e.ci95 }];
  }));
  const y = { field: 'candidate', type: 'nominal', title: null, sort: null };
  const yOffset = { field: 'model', sort: null };
  return {
    id: 'models', title: 'p95 latency per model, per cell',
    howToRead: `Each group is one cell; each bar one model's p95 latency, averaged over ${replications} replication(s), with its 95 % confidence interval (Student t) as a whisker. A setting can suit the busy model and hurt the rarely used one, whose requests are the ones that find it unloaded. Models with no successful request in a cell have no bar.`,
    spec: base('p95 latency per model (s), mean and 95 % interval', {
      width: WIDTH, data: { values },
      layer: [
        { mark: 'bar', encoding: { y, yOffset, x: { field: 'mean', type: 'quantitative', title: 'p95 latency (s)' },
          color: { field: 'model', type: 'nominal', sort: null, title: 'model' },
          tooltip: [{ field: 'candidate' }, { field: 'model' }, { field: 'mean', format: '.2f' }, { field: 'low', format: '.2f' }, { field: 'high', format: '.2f' }] } },
        { mark: { type: 'rule', color: 'black' }, encoding: { y, yOffset, x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } } },
      ],
    }),
  };
}
