import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { GPUS } from '../../../src/hardware/gpus.js';
import { MODELS } from '../../../src/hardware/models.js';
import { loadScenario } from '../../../src/io/load-scenario.js';
import { explainText, gpusText, modelsText } from '../../../src/report/explain.js';
import { explainScenario } from '../../../src/sim/explain.js';

const GiB = 2 ** 30;

test('explain: P with its inputs, placement and load times per model', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-explain-'));
  writeFileSync(join(dir, 's.yaml'), `
host: { gpu: rtx-4090, count: 2 }
models: { llama3.1:8b: {}, qwen2.5-coder:14b: { num_ctx: 8192 }, llama3.1:70b: {} }
workload: { requests: [ { at: 0, model: llama3.1:8b, duration: 3 } ] }
`);
  const [c] = explainScenario(await loadScenario(join(dir, 's.yaml')));
  expect(c!.tier).toBe(262144);
  const [small, coder, big] = c!.models;
  expect(small).toMatchObject({ numCtx: 131072, ctxAuto: true, placement: 'split over GPU0+GPU1', fitsAlone: true, medianDuration: 3 });
  expect(small!.p / GiB).toBeCloseTo(22.56, 2);
  expect(coder).toMatchObject({ numCtx: 8192, ctxAuto: false, placement: 'GPU0', surcharge: 768 * 2 ** 20 });
  expect(big!.fitsAlone).toBe(false);
  expect(big!.placement).toMatch(/on the CPU/);
  expect(explainText([c!])).toContain('llama3.1:8b (catalogue)');
});

test('explain: median work per model is each candidate\'s own: the same for settings alone, scaled on another GPU (found once per host speed)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-explain-'));
  writeFileSync(join(dir, 's.yaml'), `
host: { gpu: rtx-4090 }
models: { m: { vram: 6GiB, load: 1s } }
workload: { measured_on: rtx-4090, requests: [ { at: 0, model: m, duration: 10 }, { at: 5, model: m, duration: 20 }, { at: 9, model: m, duration: 40 } ] }
candidates:
  - { name: five minutes, server: { OLLAMA_KEEP_ALIVE: 5m } }
  - { name: at once, server: { OLLAMA_KEEP_ALIVE: "0" } }
  - { name: faster gpu, host: { gpu: h100-sxm } }
  - { name: five minutes again, server: { OLLAMA_KEEP_ALIVE: 5m } }
`);
  const medians = explainScenario(await loadScenario(join(dir, 's.yaml'))).map((c) => c.models[0]!.medianDuration);
  expect(medians[0]).toBe(20);
  expect(medians[1]).toBe(20);
  expect(medians[2]).toBeLessThan(20);
  expect(medians[3]).toBe(20);
});

test('every catalogue entry names its source and lists in the tables', () => {
  for (const g of GPUS) expect(g.source.length).toBeGreaterThan(10);
  expect(gpusText(GPUS).split('\n').length).toBeGreaterThan(GPUS.length);
  expect(modelsText(MODELS)).toContain('nomic-embed-text');
});

async function explainYaml(yaml: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-explain-'));
  writeFileSync(join(dir, 's.yaml'), yaml);
  return explainText(explainScenario(await loadScenario(join(dir, 's.yaml'))));
}

test('explain: arithmetic that adds up, a given size shown as given, once per distinct configuration', async () => {
  const text = await explainYaml(`
host: { gpu: rtx-4090 }
models: { llama3.1:8b: { vram: 6.2GiB }, qwen2.5-coder:14b: {} }
workload: { requests: [ { at: 0, model: llama3.1:8b, duration: 3 } ] }
candidates:
  - { name: keep 5m, server: { OLLAMA_KEEP_ALIVE: 5m } }
  - { name: keep forever, server: { OLLAMA_KEEP_ALIVE: "-1" } }
  - { name: two slots, server: { OLLAMA_NUM_PARALLEL: 2 } }
`);
  // Every "P = a + b + c = d" line adds up.
  for (const m of text.matchAll(/P = file ([\d.]+) GiB \+ KV ([\d.]+) GiB \([^)]*\) \+ batch surcharge ([\d.]+) GiB = ([\d.]+) GiB/g)) {
    expect(Number(m[1]) + Number(m[2]) + Number(m[3])).toBeCloseTo(Number(m[4]), 1);
  }
  expect(text).toContain('P = 6.20 GiB (given in the scenario; the catalogue\'s estimate would be file 4.56 GiB');
  // keep_alive does not change memory: one block for two candidates; NUM_PARALLEL does: a block of its own.
  expect(text).toContain('candidates "keep 5m", "keep forever": GPUs 24.00 GiB');
  expect(text).toContain('candidate "two slots": GPUs 24.00 GiB');
  expect(text.match(/^ {2}qwen2\.5-coder:14b/gm)).toHaveLength(2);
});

test('explain: two models that can never be resident together are named; a bigger GPU takes the line away', async () => {
  const on = (gpu: string) => explainYaml(`
host: { gpu: ${gpu} }
models: { llama3.1:8b: {}, qwen2.5-coder:14b: {} }
workload: { requests: [ { at: 0, model: llama3.1:8b, duration: 3 } ] }
`);
  expect(await on('rtx-4090')).toMatch(/never resident together[^\n]*\n {4}llama3\.1:8b and qwen2\.5-coder:14b: 9\.31 GiB \+ 15\.13 GiB = 24\.4\d GiB > 24\.00 GiB \(at the 32768 default context\)/);
  expect(await on('a100-80gb')).not.toContain('never resident together');
});

test('explain: memory other processes hold lowers free memory, and a real footprint above it is flagged as a load OOM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-explain-'));
  writeFileSync(join(dir, 's.yaml'), `
host: { gpus: [ { vram: 24GiB, reserved: 2GiB } ] }
models: { big: { vram: 23GiB, p: 17GiB, load: 5s }, small: { vram: 4GiB, load: 1s } }
workload: { requests: [] }
candidates: [ { name: desktop }, { name: no desktop, host: { reserved: 0GiB } } ]
`);
  const [desktop, alone] = explainScenario(await loadScenario(join(dir, 's.yaml')));
  expect(desktop!.reserved).toEqual([2 * GiB]);
  expect(desktop!.models.map((m) => m.oomAlone)).toEqual([true, false]);
  expect(alone!.models.map((m) => m.oomAlone)).toEqual([false, false]);
  const text = explainText([desktop!]);
  expect(text).toContain('held by other processes: 2.00 GiB; free on an empty host 22.00 GiB');
  expect(text).toContain('even alone the load runs out of memory (Ollama retries once at a cut automatic context)');
});
