/**
 * The per-version chart (src/report/version-charts.ts) and `explain` naming the
 * version and era: present only when candidates run different Ollama versions.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadScenario } from '../../src/io/load-scenario.js';
import { writeReport } from '../../src/io/report-files.js';
import { explainText } from '../../src/report/explain.js';
import { comparesVersions, versionChart } from '../../src/report/version-charts.js';
import { explainScenario } from '../../src/sim/explain.js';
import { runScenario } from '../../src/sim/run-scenario.js';

const yaml = (candidates: string) => `
host: { gpus: [ { vram: 24GiB } ] }
server: { OLLAMA_MAX_QUEUE: 2 }
models: { a: { vram: 10GiB, load: 5s }, b: { vram: 16GiB, load: 8s } }
workload:
  synthetic:
    length: 2h
    models: { a: { rate: 60/h, duration: 10 }, b: { rate: 10/h, duration: 30 } }
candidates:
${candidates}`;
const TWO = `  - { name: old, server: { version: "0.6.8" } }\n  - { name: new }\n`;

async function load(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-versions-'));
  writeFileSync(join(dir, 's.yaml'), text);
  return { dir, sc: await loadScenario(join(dir, 's.yaml')) };
}

describe('the per-version chart', () => {
  test('p95, 503s and loads for each candidate, labelled with version and era', async () => {
    const { sc } = await load(yaml(TWO));
    const summaries = runScenario(sc).map((r) => r.summary);
    expect(comparesVersions(summaries)).toBe(true);
    const values = (versionChart(summaries).spec.data as { values: { candidate: string; metric: string; value: number }[] }).values;
    expect(values.map((v) => [v.candidate, v.metric])).toEqual([
      ['old (0.6.8, E1)', 'p95 latency (s)'], ['old (0.6.8, E1)', '503s (queue full)'], ['old (0.6.8, E1)', 'loads'],
      ['new (0.32.15, E3)', 'p95 latency (s)'], ['new (0.32.15, E3)', '503s (queue full)'], ['new (0.32.15, E3)', 'loads'],
    ]);
    expect(values[2]!.value).toBe(summaries[0]!.loads);
    expect(values[1]!.value).toBe(summaries[0]!.rejected_503);
  });

  test('written by the report only when the versions differ', async () => {
    const two = await load(yaml(TWO));
    await writeReport(join(two.dir, 'out'), two.sc, runScenario(two.sc, { series: true }), '');
    expect(readFileSync(join(two.dir, 'out', 'charts', 'versions.svg'), 'utf8')).toContain('0.6.8, E1');
    const same = await load(yaml(`  - { name: x }\n  - { name: y, server: { OLLAMA_KEEP_ALIVE: 0 } }\n`));
    await writeReport(join(same.dir, 'out'), same.sc, runScenario(same.sc, { series: true }), '');
    expect(existsSync(join(same.dir, 'out', 'charts', 'versions.svg'))).toBe(false);
  });
});

test('explain names the version and its era, and lists how an older one differs', async () => {
  const { sc } = await load(yaml(TWO));
  const text = explainText(explainScenario(sc));
  expect(text).toContain('Ollama 0.6.8 (era E1), unlike the current version:\n    - no fast path');
  expect(text).toContain('default context tier 4096');
  expect(text).toMatch(/Ollama 0\.32\.15 \(era E3\)\n/);
});
