/**
 * Regenerates the example outputs the README links (`npm run reports`): for
 * every bundled scenario, reports/<scenario>/ with report.html, charts/*.svg and
 * *.png, timeline.json, summary.json, comparison.txt (the table `ollamasim run`
 * prints) and advice.txt (`ollamasim advise`: the practice's setting against the
 * advisor's); reports/keepalive/, the default scenario swept over
 * OLLAMA_KEEP_ALIVE = 0, 1m, 5m, 30m, -1; and reports/offered-load/, three of those
 * settings against rate_scale 0.5–8; reports/versions/, the default scenario under
 * Ollama 0.6.8, 0.11.4, 0.20.0 and 0.32.15 (server.version).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSweep } from '../src/cli/sweep-pool.js';
import { InputError, msg } from '../src/diag/index.js';
import { loadScenario } from '../src/io/load-scenario.js';
import { writeReport, writeSweepReport } from '../src/io/report-files.js';
import { writeSummary } from '../src/io/run-outputs.js';
import { writeSweep } from '../src/io/sweep-outputs.js';
import { writeWhatIfPage } from '../src/io/whatif-page.js';
import { advise } from '../src/plan/advise.js';
import { adviceText } from '../src/report/advice.js';
import { comparisonTable } from '../src/report/table.js';
import { runScenario } from '../src/sim/run-scenario.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const scenarios = readdirSync(join(root, 'scenarios')).filter((f) => f.endsWith('.yaml')).sort();

for (const file of scenarios) {
  const path = join('scenarios', file);
  const sc = await loadScenario(path).catch((e: unknown) => {
    // A scenario over public traces the repo does not ship (e.g. the whole Azure files): skip it, saying which and where.
    if (e instanceof InputError && e.line === 0 && e.file !== path && e.diagnostic.problem === msg.cannotRead('ENOENT')[0]) {
      console.log(`reports/${basename(file, '.yaml')}: skipped, its trace ${e.file} is absent (download it as ${path}'s header and the README's "Public traces" say)`);
      return null;
    }
    throw e;
  });
  if (!sc) continue;
  const results = runScenario(sc, { series: true });
  const summaries = results.map((r) => r.summary);
  const dir = join(root, 'reports', basename(file, '.yaml'));
  mkdirSync(dir, { recursive: true });
  writeSummary(dir, sc, summaries);
  await writeReport(dir, sc, results, readFileSync(path, 'utf8'));
  writeFileSync(join(dir, 'comparison.txt'), `${sc.name}: ${sc.trace.length} requests\n\n${comparisonTable(summaries)}`);
  writeFileSync(join(dir, 'advice.txt'), `${sc.name}: the keep-alive advisor (ollamasim advise)\n\n${adviceText(advise(sc))}`);
  console.log(`reports/${basename(file, '.yaml')}: ${summaries.length} candidates`);
}

const axes = [{ key: 'OLLAMA_KEEP_ALIVE', values: [0, '1m', '5m', '30m', -1] }];
const sweep = await runSweep('scenarios/default.yaml', { axes, replications: 5 });
const out = join(root, 'reports', 'keepalive');
writeSweep(out, sweep);
await writeSweepReport(out, sweep, readFileSync('scenarios/default.yaml', 'utf8'));
console.log(`reports/keepalive: ${sweep.cells.length} cells × ${sweep.replications} replications`);

const load = await runSweep('scenarios/default.yaml', {
  axes: [{ key: 'OLLAMA_KEEP_ALIVE', values: [0, '5m', -1] }, { key: 'rate_scale', values: [0.5, 1, 2, 4, 8] }],
  replications: 1,
});
const loadDir = join(root, 'reports', 'offered-load');
writeSweep(loadDir, load);
await writeSweepReport(loadDir, load, readFileSync('scenarios/default.yaml', 'utf8'));
console.log(`reports/offered-load: ${load.cells.length} cells`);

// The same traffic under each era's profile version and an E1 boundary (src/ollama/versions.ts).
const versions = await runSweep('scenarios/default.yaml', {
  axes: [{ key: 'server.version', values: ['0.6.8', '0.11.4', '0.20.0', '0.32.15'] }],
  replications: 3,
});
const versionsDir = join(root, 'reports', 'versions');
writeSweep(versionsDir, versions);
await writeSweepReport(versionsDir, versions, readFileSync('scenarios/default.yaml', 'utf8'));
console.log(`reports/versions: ${versions.cells.length} cells × ${versions.replications} replications`);

// The what-if page of the default scenario: reports/default/whatif.html (ollamasim run --whatif).
const page = await loadScenario('scenarios/default.yaml');
await writeWhatIfPage(join(root, 'reports', 'default'), page, readFileSync('scenarios/default.yaml', 'utf8'));
console.log('reports/default/whatif.html');
