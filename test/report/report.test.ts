/**
 * The design-review report: charts as data rendered to SVG and PNG with
 * visible text, one self-contained HTML file with every user string escaped.
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadScenario } from '../../src/io/load-scenario.js';
import { fontFiles } from '../../src/io/render-charts.js';
import { writeReport } from '../../src/io/report-files.js';
import { escapeHtml } from '../../src/report/html.js';
import { runScenario } from '../../src/sim/run-scenario.js';

const EVIL = '<img src=x onerror=alert(1)>';

async function report(yaml: string) {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-report-'));
  writeFileSync(join(dir, 's.yaml'), yaml);
  const sc = await loadScenario(join(dir, 's.yaml'));
  const results = runScenario(sc, { series: true });
  const warning = await writeReport(join(dir, 'out'), sc, results, yaml);
  return { dir: join(dir, 'out'), warning, results };
}

const SCENARIO = `name: "report ${EVIL}"
host: { gpus: [ { vram: 24GiB } ] }
models: { "${EVIL}": { vram: 10GiB, load: 5s }, b: { vram: 16GiB, load: 8s } }
workload:
  synthetic:
    length: 4h
    models:
      "${EVIL}": { rate: 20/h, duration: 10 }
      b: { rate: 5/h, duration: 30 }
candidates:
  - { name: "keep 5m ${EVIL}", server: { OLLAMA_KEEP_ALIVE: 5m } }
  - { name: keep forever, server: { OLLAMA_KEEP_ALIVE: "-1" } }
`;

describe('report.html and charts', () => {
  test('every user-supplied string is escaped: a model named like markup renders as text', async () => {
    const { dir } = await report(SCENARIO);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).not.toContain(EVIL);
    expect(html).toContain(escapeHtml(EVIL));
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="https?:/i); // no network
  });

  test('five charts as SVG with their text, PNGs drawn with explicit fonts, and a Chrome trace', async () => {
    const { dir, warning, results } = await report(SCENARIO.replaceAll(EVIL, 'a'));
    for (const id of ['latency', 'models', 'vram', 'tradeoff', 'cdf', 'residency', 'gpus']) {
      const svg = readFileSync(join(dir, 'charts', `${id}.svg`), 'utf8');
      expect(svg).toMatch(/<svg/);
      expect(svg).toContain('keep forever'); // text survives (a legend or an axis label)
      if (fontFiles()) expect(readFileSync(join(dir, 'charts', `${id}.png`)).length).toBeGreaterThan(10_000);
    }
    expect(warning === null).toBe(fontFiles() !== null);
    const trace = JSON.parse(readFileSync(join(dir, 'timeline.json'), 'utf8'));
    expect(trace.traceEvents.some((e: { ph: string; name: string }) => e.ph === 'X' && e.name === 'busy')).toBe(true);
    expect(results[0]!.latencyCdf).toHaveLength(101);
    expect(existsSync(join(dir, 'report.html'))).toBe(true);
  });
});

test('memory per GPU over time: two 50 GiB models on two 80 GiB GPUs land one on each (spec §5.5)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-gpus-'));
  writeFileSync(join(dir, 's.yaml'), `
host: { gpus: [ { vram: 80GiB }, { vram: 80GiB } ] }
models: { A: { vram: 50GiB, load: 1s }, B: { vram: 50GiB, load: 1s } }
workload: { requests: [ { at: 0, model: A, duration: 1, keep_alive: -1 }, { at: 10, model: B, duration: 1, keep_alive: -1 }, { at: 3600, model: A, duration: 1 } ] }
`);
  const [r] = runScenario(await loadScenario(join(dir, 's.yaml')), { series: true });
  const g = r!.gpuMemory!;
  const last = g.buckets - 1;
  expect(g.gpus).toBe(2);
  expect(g.bytes[last * 2]! / 2 ** 30).toBeCloseTo(50, 6);
  expect(g.bytes[last * 2 + 1]! / 2 ** 30).toBeCloseTo(50, 6);
});
