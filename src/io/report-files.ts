import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedScenario } from '../config/types.js';
import { allCharts, type ChartInput } from '../report/charts.js';
import { reportHtml } from '../report/html.js';
import { chromeTrace } from '../report/timeline.js';
import type { CandidateResult } from '../sim/run-scenario.js';
import { fontFiles, toPng, toSvg } from './render-charts.js';

/**
 * The design-review outputs of `ollamasim run --out DIR`: report.html (one
 * self-contained file), charts/*.svg and *.png, and timeline.json. Returns a
 * warning when PNGs could not be drawn (no DejaVu fonts on this machine).
 */
export async function writeReport(dir: string, sc: ResolvedScenario, results: CandidateResult[], scenarioText: string): Promise<string | null> {
  const runs: ChartInput[] = results.map((r) => ({
    candidate: r.summary.candidate, summary: r.summary, occupancy: r.occupancy!, keyNames: r.keyNames!, latencyCdf: r.latencyCdf!,
  }));
  const capacity = sc.candidates[0]!.host.gpus.reduce((a, b) => a + b, 0);
  const charts = allCharts(runs, capacity);
  const fonts = fontFiles();
  mkdirSync(join(dir, 'charts'), { recursive: true });
  const rendered = [];
  for (const chart of charts) {
    const svg = await toSvg(chart.spec);
    writeFileSync(join(dir, 'charts', `${chart.id}.svg`), svg);
    if (fonts) writeFileSync(join(dir, 'charts', `${chart.id}.png`), toPng(svg, fonts));
    rendered.push({ chart, svg });
  }
  writeFileSync(join(dir, 'report.html'), reportHtml(sc.name, results.map((r) => r.summary), rendered, scenarioText));
  writeFileSync(join(dir, 'timeline.json'), JSON.stringify(chromeTrace(runs)) + '\n');
  return fonts ? null : 'DejaVu Sans not found (Debian: fonts-dejavu-core): wrote the charts as SVG only';
}
