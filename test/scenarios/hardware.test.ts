/**
 * Issue "Hardware and models": catalogue GPUs and models, Ollama's memory
 * estimate (spec §5.4) and load times from storage and the page cache, through
 * the same loader and runner as the CLI.
 */
import { describe, expect, test } from 'vitest';
import { msg } from '../../src/diag/index.js';
import { GPUS } from '../../src/hardware/gpus.js';
import { only } from '../helpers/record.js';
import { run1 } from '../helpers/run-yaml.js';

const cold8b = 1 + 4.9e9 / 6e9; // runner start + file ÷ NVMe
const warm8b = 1 + 4.9e9 / 15e9; // … ÷ page cache

describe('catalogue hosts and models', () => {
  test('8B Q4 on an 80 GiB A100: P = 22.56 GiB (§5.4 worked example), cold load from NVMe', async () => {
    const r = await run1(`
host: { gpu: a100-80gb, storage: nvme, ram: 64GiB }
models: { llama3.1:8b: {} }
workload: { requests: [ { at: 0, model: llama3.1:8b, duration: 2 } ] }
`);
    expect(r.result.summary.vram_peak_gib).toBeCloseTo(22.56, 2);
    expect(r.requests.get('1')!.start).toBeCloseTo(cold8b, 6);
  });

  test('a reload while the file is still in the page cache is faster than the first load; NFS is slower', async () => {
    const base = (storage: string) => `
host: { gpu: rtx-4090, storage: ${storage} }
models: { llama3.1:8b: {} }
workload:
  requests:
    - { at: 0, model: llama3.1:8b, duration: 1, keep_alive: 0 }
    - { at: 100, model: llama3.1:8b, duration: 1 }
`;
    const nvme = await run1(base('nvme'));
    const loads = only(nvme.events, 'load_start', 'load_end').map((e) => e[0]);
    expect(loads[1]! - loads[0]!).toBeCloseTo(cold8b, 6);
    expect(loads[3]! - loads[2]!).toBeCloseTo(warm8b, 6);
    const nfs = await run1(base('nfs'));
    const nfsLoads = only(nfs.events, 'load_start', 'load_end').map((e) => e[0]);
    expect(nfsLoads[1]! - nfsLoads[0]!).toBeCloseTo(1 + 4.9e9 / 0.23e9, 6);
  });

  test('the page cache forgets a file pushed out by others when RAM is short', async () => {
    const r = await run1(`
host: { gpu: a100-80gb, storage: nvme, ram: 8GiB }
models: { llama3.1:8b: { num_ctx: 4096 }, qwen2.5:7b: { num_ctx: 4096 } }
workload:
  requests:
    - { at: 0, model: llama3.1:8b, duration: 1, keep_alive: 0 }
    - { at: 10, model: qwen2.5:7b, duration: 1, keep_alive: 0 }
    - { at: 20, model: llama3.1:8b, duration: 1, keep_alive: 0 }
`);
    const t = only(r.events, 'load_start', 'load_end').map((e) => e[0]);
    expect(t[5]! - t[4]!).toBeCloseTo(cold8b, 6); // 4.9 + 4.7 GB > 8 GiB: llama's file was evicted
  });

  test('two RTX 4090s: the 128k-context 8B fits no single GPU at 80 %, so it is split over both (§5.5)', async () => {
    const r = await run1(`
host: { gpu: rtx-4090, count: 2 }
models: { llama3.1:8b: {} }
workload: { requests: [ { at: 0, model: llama3.1:8b, duration: 1 } ] }
`);
    expect(r.result.summary.vram_peak_gib).toBeCloseTo(22.56, 2);
    expect(r.result.summary.ok).toBe(1);
  });

  test('sizes given in the scenario win: vram is P and the actual VRAM (core contract)', async () => {
    const r = await run1(`
host: { gpu: rtx-4090 }
models: { llama3.1:8b: { vram: 6.2GiB, load: 8s } }
workload: { requests: [ { at: 0, model: llama3.1:8b, duration: 1 } ] }
`);
    expect(r.result.summary.vram_peak_gib).toBeCloseTo(6.2, 6);
    expect(r.requests.get('1')!.start).toBe(8);
  });

  test('unknown GPU and model names exit with the nearest names', async () => {
    await expect(run1(`
host: { gpu: rtx4090 }
models: { llama3.1:8b: {} }
workload: { requests: [] }
`)).rejects.toThrow(`host.gpu: ${msg.unknownCatalogue('GPU', 'rtx4090', GPUS.map((g) => g.id))[0]} (did you mean rtx-4090?)`);
    await expect(run1(`
host: { gpu: rtx-4090 }
models: { llama3.1:7b: {} }
workload: { requests: [] }
`)).rejects.toThrow(/models.llama3.1:7b: "llama3.1:7b" is not in the model catalogue, so it needs vram and load \(did you mean llama3.1:8b\?/);
  });
});

describe('§9.7 unified memory', () => {
  const scenario = (host: string) => `
host: ${host}
models: { A: { vram: 20GiB, load: 1s }, B: { vram: 17GiB, load: 1s } }
warm: [ A ]
workload: { requests: [ { at: 0, model: B, duration: 1 } ] }
`;
  test('free system RAM caps what the GPU can take: the clamp alone evicts the only idle model', async () => {
    const apple = await run1(scenario('{ gpu: m4-max, ram: 40GiB }'));
    expect(only(apple.events, 'mark')).toEqual([[0, 'mark', 'A', '', 'evicted']]);
    const discrete = await run1(scenario('{ gpus: [ { vram: 96GiB } ], ram: 40GiB }'));
    expect(only(discrete.events, 'mark')).toEqual([]);
    const igpu = await run1(scenario('{ gpus: [ { vram: 96GiB } ], ram: 40GiB, unified: true }'));
    expect(only(igpu.events, 'mark')).toEqual([[0, 'mark', 'A', '', 'evicted']]);
  });
});

describe('spec scenario 26 and explicit num_gpu (§5.2c)', () => {
  test('num_gpu 0: the model loads on the CPU alongside, with no check, and counts toward the cap', async () => {
    const r = await run1(`
host: { gpus: [ { vram: 24GiB } ] }
server: { OLLAMA_MAX_LOADED_MODELS: 2 }
models: { A: { vram: 20GiB, load: 1s }, C: { vram: 40GiB, load: 1s, num_gpu: 0 }, D: { vram: 1GiB, load: 1s } }
warm: [ A ]
workload:
  requests:
    - { at: 0, model: C, duration: 1 }
    - { at: 10, model: D, duration: 1 }
`);
    expect(only(r.events, 'mark', 'load_start')).toEqual([
      [0, 'load_start', 'A', '', ''], [0, 'load_start', 'C', '1', ''], [10, 'mark', 'A', '', 'evicted'], [11, 'load_start', 'D', '2', ''],
    ]);
  });

  test('an explicit partial num_gpu skips the pre-flight; without it the same model would evict', async () => {
    const yaml = (numGpu: string) => `
host: { gpus: [ { vram: 24GiB } ] }
models: { A: { vram: 10GiB, load: 1s }, llama3.1:8b: { num_ctx: 4096${numGpu} } }
warm: [ A ]
workload: { requests: [ { at: 0, model: llama3.1:8b, duration: 1 } ] }
`;
    expect(only((await run1(yaml(''))).events, 'mark')).toEqual([]);
    const big = (n: string) => yaml(n).replace('A: { vram: 10GiB', 'A: { vram: 20GiB');
    expect(only((await run1(big(''))).events, 'mark')).toEqual([[0, 'mark', 'A', '', 'evicted']]);
    expect(only((await run1(big(', num_gpu: 16'))).events, 'mark')).toEqual([]);
  });
});

describe('spec scenario 30: multi-GPU placement (§5.5)', () => {
  const two = (extra: string, models: string, reqs: string) => `
host: { gpus: [ { vram: 80GiB }, { vram: 80GiB } ] }
${extra}
models: { ${models} }
workload:
  requests:
${reqs}
`;
  test('A=50 goes on GPU0 and B=50 on GPU1, so both stay; a third 50 no longer fits anywhere and evicts', async () => {
    const r = await run1(two('', 'A: { vram: 50GiB, load: 1s }, B: { vram: 50GiB, load: 1s }, C: { vram: 50GiB, load: 1s }',
      '    - { at: 0, model: A, duration: 1 }\n    - { at: 10, model: B, duration: 1 }\n    - { at: 20, model: C, duration: 1 }'));
    expect(only(r.events, 'mark')).toEqual([[20, 'mark', 'A', '', 'evicted']]);
  });

  test('D=100 on empty GPUs fits no single GPU: split over both, first model, no pre-flight', async () => {
    const r = await run1(two('', 'D: { vram: 100GiB, load: 1s }', '    - { at: 0, model: D, duration: 1 }'));
    expect(r.result.summary).toMatchObject({ ok: 1, vram_peak_gib: 100 });
  });

  // With OLLAMA_SCHED_SPREAD every model is split over both GPUs: the shares are pinned in test/unit/ollama/placement.test.ts.

});

describe('answer time: parallel streams and CPU offload stretch token-sized requests (field-notes §5)', () => {
  const base = (model: string, extra = '') => `
host: { gpu: rtx-4090 }
server: { OLLAMA_NUM_PARALLEL: 2 }
models: { ${model}: { load: 1s${extra} } }
warm: [ ${model} ]
workload:
  requests:
    - { at: 0, model: ${model}, prompt_tokens: 1000, output_tokens: 200 }
    - { at: 0.1, model: ${model}, prompt_tokens: 1000, output_tokens: 200 }
    - { at: 100, model: ${model}, duration: 2 }
    - { at: 100.1, model: ${model}, duration: 2 }
`;
  test('the second of two streams runs at n^-0.59 of the single-stream rate; explicit durations do not stretch', async () => {
    const r = await run1(base('llama3.1:8b', ', num_ctx: 4096'));
    const alone = 1000 / 6898.71 + 200 / 127.74;
    const q = (id: string) => r.requests.get(id)!;
    expect(q('1').end! - q('1').start!).toBeCloseTo(alone, 5);
    expect(q('2').end! - q('2').start!).toBeCloseTo(alone * 2 ** 0.59, 4);
    expect(q('4').end! - q('4').start!).toBeCloseTo(2, 9);
  });

  test('a model partly offloaded to the CPU answers slower', async () => {
    const fits = await run1(base('llama3.1:8b', ', num_ctx: 4096'));
    const offloaded = await run1(base('llama3.1:8b', ', num_ctx: 4096, num_gpu: 16'));
    const t = (r: typeof fits) => r.requests.get('1')!.end! - r.requests.get('1')!.start!;
    expect(t(offloaded)).toBeGreaterThan(t(fits) * 1.5);
  });
});
