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

test('every catalogue entry names its source and lists in the tables', () => {
  for (const g of GPUS) expect(g.source.length).toBeGreaterThan(10);
  expect(gpusText(GPUS).split('\n').length).toBeGreaterThan(GPUS.length);
  expect(modelsText(MODELS)).toContain('nomic-embed-text');
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
