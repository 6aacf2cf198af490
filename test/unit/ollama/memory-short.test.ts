/**
 * Unit tests for the rules that decide what happens when memory runs short
 * (spec §5.2c, §5.4–5.6): each cites the sched.go lines its rule file mirrors.
 */
import { describe, expect, test } from 'vitest';
import { reducedAutoNumCtx, runsOutOfMemory } from '../../../src/ollama/load-oom.js';
import { automaticGenerationBatch } from '../../../src/ollama/generation-batch.js';
import { gpuFraction, modelFit } from '../../../src/ollama/model-fit.js';
import { numParallelFor } from '../../../src/ollama/num-parallel.js';
import { requestContext } from '../../../src/ollama/needs-reload.js';
import { parseServerEnv } from '../../../src/ollama/envconfig.js';
import { type Fit, selectPlacement } from '../../../src/ollama/placement.js';
import type { SchedModel } from '../../../src/ollama/types.js';

const G = 2 ** 30;
const used = (...gib: number[]) => Float64Array.from(gib, (g) => g * G);
/** Estimate `p` GiB, real footprint `actual` GiB. */
const fit = (p: number, actual = p): Fit => ({ predicted: p * G, surcharge: () => 0, actual: () => actual * G });
const env = parseServerEnv({}, () => {});
const model = (over: Partial<SchedModel> = {}): SchedModel => ({
  name: 'A', key: 0, arch: null, p: G, vram: G, numParallel: 1, load: 0, loadFailsAfter: Infinity, numCtx: 0, nCtxTrain: 0, ...over,
});
const llama8b = { file: 4.9e9, layers: 32, heads: 32, kvHeads: 8, embedding: 4096, ctxTrain: 131072, embeddingOnly: false };

describe('load OOM: when llama-server runs out of memory (load-oom.ts)', () => {
  test('an estimate that passes the pre-flight but a footprint larger than free memory → OOM', () => {
    expect(runsOutOfMemory(selectPlacement(fit(4, 15), [24 * G], used(10), false, false)!)).toBe(true);
    expect(runsOutOfMemory(selectPlacement(fit(4, 14), [24 * G], used(10), false, false)!)).toBe(false);
  });

  test('the first model: an estimate that fits but a footprint that does not → OOM; an estimate that does not fit is offloaded', () => {
    expect(runsOutOfMemory(selectPlacement(fit(20, 30), [24 * G], used(0), false, true)!)).toBe(true);
    const offloaded = selectPlacement(fit(30, 30), [24 * G], used(0), false, true)!;
    expect(runsOutOfMemory(offloaded)).toBe(false);
    expect(offloaded.gpuShare[0]! / G).toBe(24);
  });

  test('an explicit num_gpu puts its share of the layers on the GPU, fitting or not', () => {
    expect(runsOutOfMemory(selectPlacement(fit(10), [24 * G], used(20), false, false, Infinity, 1)!)).toBe(true);
    expect(runsOutOfMemory(selectPlacement(fit(10), [24 * G], used(20), false, false, Infinity, 0.25)!)).toBe(false);
  });

  test('the doomed load holds at most what is free (S4 stays true)', () => {
    expect(selectPlacement(fit(4, 15), [24 * G], used(10), false, false)!.gpuShare[0]! / G).toBe(14);
  });

  test('nextLowerAutoNumCtx: automatic contexts above 32768 → 32768, above 4096 → 4096, else none; explicit never (sched.go:757-783, 917-926)', () => {
    expect(reducedAutoNumCtx({ numCtx: 131072, auto: true })).toBe(32768);
    expect(reducedAutoNumCtx({ numCtx: 32768, auto: true })).toBe(4096);
    expect(reducedAutoNumCtx({ numCtx: 8192, auto: true })).toBe(4096);
    expect(reducedAutoNumCtx({ numCtx: 4096, auto: true })).toBe(0);
    expect(reducedAutoNumCtx({ numCtx: 131072, auto: false })).toBe(0);
  });

  test('a measured vram with p: auto keeps its unforeseen part at another context: 40 GiB at 131072 is 28 GiB at 32768', () => {
    const m = model({ arch: llama8b, p: NaN, vram: 40 * G });
    const base = { numCtx: 131072, auto: true };
    expect(modelFit(m, base, false, base).actual(0) / G).toBe(40);
    expect(modelFit(m, { numCtx: 32768, auto: true }, false, base).actual(0) / G).toBe(28); // 16 GiB of KV → 4 GiB
    // A vram given with its own P is taken as it is.
    expect(modelFit(model({ arch: llama8b, p: 10 * G, vram: 40 * G }), { numCtx: 32768, auto: true }, false, base).actual(0) / G).toBe(40);
  });
});

describe('explicitPartialGPUOffload: 0 < num_gpu < block_count + 1 (sched.go:785-791)', () => {
  test('num_gpu 1…layers is explicit (no pre-flight); above the layer count or unknown layers → automatic', () => {
    expect(gpuFraction(model({ numGpu: 8, layers: 32 }))).toBe(0.25);
    expect(gpuFraction(model({ numGpu: 32, layers: 32 }))).toBe(1);
    expect(gpuFraction(model({ numGpu: 33, layers: 32 }))).toBe(-1);
    expect(gpuFraction(model({ numGpu: 16, arch: llama8b }))).toBe(0.5);
    expect(gpuFraction(model({ numGpu: 16 }))).toBe(-1);
    expect(gpuFraction(model({ numGpu: 0, layers: 32 }))).toBe(0);
    expect(gpuFraction(model({ numGpu: -1, layers: 32 }))).toBe(-1);
  });
});

describe('smaller rules', () => {
  test('vision models get num_ctx ≥ 2048 before the clamp (sched.go:174-177)', () => {
    expect(requestContext(1024, model({ vision: true }), env, 4096).numCtx).toBe(2048);
    expect(requestContext(1024, model({ vision: true, nCtxTrain: 1536 }), env, 4096).numCtx).toBe(1536);
    expect(requestContext(1024, model(), env, 4096).numCtx).toBe(1024);
    expect(requestContext(8192, model({ vision: true }), env, 4096).numCtx).toBe(8192);
  });

  test('NUM_PARALLEL is forced to 1 for embedding models and the single-slot families (sched.go:497-510)', () => {
    expect(numParallelFor(4, false)).toBe(4);
    expect(numParallelFor(4, true)).toBe(1);
    for (const f of ['mllama', 'qwen3vl', 'qwen35moe', 'qwen3next', 'lfm2', 'nemotron_h_omni']) expect(numParallelFor(4, false, f)).toBe(1);
    expect(numParallelFor(4, false, 'llama')).toBe(4);
  });

  test('without flash attention on CUDA the batch is 512: no surcharge at any context (sched.go:822-828)', () => {
    expect(automaticGenerationBatch(131072, 10 * G, 80 * G)).toBe(2048);
    expect(automaticGenerationBatch(131072, 10 * G, 80 * G, true)).toBe(512);
  });

  test('OLLAMA_FLASH_ATTENTION parses as ParseBool, an unparsable value counting as true (envconfig BoolWithDefault)', () => {
    const fa = (v: unknown) => parseServerEnv({ OLLAMA_FLASH_ATTENTION: v }, () => {}).flashAttention;
    expect(fa('false')).toBe(false);
    expect(fa('0')).toBe(false);
    expect(fa(false)).toBe(false);
    expect(fa('1')).toBe(true);
    expect(fa('maybe')).toBe(true);
    expect(fa(undefined)).toBeUndefined();
    expect(fa('')).toBeUndefined();
  });
});
