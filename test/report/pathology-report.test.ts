/**
 * The advisor issue's three-model world (spec §6.2 #18, ollama#17408): clients
 * send 2m / 17m / 13m per model on one 24 GiB GPU and p95 climbs past 10,000 s.
 * The report must say why, from the detector's summary field and hang events.
 * Runs once the detector (hang_start / hang_end events) is in this build.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { EVENT_NAMES } from '../../src/events/index.js';
import { loadScenario } from '../../src/io/load-scenario.js';
import { writeReport } from '../../src/io/report-files.js';
import { runScenario } from '../../src/sim/run-scenario.js';

export const RESURRECTION_WORLD = `name: resurrection hang
seed: 1
server: { OLLAMA_NUM_PARALLEL: 2 }
host: { gpu: rtx-4090 }
models:
  llama3.1:8b: { keep_alive: 2m }
  qwen2.5-coder:14b: { keep_alive: 17m }
  mistral-small:22b: { keep_alive: 13m }
workload:
  synthetic:
    length: 3h
    models:
      llama3.1:8b: { rate: 240/h, prompt_tokens: 500, output_tokens: 200 }
      qwen2.5-coder:14b: { rate: 120/h, process: onoff, on: 10m, off: 20m, prompt_tokens: 500, output_tokens: 200 }
      mistral-small:22b: { rate: 30/h, prompt_tokens: 500, output_tokens: 200 }
`;

test('the world reproduces the hang: p95 above 10,000 s', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-hang-'));
  writeFileSync(join(dir, 's.yaml'), RESURRECTION_WORLD);
  const [r] = runScenario(await loadScenario(join(dir, 's.yaml')));
  expect(r!.summary.latency_p95_s).toBeGreaterThan(10_000);
});

test.runIf(EVENT_NAMES.includes('hang_start'))('a run that hits the resurrection hang names it in report.html, with counts, and marks it on the timeline', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-hang-'));
  writeFileSync(join(dir, 's.yaml'), RESURRECTION_WORLD);
  const sc = await loadScenario(join(dir, 's.yaml'));
  const results = runScenario(sc, { series: true });
  const found = results[0]!.summary.pathologies?.find((p) => p.kind === 'resurrection');
  expect(found?.requests).toBeGreaterThan(0);
  await writeReport(join(dir, 'out'), sc, results, RESURRECTION_WORLD);
  const html = readFileSync(join(dir, 'out', 'report.html'), 'utf8');
  expect(html).toContain('<h2>Scheduler pathologies</h2>');
  expect(html).toContain(`<td class="left">resurrection hang</td><td class="left">ollama#17408</td><td>${found!.requests}</td>`);
  expect(html).toContain('scheduler stalled'); // the residency chart's row
  const timeline = JSON.parse(readFileSync(join(dir, 'out', 'timeline.json'), 'utf8'));
  expect(timeline.traceEvents.some((e: { name: string; ph: string }) => e.name === 'resurrection' && e.ph === 'X')).toBe(true);
});
