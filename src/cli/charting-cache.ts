/**
 * `npm run build` step, run from the bundle (src/cli/bundle.ts): draws the
 * bundled default scenario's charts with the bundled charting stack, then
 * saves V8's compiled code for it (io/charting-stack.ts). A later run's
 * charting thread then starts from that code instead of compiling vega's
 * functions as its first charts call them. Nothing is written if the stack
 * or the scenario is missing; charts are drawn the same either way.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../io/load-scenario.js';
import { runCharts } from '../io/report-files.js';
import { toSvg } from '../io/render-charts.js';
import { writeChartingCache } from '../io/charting-stack.js';
import { runScenario } from '../sim/run-scenario.js';

const scenario = fileURLToPath(new URL('../../../scenarios/default.yaml', import.meta.url));
if (existsSync(scenario)) {
  const sc = await loadScenario(scenario);
  const results = runScenario(sc, { series: true });
  for (const chart of runCharts(sc, results)) await toSvg(chart.spec);
  if (!writeChartingCache()) process.stderr.write('charting cache: the charting stack was not loaded from the bundle; no cache written\n');
}
