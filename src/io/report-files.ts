import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedScenario } from '../config/types.js';
import { allCharts, type Chart, type ChartInput, offeredLoadChart, sweepLatencyChart, tradeOffChart } from '../report/charts.js';
import { axisValues } from '../plan/plan.js';
import type { SweepResult } from '../plan/sweep.js';
import type { CandidateSummary } from '../metrics/index.js';
import { reportHtml } from '../report/html.js';
import { sweepModelLatencyChart } from '../report/sweep-charts.js';
import { comparesVersions, versionChart } from '../report/version-charts.js';
import { chromeTrace } from '../report/timeline.js';
import type { CandidateResult } from '../sim/run-scenario.js';
import { fontFiles, toPngAsync, toSvg } from './render-charts.js';

/**
 * The design-review outputs of `ollamasim run --out DIR`: report.html (one
 * self-contained file), charts/*.svg and *.png, and timeline.json. Returns a
 * warning when PNGs could not be drawn (no DejaVu fonts on this machine).
 */
export async function writeReport(dir: string, sc: ResolvedScenario, results: CandidateResult[], scenarioText: string, opts: ChartOptions = {}): Promise<string | null> {
  const runs: ChartInput[] = results.map((r) => ({
    candidate: r.summary.candidate, summary: r.summary, occupancy: r.occupancy!, keyNames: r.keyNames!, latencyCdf: r.latencyCdf!,
    ...(r.gpuMemory ? { gpuMemory: r.gpuMemory } : {}),
  }));
  const capacity = sc.candidates[0]!.host.gpus.reduce((a, b) => a + b, 0);
  const charts = allCharts(runs, capacity);
  if (comparesVersions(runs.map((r) => r.summary))) charts.push(versionChart(runs.map((r) => r.summary)));
  const { rendered, warning } = await renderCharts(dir, charts, opts);
  writeFileSync(join(dir, 'report.html'), reportHtml(sc.name, results.map((r) => r.summary), rendered, scenarioText));
  writeFileSync(join(dir, 'timeline.json'), JSON.stringify(chromeTrace(runs)) + '\n');
  return warning;
}

/** A sweep's report: the table of means, p95 with confidence whiskers, and the cold-start/idle trade-off. */
export async function writeSweepReport(dir: string, r: SweepResult, scenarioText: string, opts: ChartOptions = {}): Promise<string | null> {
  const means = r.cells.map((c) => ({
    ...c.runs[0]!, ...Object.fromEntries(Object.entries(c.estimates).map(([k, e]) => [k, e.mean])),
  }) as CandidateSummary);
  const p95 = r.cells.map((c) => ({ candidate: c.candidate, mean: c.estimates.latency_p95_s?.mean ?? 0, ci95: c.estimates.latency_p95_s?.ci95 ?? 0 }));
  const models = Object.keys(r.cells[0]?.runs[0]?.models ?? {});
  const charts = [sweepLatencyChart(p95, r.replications), sweepModelLatencyChart(r.cells, models, r.replications), tradeOffChart(means.map((s) => ({ candidate: s.candidate, summary: s } as ChartInput)))];
  if (r.axes.some((a) => a.key === 'rate_scale')) charts.push(offeredLoadChart(loadPoints(r)));
  if (comparesVersions(means)) charts.push(versionChart(means));
  const { rendered, warning } = await renderCharts(dir, charts, opts);
  writeFileSync(join(dir, 'report.html'), reportHtml(`${r.scenario}: sweep of ${r.cells.length} cells × ${r.replications} replication(s) (means)`, means, rendered, scenarioText));
  return warning;
}

/** Per cell: the setting (its axis values but rate_scale) and the offered load. */
function loadPoints(r: SweepResult) {
  return r.cells.map((c) => {
    const v = axisValues(c.candidate);
    const rate = Number(v.rate_scale ?? 1);
    const setting = Object.entries(v).filter(([k]) => k !== 'rate_scale').map(([k, x]) => `${k}=${x}`).join(', ') || 'as written';
    return { setting, rate, p95: c.estimates.latency_p95_s?.mean ?? null, failures: c.estimates.failure_share?.mean ?? 0 };
  });
}

export interface ChartOptions {
  /** false: SVG only (`--no-png`: the PNGs are drawn from the SVGs, and take most of a report's time). */
  png?: boolean;
}

/** Writes each chart as charts/ID.svg and, with DejaVu fonts, charts/ID.png; returns them and any font warning. */
export async function renderCharts(dir: string, charts: Chart[], opts: ChartOptions = {}) {
  const png = opts.png !== false;
  const fonts = png ? fontFiles() : null;
  mkdirSync(join(dir, 'charts'), { recursive: true });
  const rendered = [];
  // PNGs are drawn on the thread pool while the next chart is laid out.
  const pngs: Promise<void>[] = [];
  for (const chart of charts) {
    const svg = await toSvg(chart.spec);
    writeFileSync(join(dir, 'charts', `${chart.id}.svg`), svg);
    if (fonts) pngs.push(toPngAsync(svg, fonts).then((png) => writeFileSync(join(dir, 'charts', `${chart.id}.png`), png)));
    rendered.push({ chart, svg });
  }
  await Promise.all(pngs);
  return { rendered, warning: fonts || !png ? null : 'DejaVu Sans not found (Debian: fonts-dejavu-core): wrote the charts as SVG only' };
}
