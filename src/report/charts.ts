import type { CandidateSummary } from '../metrics/index.js';
import { dominantOf, type OccupancySeries } from '../metrics/occupancy.js';
import { CAPACITY_COLOUR, colourAt, dashAt, OTHER, OTHER_COLOUR, scaleFor, shapeAt } from './style.js';
import { seriesOf, type ReportView } from './view.js';

/**
 * The charts, as Vega-Lite specs built as plain data (no rendering, no files
 * here): each says in `howToRead` how to read it. By-model charts show the
 * report's top models and fold the rest into "other", so the data in the page
 * stays bounded whatever the number of models, buckets and candidates.
 */
export interface ChartInput {
  candidate: string;
  summary: CandidateSummary;
  occupancy: OccupancySeries;
  /** Per occupancy key: the model it is charted as (fleet hosts repeat the names). */
  keyNames: string[];
  latencyCdf: number[];
  /** Bytes held per GPU over time (a fleet's hosts one after another: `gpus` = hosts × GPUs per host). */
  gpuMemory?: { width: number; buckets: number; gpus: number; bytes: Float64Array; hosts?: number };
  /** Spans in which the scheduler waited on a known Ollama pathology (µs), from hang_start/hang_end events. */
  hangs?: { kind: string; from: number; to: number }[];
}

export interface Chart {
  id: string;
  title: string;
  howToRead: string;
  spec: Record<string, unknown>;
  /** Numbered points: what each number stands for (shown under the chart). */
  key?: { label: string; name: string }[];
}

const GiB = 2 ** 30;
export const WIDTH = 640;
const FONT = 'DejaVu Sans';
const config = {
  axis: { labelFont: FONT, titleFont: FONT, labelLimit: 280 },
  legend: { labelFont: FONT, titleFont: FONT, labelLimit: 0, symbolLimit: 0, columns: 1 },
  title: { font: FONT }, header: { labelFont: FONT, titleFont: FONT, labelLimit: 400 }, text: { font: FONT },
};

export function base(title: string, spec: Record<string, unknown>): Record<string, unknown> {
  return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title, background: 'white', config, ...spec };
}

const round = (x: number, digits = 4) => Number(x.toPrecision(digits));

/** The time the series cover, in the axis unit. */
const spanOf = (runs: ChartInput[], us: number) => round(Math.max(...runs.map((r) => r.occupancy.buckets * r.occupancy.width)) / us);

/** Colour, dash and shape of one series per candidate, in candidate order. */
function byCandidate(view: Pick<ReportView, 'candidates'>, title: string | null = null) {
  const c = view.candidates;
  return {
    color: { field: 'candidate', type: 'nominal', title, scale: scaleFor(c, c, colourAt, OTHER_COLOUR), sort: c },
    strokeDash: { field: 'candidate', type: 'nominal', title, scale: scaleFor(c, c, dashAt, [1, 0], 8), sort: c },
    shape: { field: 'candidate', type: 'nominal', title, scale: scaleFor(c, c, shapeAt, 'circle', 8), sort: c },
  };
}

/** Facet rows in candidate order (not the alphabet), each short enough that many candidates stay readable. */
function facetRows(view: ReportView) {
  return { row: { field: 'candidate', type: 'nominal', title: null, sort: view.candidates, header: { labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelOrient: 'top' } } };
}

const facetHeight = (view: ReportView, most: number) => Math.max(50, Math.min(most, Math.floor(700 / Math.max(1, view.candidates.length))));

export function latencyChart(runs: ChartInput[], view: Pick<ReportView, 'candidates'>): Chart {
  const values = runs.flatMap((r) => (['p50', 'p95', 'p99'] as const).map((q) => ({
    candidate: r.candidate, quantile: q, seconds: round(r.summary[`latency_${q}_s`] ?? 0),
  })));
  return {
    id: 'latency', title: 'Latency per candidate',
    howToRead: 'Bars are the p50, p95 and p99 of end − arrival for successful requests (nearest rank). Lower is better; the gap between p50 and p99 is what cold loads and queueing add for the unlucky.',
    spec: base('Latency per candidate (s)', {
      width: WIDTH, data: { values },
      mark: 'bar',
      encoding: {
        y: { field: 'candidate', type: 'nominal', title: null, sort: view.candidates },
        yOffset: { field: 'quantile', sort: ['p50', 'p95', 'p99'] },
        x: { field: 'seconds', type: 'quantitative', title: 'seconds' },
        color: { field: 'quantile', type: 'nominal', sort: ['p50', 'p95', 'p99'], title: 'quantile', scale: { range: ['#9ecae1', '#3182bd', '#08519c'] } },
        tooltip: [{ field: 'candidate' }, { field: 'quantile' }, { field: 'seconds', format: '.2f' }],
      },
    }),
  };
}

export function modelLatencyChart(runs: ChartInput[], view: ReportView): Chart {
  const values = runs.flatMap((r) => {
    const models = r.summary.models ?? {};
    const rows = view.shown.map((model) => ({ candidate: r.candidate, model, p95: round(models[model]?.latency_p95_s ?? 0), cold: round(models[model]?.cold_share ?? 0) }));
    if (view.folded > 0) {
      const rest = view.models.filter((m) => !view.shown.includes(m)).map((m) => models[m]?.latency_p95_s ?? 0);
      rows.push({ candidate: r.candidate, model: OTHER, p95: round(Math.max(0, ...rest)), cold: 0 });
    }
    return rows;
  });
  const other = view.folded > 0 ? ` "other" is the worst p95 among the ${view.folded} other models (their full figures are in summary.json).` : '';
  const { color } = byCandidate(view);
  return {
    id: 'models', title: 'p95 latency per model',
    howToRead: `The same p95 split by model, for the ${view.shown.length} models holding the most memory: a setting can be fine for a busy model and painful for a rarely used one, whose requests are the ones that find it unloaded.${other}`,
    spec: base('p95 latency per model (s)', {
      width: WIDTH, height: Math.min(560, view.series.length * Math.max(24, 10 * view.candidates.length)), data: { values },
      mark: 'bar',
      encoding: {
        y: { field: 'model', type: 'nominal', title: null, sort: view.series },
        yOffset: { field: 'candidate', sort: view.candidates },
        x: { field: 'p95', type: 'quantitative', title: 'p95 latency (s)' },
        color,
        tooltip: [{ field: 'model' }, { field: 'candidate' }, { field: 'p95', format: '.2f' }, { field: 'cold', format: '.1%', title: 'cold share' }],
      },
    }),
  };
}

/** Per candidate and bucket, the bytes of each series (top models, "other"). */
/**
 * Time slices merged per chart so the page's points stay bounded with many
 * candidates: up to 4 candidates keep every slice, 8 keep one in two, …
 * (averages of equal-width slices, so the areas are unchanged).
 */
export const sliceFactor = (candidates: number) => Math.max(1, Math.ceil(candidates / 4));

/** Per candidate and (merged) time slice, the bytes of each series (top models, "other"). */
function foldedBytes(r: ChartInput, view: ReportView): { series: string[]; bytes: Float64Array; buckets: number; width: number } {
  const o = r.occupancy;
  const f = sliceFactor(view.candidates.length);
  const buckets = Math.ceil(o.buckets / f);
  const slot = r.keyNames.map((k) => view.series.indexOf(seriesOf(view, k)));
  const n = view.series.length;
  const bytes = new Float64Array(buckets * n);
  for (let b = 0; b < o.buckets; b++) {
    const m = Math.floor(b / f);
    const share = Math.min(f, o.buckets - m * f); // the last slice may hold fewer
    for (let k = 0; k < o.keys; k++) bytes[m * n + slot[k]!]! += o.bytes[b * o.keys + k]! / share;
  }
  return { series: view.series, bytes, buckets, width: o.width * f };
}

/**
 * The by-model series that memory charts can draw: models sharing a runner
 * (`key`) are one runner, drawn under the first of them, so the others get
 * no legend entry of their own.
 */
function memorySeries(runs: ChartInput[], view: ReportView): ReportView {
  const drawn = new Set(runs.flatMap((r) => r.keyNames));
  const series = view.series.filter((m) => m === OTHER || drawn.has(m));
  return series.length === view.series.length ? view : { ...view, series };
}

export function occupancyChart(runs: ChartInput[], all: ReportView): Chart {
  const view = memorySeries(runs, all);
  const t = view.time;
  const values = runs.flatMap((r) => {
    const { series, bytes, buckets, width } = foldedBytes(r, view);
    const rows: { candidate: string; t: number; model: string; gib: number; rank: number; cap?: number; usable?: number }[] = [];
    for (let b = 0; b < buckets; b++) {
      series.forEach((model, i) => rows.push({ candidate: r.candidate, t: round((b * width) / t.us), model, gib: round(bytes[b * series.length + i]! / GiB), rank: i }));
    }
    // The capacity rides on one row per candidate: each facet draws its own line.
    const cap = view.capacityGiB[view.candidates.indexOf(r.candidate)];
    if (rows[0] && cap !== undefined) rows[0].cap = round(cap);
    const held = view.reservedGiB[view.candidates.indexOf(r.candidate)] ?? 0;
    if (rows[0] && cap !== undefined && held > 0) rows[0].usable = round(cap - held);
    return rows;
  });
  const reserved = view.reservedGiB.some((g) => g > 0) ? ', and the grey line what is left of it once other processes have taken their memory (at the start)' : '';
  const capacity = `${view.hosts > 1 ? `the red line is the fleet's capacity (all ${view.hosts} hosts together)` : 'the red line is the GPUs\' capacity'}${reserved}`;
  return {
    id: 'vram', title: 'VRAM held over time',
    howToRead: `Memory held by runners (loading, loaded or waiting for VRAM recovery), stacked by model${view.folded ? ` (the ${view.shown.length} holding the most, then the other ${view.folded} together)` : ''}, averaged per time slice; ${capacity}. A long keep_alive fills the quiet hours with idle memory; 0 keeps it low but reloads constantly. The peak can exceed the sum of the models being used: a runner being replaced holds its memory until its "unloaded" signal while the reload has already begun, so during that unload window both count.`,
    spec: base('VRAM held over time (GiB)', {
      data: { values },
      facet: facetRows(view),
      spec: {
        width: WIDTH, height: facetHeight(view, 110),
        layer: [
          { mark: { type: 'area', interpolate: 'step-after' }, encoding: {
            x: { field: 't', type: 'quantitative', title: t.title, scale: { domain: [0, spanOf(runs, t.us)], nice: false } },
            y: { field: 'gib', type: 'quantitative', stack: 'zero', title: 'GiB' },
            order: { field: 'rank' },
            color: { field: 'model', type: 'nominal', title: 'model', sort: view.series, scale: scaleFor(view.series, view.models, colourAt, OTHER_COLOUR) } } },
          { mark: { type: 'rule', color: CAPACITY_COLOUR, strokeDash: [4, 3], strokeWidth: 1.5 }, encoding: { y: { field: 'cap', aggregate: 'max', type: 'quantitative' } } },
          ...(view.reservedGiB.some((g) => g > 0) ? [{ mark: { type: 'rule', color: '#555555', strokeDash: [2, 2], strokeWidth: 1.5 }, encoding: { y: { field: 'usable', aggregate: 'max', type: 'quantitative' } } }] : []),
        ],
      },
    }),
  };
}

/**
 * Numbers the points and merges those that would print on each other (within a
 * few % of each axis) into one label "1, 3", so labels never overprint; the
 * key says which candidate each number is.
 */
export function numberPoints<T extends { x: number; y: number }>(points: T[]): { labels: string[]; coincide: number[][] } {
  const xr = Math.max(1e-9, ...points.map((p) => Math.abs(p.x)));
  const yr = Math.max(1e-9, ...points.map((p) => Math.abs(p.y)));
  const groups: number[][] = [];
  points.forEach((p, i) => {
    const g = groups.find((g) => g.some((j) => Math.abs(points[j]!.x - p.x) / xr < 0.08 && Math.abs(points[j]!.y - p.y) / yr < 0.05));
    if (g) g.push(i);
    else groups.push([i]);
  });
  const labels = points.map(() => '');
  for (const g of groups) labels[g[0]!] = g.map((i) => i + 1).join(', ');
  return { labels, coincide: groups.filter((g) => g.length > 1) };
}

export function tradeOffChart(runs: { candidate: string; summary: CandidateSummary }[], labels?: readonly string[]): Chart {
  const pts = runs.map((r) => ({ x: r.summary.idle_resident_gib_hours, y: (r.summary.cold_share ?? 0) * 100 }));
  const { labels: nums, coincide } = numberPoints(pts);
  const names = runs.map((r, i) => labels?.[i] ?? r.candidate);
  const legend = runs.length <= 12;
  const values = runs.map((r, i) => ({ candidate: `${i + 1} · ${names[i]}`, cold: round(pts[i]!.y), idle: round(pts[i]!.x), label: nums[i] }));
  const view = { candidates: values.map((v) => v.candidate) };
  const same = coincide.length ? ` Points drawn on top of each other share a label: ${coincide.map((g) => g.map((i) => `${i + 1} (${names[i]})`).join(' and ')).join('; ')}.` : '';
  const style = byCandidate(view, 'key');
  return {
    id: 'tradeoff', title: 'Cold starts against idle memory',
    howToRead: `One numbered point per candidate: the share of requests that waited for a load against the GiB-hours held by models no request was using. Points toward the lower left are better; the frontier is the keep-alive trade-off.${same}`,
    key: runs.map((r, i) => ({ label: String(i + 1), name: r.candidate })),
    spec: base('Cold starts against idle memory', {
      width: WIDTH, height: 320, data: { values },
      layer: [
        { mark: { type: 'point', filled: true, size: 90 }, encoding: {
          x: { field: 'idle', type: 'quantitative', title: 'idle-resident GiB·h' },
          y: { field: 'cold', type: 'quantitative', title: 'cold starts (% of successful requests)' },
          ...(legend ? { color: style.color, shape: style.shape } : {}),
          tooltip: [{ field: 'candidate' }, { field: 'idle', format: '.1f' }, { field: 'cold', format: '.1f' }] } },
        { mark: { type: 'text', dx: 9, dy: -7, align: 'left', fontSize: 11 }, encoding: {
          x: { field: 'idle', type: 'quantitative' }, y: { field: 'cold', type: 'quantitative' }, text: { field: 'label' } } },
      ],
    }),
  };
}

/**
 * Pairs of series drawn on top of each other: at every point within 1 % of
 * each other (log axes), or also within 1 % of the axis' range (linear axes,
 * `linear`), so their lines hide each other and the text must say so.
 */
export function coincident(series: { name: string; values: readonly number[] }[], linear = false): [string, string][] {
  const all = series.flatMap((s) => s.values).filter(Number.isFinite).map(Math.abs);
  const range = linear && all.length ? Math.max(...all) : 0;
  const near = (x: number, y: number) => (Number.isNaN(x) && Number.isNaN(y)) || Math.abs(x - y) <= Math.max(0.01 * Math.max(Math.abs(x), Math.abs(y)), 0.01 * range, 1e-12);
  const out: [string, string][] = [];
  for (let i = 0; i < series.length; i++) {
    for (let j = i + 1; j < series.length; j++) {
      const a = series[i]!.values;
      const b = series[j]!.values;
      if (a.length === b.length && a.every((x, k) => near(x, b[k]!))) out.push([series[i]!.name, series[j]!.name]);
    }
  }
  return out;
}

export const coincidenceNote = (pairs: [string, string][]) =>
  pairs.length ? ` ${pairs.map(([a, b]) => `"${a}" and "${b}"`).join(', ')} coincide: their lines lie on top of each other (told apart by dash and point shape).` : '';

export function cdfChart(runs: ChartInput[], view: Pick<ReportView, 'candidates'>): Chart {
  const values = runs.flatMap((r) => r.latencyCdf.map((s, q) => ({ candidate: r.candidate, seconds: round(Math.max(s, 1e-3)), share: q })).filter((v) => Number.isFinite(v.seconds)));
  const { color, strokeDash } = byCandidate(view);
  return {
    id: 'cdf', title: 'Latency distribution',
    howToRead: `For each candidate, the share of successful requests answered within a time (log scale). A curve further left is faster; a step is a group of requests paying the same cost, such as a cold load.${coincidenceNote(coincident(runs.map((r) => ({ name: r.candidate, values: r.latencyCdf }))))}`,
    spec: base('Latency distribution', {
      width: WIDTH, height: 300, data: { values },
      mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
      encoding: {
        x: { field: 'seconds', type: 'quantitative', scale: { type: 'log' }, title: 'latency (s, log scale)' },
        y: { field: 'share', type: 'quantitative', title: '% of requests within' },
        color, strokeDash,
      },
    }),
  };
}

const STATES = ['busy', 'idle', 'loading'] as const;
const STATE_COLOURS = ['#2f7d32', '#f2a900', '#5b8def'];
export const HANG_ROW = 'scheduler stalled';
const HANG_COLOURS: Record<string, string> = { resurrection: '#b10026', reload_starvation: '#7a0177', head_of_line: '#000000' };

/** Runs of equal state per row (top models, "other" aggregated), so a rect covers many time slices. */
function residencyRows(r: ChartInput, view: ReportView) {
  const o = r.occupancy;
  const t = view.time;
  const rows: { candidate: string; model: string; from: number; to: number; state: string }[] = [];
  const n = view.series.length;
  const slot = r.keyNames.map((k) => view.series.indexOf(seriesOf(view, k)));
  const time = { busy: new Float64Array(n), idle: new Float64Array(n), loading: new Float64Array(n) };
  const open: ({ state: string; from: number } | null)[] = view.series.map(() => null);
  // Merged slices (sliceFactor) keep the number of bars bounded with many candidates.
  const f = sliceFactor(view.candidates.length);
  const width = o.width * f;
  const end = o.buckets * o.width;
  const close = (i: number, b: number) => {
    const s = open[i];
    if (s) rows.push({ candidate: r.candidate, model: view.series[i]!, from: round((s.from * width) / t.us), to: round(Math.min(b * width, end) / t.us), state: s.state });
    open[i] = null;
  };
  const slices = Math.ceil(o.buckets / f);
  for (let m = 0; m < slices; m++) {
    time.busy.fill(0); time.idle.fill(0); time.loading.fill(0);
    for (let b = m * f; b < Math.min(o.buckets, (m + 1) * f); b++) {
      for (let k = 0; k < o.keys; k++) {
        const i = b * o.keys + k;
        time.busy[slot[k]!]! += o.busy[i]!; time.idle[slot[k]!]! += o.idle[i]!; time.loading[slot[k]!]! += o.loading[i]!;
      }
    }
    for (let s = 0; s < n; s++) {
      const state = dominantOf(time.busy[s]!, time.idle[s]!, time.loading[s]!);
      if (open[s] && open[s]!.state !== state) close(s, m);
      if (state && !open[s]) open[s] = { state, from: m };
    }
  }
  for (let s = 0; s < n; s++) close(s, slices);
  // Clipped to the charted span: a hang that never ends runs to the end of the chart, not past it.
  for (const h of mergedHangs(r.hangs ?? [], width)) {
    if (h.from < end) rows.push({ candidate: r.candidate, model: HANG_ROW, from: round(h.from / t.us), to: round(Math.min(end, Math.max(h.to, h.from + o.width / 4)) / t.us), state: h.kind });
  }
  return rows;
}

/** Hang spans of one kind closer than a time slice merged into one bar: at most one bar per slice and kind, however many hangs. */
export function mergedHangs(hangs: readonly { kind: string; from: number; to: number }[], width: number) {
  const out: { kind: string; from: number; to: number }[] = [];
  const last = new Map<string, { kind: string; from: number; to: number }>();
  for (const h of [...hangs].sort((a, b) => a.from - b.from)) {
    const open = last.get(h.kind);
    if (open && h.from <= open.to + width) open.to = Math.max(open.to, h.to);
    else {
      const span = { ...h };
      out.push(span);
      last.set(h.kind, span);
    }
  }
  return out;
}

export function residencyChart(runs: ChartInput[], all: ReportView): Chart {
  const view = memorySeries(runs, all);
  const values = runs.flatMap((r) => residencyRows(r, view));
  const kinds = [...new Set(runs.flatMap((r) => (r.hangs ?? []).map((h) => h.kind)))];
  const rows = kinds.length ? [...view.series, HANG_ROW] : view.series;
  const other = view.folded ? ` The "other" row is the ${view.folded} models outside the top ${view.shown.length} together: busy when they were mostly busy.` : '';
  const hang = kinds.length ? ` The "${HANG_ROW}" row marks when the scheduler waited on a known Ollama pathology (${kinds.join(', ')}): see "Scheduler pathologies".` : '';
  return {
    id: 'residency', title: 'When each model was resident',
    howToRead: `Per candidate and model, each time slice coloured by what the model mostly did: busy (answering), idle (loaded, waiting for the keep-alive timer) or loading. Gaps are times it was not in memory.${other}${hang}`,
    spec: base('Model residency', {
      data: { values },
      facet: facetRows(view),
      spec: {
        width: WIDTH, height: Math.min(16 * rows.length, 160),
        mark: 'rect',
        encoding: {
          x: { field: 'from', type: 'quantitative', title: view.time.title, scale: { domain: [0, spanOf(runs, view.time.us)], nice: false } }, x2: { field: 'to' },
          y: { field: 'model', type: 'nominal', title: null, sort: rows },
          color: { field: 'state', type: 'nominal', title: 'state', scale: { domain: [...STATES, ...kinds], range: [...STATE_COLOURS, ...kinds.map((k) => HANG_COLOURS[k] ?? '#d62728')] } },
        },
      },
    }),
  };
}

export function gpuChart(runs: ChartInput[], view: ReportView): Chart {
  const t = view.time;
  let names: string[] = [];
  const values = runs.flatMap((r) => {
    const g = r.gpuMemory;
    if (!g) return [];
    const hosts = g.hosts ?? 1;
    const per = g.gpus / hosts;
    const name = (k: number) => (hosts > 1 ? `host${Math.floor(k / per) + 1} GPU${k % per}` : `GPU${k}`);
    names = Array.from({ length: g.gpus }, (_, k) => name(k));
    const rows: { candidate: string; gpu: string; t: number; gib: number }[] = [];
    const f = sliceFactor(view.candidates.length);
    for (let m = 0; m < Math.ceil(g.buckets / f); m++) {
      for (let k = 0; k < g.gpus; k++) {
        let sum = 0;
        let count = 0;
        for (let b = m * f; b < Math.min(g.buckets, (m + 1) * f); b++, count++) sum += g.bytes[b * g.gpus + k]!;
        rows.push({ candidate: r.candidate, gpu: names[k]!, t: round((m * f * g.width) / t.us), gib: round(sum / count / GiB) });
      }
    }
    return rows;
  });
  return {
    id: 'gpus', title: 'Memory held on each GPU',
    howToRead: `Per candidate, the memory runners hold on each GPU${view.hosts > 1 ? ' of each host' : ''} over time (averaged per time slice). On a multi-GPU host it shows how Ollama places models — on one GPU while they fit at 80 %, split over all when not.`,
    spec: base('Memory held on each GPU (GiB)', {
      data: { values },
      facet: facetRows(view),
      spec: {
        width: WIDTH, height: facetHeight(view, 90), mark: { type: 'line', interpolate: 'step-after' },
        encoding: {
          x: { field: 't', type: 'quantitative', title: t.title, scale: { domain: [0, spanOf(runs, t.us)], nice: false } },
          y: { field: 'gib', type: 'quantitative', title: 'GiB' },
          color: { field: 'gpu', type: 'nominal', title: null, sort: names, scale: scaleFor(names, names, colourAt, OTHER_COLOUR) },
          strokeDash: { field: 'gpu', type: 'nominal', title: null, sort: names, scale: scaleFor(names, names, dashAt, [1, 0], 8) },
        },
      },
    }),
  };
}

export function allCharts(runs: ChartInput[], view: ReportView): Chart[] {
  const charts = [latencyChart(runs, view), modelLatencyChart(runs, view), occupancyChart(runs, view), tradeOffChart(runs), cdfChart(runs, view), residencyChart(runs, view)];
  if (runs.some((r) => r.gpuMemory)) charts.push(gpuChart(runs, view));
  return charts;
}

/** A sweep's p95 latency per cell, mean with its 95 % interval as whiskers (replications). */
export function sweepLatencyChart(cells: { candidate: string; mean: number; ci95: number; label?: string }[], replications: number): Chart {
  const values = cells.map((c) => ({ candidate: c.label ?? c.candidate, mean: round(c.mean), low: round(Math.max(0, c.mean - c.ci95)), high: round(c.mean + c.ci95) }));
  const order = values.map((v) => v.candidate);
  return {
    id: 'latency', title: 'p95 latency per cell',
    howToRead: `The p95 latency of each cell, averaged over ${replications} replication(s); whiskers show the 95 % confidence interval of that mean (Student t). Cells whose whiskers overlap are not distinguishable at this number of replications.`,
    spec: base('p95 latency per cell (s)', {
      width: WIDTH, data: { values },
      layer: [
        { mark: 'bar', encoding: { y: { field: 'candidate', type: 'nominal', title: null, sort: order }, x: { field: 'mean', type: 'quantitative', title: 'p95 latency (s)' } } },
        { mark: { type: 'rule', color: 'black' }, encoding: { y: { field: 'candidate', type: 'nominal', sort: order }, x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } } },
      ],
    }),
  };
}

/**
 * Where each setting breaks: p95 latency and the failure rate against offered
 * load, one line per setting, from a sweep with a `rate_scale` axis.
 */
export function offeredLoadChart(points: { setting: string; rate: number; p95: number | null; failures: number }[]): Chart {
  const settings = [...new Set(points.map((p) => p.setting))];
  const style = byCandidate({ candidates: settings }, 'setting');
  const enc = { color: { ...style.color, field: 'setting' }, strokeDash: { ...style.strokeDash, field: 'setting' }, shape: { ...style.shape, field: 'setting' } };
  const rates = [...new Set(points.map((p) => p.rate))].sort((a, b) => a - b);
  const x = { field: 'rate', type: 'quantitative', title: 'rate_scale (× today, log scale)', scale: { type: 'log', domain: [rates[0]! / 1.2, rates.at(-1)! * 1.2], nice: false }, axis: { values: rates } };
  const line = (field: string, title: string) => ({ width: 300, height: 260, mark: { type: 'line', point: { filled: true, size: 50 }, strokeWidth: 2 }, encoding: { x, y: { field, type: 'quantitative', title }, ...enc } });
  const series = (f: (p: (typeof points)[number]) => number) => settings.map((s) => ({ name: s, values: points.filter((p) => p.setting === s).sort((a, b) => a.rate - b.rate).map(f) }));
  const same = coincident(series((p) => p.p95 ?? NaN), true).filter(([a, b]) => coincident(series((p) => p.failures), true).some(([c, d]) => c === a && d === b));
  return {
    id: 'load', title: 'p95 and failures against offered load',
    howToRead: `Each line is one setting; along it the traffic grows (rate_scale × today, on a log axis). Where a line turns up sharply, that setting has reached its limit: the queue builds, requests wait for loads behind evictions, and then 503s and timeouts appear.${coincidenceNote(same)}`,
    spec: base('p95 and failures against offered load', {
      data: { values: points.map((p) => ({ ...p, failures: round(p.failures * 100) })) },
      hconcat: [line('p95', 'p95 latency (s)'), line('failures', 'failures (% of requests)')],
    }),
  };
}
