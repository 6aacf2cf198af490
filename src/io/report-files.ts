import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedScenario } from '../config/types.js';
import { allCharts, type Chart, type ChartInput, cdfChart, occupancyChart, offeredLoadChart, residencyChart, sweepLatencyChart, tradeOffChart } from '../report/charts.js';
import { axisValues, type Plan } from '../plan/plan.js';
import type { SweepResult } from '../plan/sweep.js';
import type { CandidateSummary } from '../metrics/index.js';
import { reportHtml } from '../report/html.js';
import { shortLabel, shortLabels } from '../report/labels.js';
import { pathologyWarnings } from '../report/pathologies.js';
import { planSection, labelledFrontierChart } from '../report/plan-section.js';
import { sweepModelLatencyChart } from '../report/sweep-charts.js';
import { comparesVersions, versionChart } from '../report/version-charts.js';
import { chromeTrace } from '../report/timeline.js';
import { type ReportView, reportView, topModels, DEFAULT_TOP } from '../report/view.js';
import { runScenario, type CandidateResult } from '../sim/run-scenario.js';
import { loadScenario } from './load-scenario.js';
import { fontFiles, toPngAsync } from './render-charts.js';
import { chartSvg } from './chart-pool.js';

export interface ChartOptions {
  /** false: SVG only (`--no-png`: the PNGs are drawn from the SVGs, and take most of a report's time). */
  png?: boolean;
}

export interface ReportOptions extends ChartOptions {
  /** Models shown by name in by-model charts (the rest fold into "other"); default 8. */
  top?: number;
}

/**
 * The design-review outputs of `ollamasim run --out DIR`: report.html (one
 * self-contained file), charts/*.svg and *.png, and timeline.json. Returns a
 * warning when PNGs could not be drawn (no DejaVu fonts on this machine).
 */
export async function writeReport(dir: string, sc: ResolvedScenario, results: CandidateResult[], scenarioText: string, opts: ReportOptions = {}): Promise<string | null> {
  const charts = runCharts(sc, results, opts.top);
  const runs = chartInputs(sc, results);
  // The charts are laid out on the charting thread while this one writes the timeline.
  const rendering = renderCharts(dir, charts, opts);
  writeFileSync(join(dir, 'timeline.json'), JSON.stringify(chromeTrace(runs)) + '\n');
  const { rendered, warning } = await rendering;
  const summaries = results.map((r) => r.summary);
  writeFileSync(join(dir, 'report.html'), reportHtml(sc.name, summaries, rendered, scenarioText, { warnings: [...sc.warnings, ...pathologyWarnings(summaries)] }));
  return warning;
}

/** The charts of a run's report, in order (run with `series: true`). */
export function runCharts(sc: ResolvedScenario, results: CandidateResult[], top?: number): Chart[] {
  const runs = chartInputs(sc, results);
  const charts = allCharts(runs, runView(sc, results, top));
  if (comparesVersions(runs.map((r) => r.summary))) charts.push(versionChart(runs.map((r) => r.summary)));
  return charts;
}

/** What the charts read of each run; runner keys are charted as the model whose name they carry (or the first model sharing them). */
function chartInputs(sc: ResolvedScenario, results: CandidateResult[], names?: string[]): ChartInput[] {
  const keyModel = new Map<string, string>();
  for (const m of sc.candidates[0]?.models ?? []) if (!keyModel.has(m.key)) keyModel.set(m.key, m.name);
  return results.map((r, i) => ({
    candidate: names?.[i] ?? r.summary.candidate, summary: r.summary, occupancy: r.occupancy!,
    keyNames: r.keyNames!.map((k) => (sc.modelNames.includes(k) ? k : keyModel.get(k) ?? k)), latencyCdf: r.latencyCdf!,
    ...(r.gpuMemory ? { gpuMemory: r.gpuMemory } : {}),
    ...(r.hangs?.length ? { hangs: r.hangs } : {}),
  }));
}

function runView(sc: ResolvedScenario, results: CandidateResult[], top: number | undefined, names?: string[], shown?: string[]): ReportView {
  const o = results[0]?.occupancy;
  const cands = results.map((r) => sc.candidates.find((c) => c.name === r.summary.candidate) ?? sc.candidates[0]!);
  const view = reportView({
    summaries: results.map((r) => r.summary), models: sc.modelNames, ...(top !== undefined ? { top } : {}), ...(shown ? { shown } : {}),
    spanUs: o ? o.width * o.buckets : 1, capacityBytes: cands.map((c) => c.host.gpus.reduce((a, b) => a + b, 0)), hosts: cands.map((c) => c.fleet?.hosts ?? 1),
    reservedBytes: cands.map((c) => (c.host.reserved ?? []).reduce((a, b) => a + b, 0)),
  });
  return names ? { ...view, candidates: names } : view;
}

export interface SweepReportOptions extends ReportOptions {
  /** The scenario file: with it, the over-time charts of the first replication of some cells are drawn (they are run again here). */
  file?: string;
  /** A plan over this sweep: its section opens the page. */
  plan?: Plan;
}

/** Cells drawn over time: all when few, else the best and the worst by mean p95. */
export const OVER_TIME_CELLS = 4;

/** A sweep's report: the table of means ± intervals, p95 with confidence whiskers, the trade-off and, for a few cells, the over-time charts. */
export async function writeSweepReport(dir: string, r: SweepResult, scenarioText: string, opts: SweepReportOptions = {}): Promise<string | null> {
  const means = r.cells.map((c) => ({ ...c.runs[0]!, ...Object.fromEntries(Object.entries(c.estimates).map(([k, e]) => [k, e.mean])) }) as CandidateSummary);
  const halves = r.cells.map((c) => ({ ...c.runs[0]!, ...Object.fromEntries(Object.entries(c.estimates).map(([k, e]) => [k, e.ci95])), pathologies: [] }) as CandidateSummary);
  const labels = shortLabels(r.cells.map((c) => c.candidate));
  const models = Object.keys(r.cells[0]?.runs[0]?.models ?? {});
  const shown = topModels(means, models, opts.top ?? DEFAULT_TOP);
  const p95 = r.cells.map((c, i) => ({ candidate: c.candidate, label: labels[i]!, mean: c.estimates.latency_p95_s?.mean ?? 0, ci95: c.estimates.latency_p95_s?.ci95 ?? 0 }));
  const charts: Chart[] = [
    sweepLatencyChart(p95, r.replications),
    sweepModelLatencyChart(r.cells, models, r.replications, { shown, labels }),
    tradeOffChart(means.map((s) => ({ candidate: s.candidate, summary: s })), labels),
  ];
  if (r.axes.some((a) => a.key === 'rate_scale')) charts.push(offeredLoadChart(loadPoints(r)));
  if (comparesVersions(means)) charts.push(versionChart(means));
  if (opts.plan) charts.unshift(labelledFrontierChart(opts.plan));
  if (opts.file) charts.push(...(await overTimeCharts(opts.file, r, labels, shown)));
  const { rendered, warning } = await renderCharts(dir, charts, opts);
  const title = opts.plan ? `${r.scenario}: capacity plan over ${r.cells.length} configurations` : `${r.scenario}: sweep of ${r.cells.length} cells × ${r.replications} replication(s) (means)`;
  writeFileSync(join(dir, 'report.html'), reportHtml(title, means, rendered, scenarioText, {
    intervals: r.replications > 1 ? halves : undefined, labels, warnings: pathologyWarnings(means),
    ...(opts.plan ? { before: [planSection(opts.plan, labels, r.cells.map((c) => c.candidate))] } : {}),
  }));
  return warning;
}

/** VRAM, residency and latency distribution of replication 1 of up to OVER_TIME_CELLS cells, run again here with their series. */
async function overTimeCharts(file: string, r: SweepResult, labels: string[], shown: string[]): Promise<Chart[]> {
  if (r.cells.length === 0) return [];
  const byP95 = r.cells.map((c) => c.cell).sort((a, b) => (r.cells[a]!.estimates.latency_p95_s?.mean ?? Infinity) - (r.cells[b]!.estimates.latency_p95_s?.mean ?? Infinity) || a - b);
  const half = OVER_TIME_CELLS / 2;
  const chosen = r.cells.length <= OVER_TIME_CELLS ? r.cells.map((c) => c.cell) : [...byP95.slice(0, half), ...byP95.slice(-half)].sort((a, b) => a - b);
  const sc = await loadScenario(file, { axes: r.axes });
  const picked = { ...sc, candidates: chosen.map((i) => sc.candidates[i]!) };
  const results = runScenario(picked, { series: true });
  const names = chosen.map((i) => labels[i]!);
  const runs = chartInputs(picked, results, names);
  const view = runView(picked, results, undefined, names, shown);
  const which = chosen.length === r.cells.length ? 'every cell' : `the ${half} best and ${half} worst cells by p95 (of ${r.cells.length})`;
  const note = (c: Chart): Chart => ({ ...c, title: `${c.title} — replication 1 of ${which}`, howToRead: `${c.howToRead} Drawn for replication 1 (the scenario's own seed) of ${which}.` });
  return [note(occupancyChart(runs, view)), note(residencyChart(runs, view)), note(cdfChart(runs, view))];
}

/** Per cell: the setting (its axis values but rate_scale) and the offered load. */
function loadPoints(r: SweepResult) {
  return r.cells.map((c) => {
    const v = axisValues(c.candidate);
    const rate = Number(v.rate_scale ?? 1);
    const setting = shortLabel(Object.entries(v).filter(([k]) => k !== 'rate_scale').map(([k, x]) => `${k}=${x}`).join(', ')) || 'as written';
    return { setting, rate, p95: c.estimates.latency_p95_s?.mean ?? null, failures: c.estimates.failure_share?.mean ?? 0 };
  });
}

/** Path coordinates to 0.1 px (vega writes 0.001): the same picture in about two thirds of the bytes. */
export function compactPaths(svg: string): string {
  return svg.replace(/ d="([^"]*)"/g, (_, d: string) => ` d="${d.replace(/(\.\d)\d+/g, '$1')}"`);
}

/** Writes each chart as charts/ID.svg and, with DejaVu fonts, charts/ID.png; returns them and any font warning. */
export async function renderCharts(dir: string, charts: Chart[], opts: ChartOptions = {}) {
  const png = opts.png !== false;
  const fonts = png ? fontFiles() : null;
  mkdirSync(join(dir, 'charts'), { recursive: true });
  const rendered = [];
  // PNGs are drawn on the thread pool while the next chart is laid out.
  const pngs: Promise<void>[] = [];
  // Every chart is laid out at once on the charting threads (chart-pool.ts), in order of the list.
  const svgs = charts.map((chart) => chartSvg(chart.spec));
  for (const s of svgs) s.catch(() => {}); // the first failure is thrown below, in order; the rest are not unhandled
  for (let i = 0; i < charts.length; i++) {
    const chart = charts[i]!;
    const svg = compactPaths(await svgs[i]!);
    writeFileSync(join(dir, 'charts', `${chart.id}.svg`), svg);
    if (fonts) pngs.push(toPngAsync(svg, fonts).then((png) => writeFileSync(join(dir, 'charts', `${chart.id}.png`), png)));
    rendered.push({ chart, svg });
  }
  await Promise.all(pngs);
  return { rendered, warning: fonts || !png ? null : 'DejaVu Sans not found (Debian: fonts-dejavu-core): wrote the charts as SVG only' };
}
