import type { Estimate } from '../plan/confidence.js';
import { base, type Chart, WIDTH } from './charts.js';
import { colourAt, OTHER, OTHER_COLOUR, scaleFor } from './style.js';

/** What the chart needs of a sweep cell: its name and its estimates (per-model ones as `models.NAME.figure`). */
export interface SweepCellFigures {
  candidate: string;
  estimates: Record<string, Estimate>;
}

/**
 * Issue chart 1 for a sweep: p95 latency per cell split by model, the mean
 * over replications as a bar and its 95 % interval as a whisker. `shown` (the
 * report's top models) bounds the bars; the rest fold into "other", the worst
 * of their means. `labels` are the cells' short axis labels.
 */
export function sweepModelLatencyChart(
  cells: readonly SweepCellFigures[], models: readonly string[], replications: number,
  opts: { shown?: readonly string[]; labels?: readonly string[] } = {},
): Chart {
  const shown = opts.shown ?? models;
  const rest = models.filter((m) => !shown.includes(m));
  const series = rest.length ? [...shown, OTHER] : [...shown];
  const values = cells.flatMap((c, i) => {
    const candidate = opts.labels?.[i] ?? c.candidate;
    const rows = shown.flatMap((model) => {
      const e = c.estimates[`models.${model}.latency_p95_s`];
      if (!e || !Number.isFinite(e.mean)) return [];
      return [{ candidate, model, mean: e.mean, low: Math.max(0, e.mean - e.ci95), high: e.mean + e.ci95 }];
    });
    const worst = rest.map((m) => c.estimates[`models.${m}.latency_p95_s`]).filter((e): e is Estimate => !!e && Number.isFinite(e.mean)).sort((a, b) => b.mean - a.mean)[0];
    if (worst) rows.push({ candidate, model: OTHER, mean: worst.mean, low: Math.max(0, worst.mean - worst.ci95), high: worst.mean + worst.ci95 });
    return rows;
  });
  const order = cells.map((c, i) => opts.labels?.[i] ?? c.candidate);
  const y = { field: 'candidate', type: 'nominal', title: null, sort: order };
  const yOffset = { field: 'model', sort: series };
  const other = rest.length ? ` "other" is the worst mean p95 among the ${rest.length} models outside the top ${shown.length}.` : '';
  return {
    id: 'models', title: 'p95 latency per model, per cell',
    howToRead: `Each group is one cell; each bar one model's p95 latency, averaged over ${replications} replication(s), with its 95 % confidence interval (Student t) as a whisker. A setting can suit the busy model and hurt the rarely used one, whose requests are the ones that find it unloaded. Models with no successful request in a cell have no bar.${other}`,
    spec: base('p95 latency per model (s), mean and 95 % interval', {
      width: WIDTH, data: { values },
      layer: [
        { mark: 'bar', encoding: { y, yOffset, x: { field: 'mean', type: 'quantitative', title: 'p95 latency (s)' },
          color: { field: 'model', type: 'nominal', sort: series, title: 'model', scale: scaleFor(series, models, colourAt, OTHER_COLOUR) },
          tooltip: [{ field: 'candidate' }, { field: 'model' }, { field: 'mean', format: '.2f' }, { field: 'low', format: '.2f' }, { field: 'high', format: '.2f' }] } },
        { mark: { type: 'rule', color: 'black' }, encoding: { y, yOffset, x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } } },
      ],
    }),
  };
}
