/**
 * Regenerates the example outputs the README links: for every bundled
 * scenario, reports/<scenario>/summary.json, comparison.txt (the table
 * `ollamasim run` prints) and advice.txt (`ollamasim advise`: the practice's
 * setting against the advisor's). Run with `npm run reports`.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../src/io/load-scenario.js';
import { writeSummary } from '../src/io/run-outputs.js';
import { comparisonTable } from '../src/report/table.js';
import { runScenario } from '../src/sim/run-scenario.js';
import { advise } from '../src/plan/advise.js';
import { adviceText } from '../src/report/advice.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const scenarios = readdirSync(join(root, 'scenarios')).filter((f) => f.endsWith('.yaml')).sort();

for (const file of scenarios) {
  const sc = await loadScenario(join('scenarios', file));
  const summaries = runScenario(sc).map((r) => r.summary);
  const dir = join(root, 'reports', basename(file, '.yaml'));
  mkdirSync(dir, { recursive: true });
  writeSummary(dir, sc, summaries);
  writeFileSync(join(dir, 'comparison.txt'), `${sc.name}: ${sc.trace.length} requests\n\n${comparisonTable(summaries)}`);
  writeFileSync(join(dir, 'advice.txt'), `${sc.name}: the keep-alive advisor (ollamasim advise)\n\n${adviceText(advise(sc))}`);
  console.log(`reports/${basename(file, '.yaml')}: ${summaries.length} candidates`);
}
