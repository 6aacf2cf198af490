import type { CandidateSummary } from '../metrics/index.js';
import { dominantState, type OccupancySeries } from '../metrics/occupancy.js';

/**
 * The charts, as Vega-Lite specs built as plain data (no rendering, no files
 * here): each says in `description` how to read it.
 */
export interface ChartInput {
  candidate: string;
  summary: CandidateSummary;
  occupancy: OccupancySeries;
  keyNames: string[];
  latencyCdf: number[];
  /** Bytes held per GPU over time (single servers). */
  gpuMemory?: { width: number; buckets: number; gpus: number; bytes: Float64Array };
}

export interface Chart {
  id: string;
  title: string;
  howToRead: string;
  spec: Record<string, unknown>;
}

const GiB = 2 ** 30;
export const WIDTH = 640;
const FONT = { font: 'DejaVu Sans', labelFont: 'DejaVu Sans', titleFont: 'DejaVu Sans' };
const config = { axis: { labelFont: FONT.font, titleFont: FONT.font }, legend: { labelFont: FONT.font, titleFont: FONT.font, labelLimit: 420 }, title: { font: FONT.font }, header: { labelFont: FONT.font, titleFont: FONT.font }, text: { font: FONT.font } };

export function base(title: string, spec: Record<string, unknown>): Record<string, unknown> {
  return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title, background: 'white', config, ...spec };
}

export function latencyChart(runs: ChartInput[]): Chart {
  const values = runs.flatMap((r) => (['p50', 'p95', 'p99'] as const).map((q) => ({
    candidate: r.candidate, quantile: q, seconds: r.summary[`latency_${q}_s`] ?? 0,
  })));
  return {
    id: 'latency', title: 'Latency per candidate',
    howToRead: 'Bars are the p50, p95 and p99 of end − arrival for successful requests (nearest rank). Lower is better; the gap between p50 and p99 is what cold loads and queueing add for the unlucky.',
    spec: base('Latency per candidate (s)', {
      width: WIDTH, data: { values },
      mark: 'bar',
      encoding: {
        y: { field: 'candidate', type: 'nominal', title: null, sort: null },
        yOffset: { field: 'quantile', sort: ['p50', 'p95', 'p99'] },
        x: { field: 'seconds', type: 'quantitative', title: 'seconds' },
        color: { field: 'quantile', type: 'nominal', sort: ['p50', 'p95', 'p99'], title: 'quantile' },
        tooltip: [{ field: 'candidate' }, { field: 'quantile' }, { field: 'seconds', format: '.2f' }],
      },
    }),
  };
}

export function modelLatencyChart(runs: ChartInput[]): Chart {
  const values = runs.flatMap((r) => Object.entries(r.summary.models ?? {}).map(([model, m]) => ({
    candidate: r.candidate, model, p95: m.latency_p95_s ?? 0, cold: m.cold_share ?? 0,
  })));
  return {
    id: 'models', title: 'p95 latency per model',
    howToRead: 'The same p95 split by model: a setting can be fine for a busy model and painful for a rarely used one, whose requests are the ones that find it unloaded.',
    spec: base('p95 latency per model (s)', {
      width: WIDTH, data: { values },
      mark: 'bar',
      encoding: {
        y: { field: 'model', type: 'nominal', title: null },
        yOffset: { field: 'candidate', sort: null },
        x: { field: 'p95', type: 'quantitative', title: 'p95 latency (s)' },
        color: { field: 'candidate', type: 'nominal', sort: null },
        tooltip: [{ field: 'model' }, { field: 'candidate' }, { field: 'p95', format: '.2f' }, { field: 'cold', format: '.1%', title: 'cold share' }],
      },
    }),
  };
}

export function occupancyChart(runs: ChartInput[], capacity: number): Chart {
  const values = runs.flatMap((r) => {
    const o = r.occupancy;
    const rows: { candidate: string; hour: number; model: string; gib: number }[] = [];
    for (let b = 0; b < o.buckets; b++) {
      const perModel = new Map<string, number>();
      for (let k = 0; k < o.keys; k++) perModel.set(r.keyNames[k]!, (perModel.get(r.keyNames[k]!) ?? 0) + o.bytes[b * o.keys + k]!);
      for (const [model, bytes] of perModel) rows.push({ candidate: r.candidate, hour: (b * o.width) / 3.6e9, model, gib: bytes / GiB });
    }
    return rows;
  });
  return {
    id: 'vram', title: 'VRAM held over time',
    howToRead: 'Memory held by runners (loading, loaded or waiting for VRAM recovery), stacked by model, averaged per time slice; the red line is the GPUs\' capacity. A long keep_alive fills the quiet hours with idle memory; 0 keeps it low but reloads constantly.',
    spec: base('VRAM held over time (GiB)', {
      data: { values },
      facet: { row: { field: 'candidate', type: 'nominal', title: null, sort: null } },
      spec: {
        width: WIDTH, height: 110,
        layer: [
          { mark: { type: 'area', interpolate: 'step-after' }, encoding: {
            x: { field: 'hour', type: 'quantitative', title: 'hours from the start' },
            y: { field: 'gib', type: 'quantitative', stack: 'zero', title: 'GiB' },
            color: { field: 'model', type: 'nominal' } } },
          { mark: { type: 'rule', color: 'red', strokeDash: [4, 3] }, encoding: { y: { datum: capacity / GiB } } },
        ],
      },
    }),
  };
}

export function tradeOffChart(runs: ChartInput[]): Chart {
  const values = runs.map((r) => ({ candidate: r.candidate, cold: (r.summary.cold_share ?? 0) * 100, idle: r.summary.idle_resident_gib_hours }));
  return {
    id: 'tradeoff', title: 'Cold starts against idle memory',
    howToRead: 'One point per candidate: the share of requests that waited for a load against the GiB-hours held by models no request was using. Points toward the lower left are better; the frontier is the keep-alive trade-off.',
    spec: base('Cold starts against idle memory', {
      width: WIDTH, height: 320, data: { values },
      layer: [
        { mark: { type: 'point', filled: true, size: 90 }, encoding: {
          x: { field: 'idle', type: 'quantitative', title: 'idle-resident GiB·h' },
          y: { field: 'cold', type: 'quantitative', title: 'cold starts (% of successful requests)' },
          color: { field: 'candidate', type: 'nominal', sort: null } } },
        { mark: { type: 'text', dx: 8, align: 'left' }, encoding: {
          x: { field: 'idle', type: 'quantitative' }, y: { field: 'cold', type: 'quantitative' }, text: { field: 'candidate' } } },
      ],
    }),
  };
}

export function cdfChart(runs: ChartInput[]): Chart {
  const values = runs.flatMap((r) => r.latencyCdf.map((s, q) => ({ candidate: r.candidate, seconds: Math.max(s, 1e-3), share: q })).filter((v) => Number.isFinite(v.seconds)));
  return {
    id: 'cdf', title: 'Latency distribution',
    howToRead: 'For each candidate, the share of successful requests answered within a time (log scale). A curve further left is faster; a step is a group of requests paying the same cost, such as a cold load.',
    spec: base('Latency distribution', {
      width: WIDTH, height: 300, data: { values },
      mark: { type: 'line', interpolate: 'step-after' },
      encoding: {
        x: { field: 'seconds', type: 'quantitative', scale: { type: 'log' }, title: 'latency (s, log scale)' },
        y: { field: 'share', type: 'quantitative', title: '% of requests within' },
        color: { field: 'candidate', type: 'nominal', sort: null },
      },
    }),
  };
}

export function residencyChart(runs: ChartInput[]): Chart {
  const values = runs.flatMap((r) => {
    const o = r.occupancy;
    const rows: { candidate: string; model: string; from: number; to: number; state: string }[] = [];
    for (let k = 0; k < o.keys; k++) {
      for (let b = 0; b < o.buckets; b++) {
        const state = dominantState(o, b, k);
        if (!state) continue;
        rows.push({ candidate: r.candidate, model: r.keyNames[k]!, from: (b * o.width) / 3.6e9, to: ((b + 1) * o.width) / 3.6e9, state });
      }
    }
    return rows;
  });
  return {
    id: 'residency', title: 'When each model was resident',
    howToRead: 'Per candidate and model, each time slice coloured by what the model mostly did: busy (answering), idle (loaded, waiting for the keep-alive timer) or loading. Gaps are times it was not in memory.',
    spec: base('Model residency', {
      data: { values },
      facet: { row: { field: 'candidate', type: 'nominal', title: null, sort: null } },
      spec: {
        width: WIDTH, height: { step: 16 },
        mark: 'rect',
        encoding: {
          x: { field: 'from', type: 'quantitative', title: 'hours from the start' }, x2: { field: 'to' },
          y: { field: 'model', type: 'nominal', title: null },
          color: { field: 'state', type: 'nominal', scale: { domain: ['busy', 'idle', 'loading'], range: ['#2f7d32', '#f2a900', '#5b8def'] } },
        },
      },
    }),
  };
}

export function gpuChart(runs: ChartInput[]): Chart {
  const values = runs.flatMap((r) => {
    const g = r.gpuMemory;
    if (!g) return [];
    const rows: { candidate: string; gpu: string; hour: number; gib: number }[] = [];
    for (let b = 0; b < g.buckets; b++) {
      for (let k = 0; k < g.gpus; k++) rows.push({ candidate: r.candidate, gpu: `GPU${k}`, hour: (b * g.width) / 3.6e9, gib: g.bytes[b * g.gpus + k]! / GiB });
    }
    return rows;
  });
  return {
    id: 'gpus', title: 'Memory held on each GPU',
    howToRead: 'Per candidate, the memory runners hold on each GPU over time (averaged per time slice). On a multi-GPU host it shows how Ollama places models — on one GPU while they fit at 80 %, split over all when not.',
    spec: base('Memory held on each GPU (GiB)', {
      data: { values },
      facet: { row: { field: 'candidate', type: 'nominal', title: null, sort: null } },
      spec: {
        width: WIDTH, height: 90, mark: { type: 'line', interpolate: 'step-after' },
        encoding: {
          x: { field: 'hour', type: 'quantitative', title: 'hours from the start' },
          y: { field: 'gib', type: 'quantitative', title: 'GiB' },
          color: { field: 'gpu', type: 'nominal' },
        },
      },
    }),
  };
}

export function allCharts(runs: ChartInput[], capacity: number): Chart[] {
  const charts = [latencyChart(runs), modelLatencyChart(runs), occupancyChart(runs, capacity), tradeOffChart(runs), cdfChart(runs), residencyChart(runs)];
  if (runs.some((r) => r.gpuMemory)) charts.push(gpuChart(runs));
  return charts;
}

/** A sweep's p95 latency per cell, mean with its 95 % interval as whiskers (replications). */
export function sweepLatencyChart(cells: { candidate: string; mean: number; ci95: number }[], replications: number): Chart {
  const values = cells.map((c) => ({ candidate: c.candidate, mean: c.mean, low: c.mean - c.ci95, high: c.mean + c.ci95 }));
  return {
    id: 'latency', title: 'p95 latency per cell',
    howToRead: `The p95 latency of each cell, averaged over ${replications} replication(s); whiskers show the 95 % confidence interval of that mean (Student t). Cells whose whiskers overlap are not distinguishable at this number of replications.`,
    spec: base('p95 latency per cell (s)', {
      width: WIDTH, data: { values },
      layer: [
        { mark: 'bar', encoding: { y: { field: 'candidate', type: 'nominal', title: null, sort: null }, x: { field: 'mean', type: 'quantitative', title: 'p95 latency (s)' } } },
        { mark: { type: 'rule', color: 'black' }, encoding: { y: { field: 'candidate', type: 'nominal', sort: null }, x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } } },
      ],
    }),
  };
}

/**
 * Where each setting breaks: p95 latency and the failure rate against offered
 * load, one line per setting, from a sweep with a `rate_scale` axis.
 */
export function offeredLoadChart(points: { setting: string; rate: number; p95: number | null; failures: number }[]): Chart {
  return {
    id: 'load', title: 'p95 and failures against offered load',
    howToRead: 'Each line is one setting; along it the traffic grows (rate_scale × today). Where a line turns up sharply, that setting has reached its limit: the queue builds, requests wait for loads behind evictions, and then 503s and timeouts appear.',
    spec: base('p95 and failures against offered load', {
      data: { values: points.map((p) => ({ ...p, failures: p.failures * 100 })) },
      hconcat: [
        { width: 300, height: 260, mark: { type: 'line', point: true }, encoding: {
          x: { field: 'rate', type: 'quantitative', title: 'rate_scale (× today)' },
          y: { field: 'p95', type: 'quantitative', title: 'p95 latency (s)' },
          color: { field: 'setting', type: 'nominal', sort: null } } },
        { width: 300, height: 260, mark: { type: 'line', point: true }, encoding: {
          x: { field: 'rate', type: 'quantitative', title: 'rate_scale (× today)' },
          y: { field: 'failures', type: 'quantitative', title: 'failures (% of requests)' },
          color: { field: 'setting', type: 'nominal', sort: null } } },
      ],
    }),
  };
}
