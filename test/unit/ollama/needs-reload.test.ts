import { describe, expect, test } from 'vitest';
import { parseServerEnv } from '../../../src/ollama/envconfig.js';
import { defaultContextTier, needsReload, requestContext } from '../../../src/ollama/needs-reload.js';
import { RunnerRef } from '../../../src/ollama/runner-ref.js';
import type { SchedModel } from '../../../src/ollama/types.js';

const GiB = 2 ** 30;
const env = parseServerEnv({}, () => {});
const model = (numCtx = 0, nCtxTrain = 0): SchedModel => ({
  name: 'A', key: 0, arch: null, p: GiB, vram: GiB, numParallel: 1, load: 0, loadFailsAfter: Infinity, numCtx, nCtxTrain,
});
const runnerWith = (numCtx: number, auto: boolean) => new RunnerRef(0, 0, 0, GiB, [GiB], numCtx, auto, GiB);

describe('§2 default context tier from total VRAM', () => {
  test.each([[[80 * GiB], 262144], [[47 * GiB], 262144], [[24 * GiB], 32768], [[23 * GiB], 32768], [[16 * GiB], 4096], [[], 4096],
    [[24 * GiB, 24 * GiB], 262144]])('%j → %d', (gpus, tier) => {
    expect(defaultContextTier(gpus, 0)).toBe(tier);
  });
  test('OLLAMA_GPU_OVERHEAD lowers the tier choice', () => {
    expect(defaultContextTier([48 * GiB], 2 * GiB)).toBe(32768);
  });
});

describe('§4.5 needsReload on num_ctx', () => {
  test('both automatic: never a reload', () => {
    const ctx = requestContext(0, model(), env, 262144);
    expect(ctx).toEqual({ numCtx: 262144, auto: true });
    expect(needsReload(runnerWith(4096, true), ctx)).toBe(false);
  });

  test('explicit vs automatic compare the effective numbers (scenario 14)', () => {
    const m = model(0, 131072);
    const auto = requestContext(0, m, env, 262144);
    expect(auto.numCtx).toBe(131072);
    expect(needsReload(runnerWith(131072, true), requestContext(8192, m, env, 262144))).toBe(true);
    expect(needsReload(runnerWith(8192, false), auto)).toBe(true);
    expect(needsReload(runnerWith(131072, false), requestContext(200000, m, env, 262144))).toBe(false);
  });

  test('the Modelfile num_ctx and OLLAMA_CONTEXT_LENGTH make the context explicit', () => {
    expect(requestContext(0, model(8192), env, 262144)).toEqual({ numCtx: 8192, auto: false });
    const withEnv = parseServerEnv({ OLLAMA_CONTEXT_LENGTH: '16384' }, () => {});
    expect(requestContext(0, model(), withEnv, 262144)).toEqual({ numCtx: 16384, auto: false });
  });

  test('num_ctx is raised to at least 4 (§5.1)', () => {
    expect(requestContext(1, model(), env, 4096).numCtx).toBe(4);
  });
});
