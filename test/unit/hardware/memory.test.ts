import { describe, expect, test } from 'vitest';
import { architecture } from '../../../src/config/hardware.js';
import { modelByTag } from '../../../src/hardware/models.js';
import { automaticGenerationBatch, generationBatchSurcharge } from '../../../src/ollama/generation-batch.js';
import { modelFit } from '../../../src/ollama/model-fit.js';
import { kvCacheBytes, predictServerVram } from '../../../src/ollama/predict-server-vram.js';
import type { SchedModel } from '../../../src/ollama/types.js';

const GiB = 2 ** 30;
const llama8b = architecture(modelByTag('llama3.1:8b')!);

describe('§5.4 PredictServerVRAM and the batch surcharge', () => {
  test('8B Q4: 128 KiB of KV per token', () => {
    expect(kvCacheBytes(llama8b, 1)).toBe(128 * 1024);
  });

  test('worked example: 8B Q4 on 80 GiB, tier 262144 clamped to 131072 → KV 16 GiB, P ≈ 22.5 GiB', () => {
    const predicted = predictServerVram(llama8b, 262144, 1);
    expect(predicted - 4.9e9).toBe(16 * GiB);
    const batch = automaticGenerationBatch(131072, predicted, 80 * GiB);
    expect(batch).toBe(2048);
    expect((predicted + generationBatchSurcharge(batch)) / GiB).toBeCloseTo(22.56, 2);
  });

  test('KV grows with NUM_PARALLEL (ctx_total = num_ctx × numParallel, #9246)', () => {
    expect(predictServerVram(llama8b, 4096, 4) - 4.9e9).toBe(kvCacheBytes(llama8b, 16384));
  });

  test('automatic num_batch from the context, stepping down without headroom', () => {
    expect(automaticGenerationBatch(4096, 5 * GiB, 24 * GiB)).toBe(512);
    expect(automaticGenerationBatch(32768, 9 * GiB, 24 * GiB)).toBe(1024);
    expect(automaticGenerationBatch(131072, 20 * GiB, 24 * GiB)).toBe(512); // 20 > 0.8 × 24: no larger batch fits
    expect(automaticGenerationBatch(131072, 16 * GiB, 24 * GiB)).toBe(1024); // > 60 % for 2048, ≤ 75 % for 1024
    expect(generationBatchSurcharge(2048)).toBe(2 * GiB);
    expect(generationBatchSurcharge(1024)).toBe(768 * 2 ** 20);
    expect(generationBatchSurcharge(512)).toBe(0);
  });

  test('embedding models: no surcharge; a fixed P or vram from the scenario wins over the estimate', () => {
    const base: SchedModel = {
      name: 'x', key: 0, arch: llama8b, p: NaN, vram: NaN, numParallel: 1, load: 0, loadFailsAfter: Infinity, numCtx: 0, nCtxTrain: 131072,
    };
    const fit = modelFit(base, { numCtx: 131072, auto: true });
    expect(fit.surcharge(80 * GiB)).toBe(2 * GiB);
    expect(fit.actual(10)).toBe(10);
    const embed = modelFit({ ...base, arch: { ...llama8b, embeddingOnly: true } }, { numCtx: 131072, auto: true });
    expect(embed.surcharge(80 * GiB)).toBe(0);
    const fixed = modelFit({ ...base, p: 7 * GiB, vram: 6 * GiB }, { numCtx: 131072, auto: true });
    expect(fixed.predicted).toBe(7 * GiB);
    expect(fixed.surcharge(80 * GiB)).toBe(0);
    expect(fixed.actual(7 * GiB)).toBe(6 * GiB);
  });
});
