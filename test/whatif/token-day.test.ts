import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { figures, readScenario, runSummaries, sweepCells, withValue } from '../helpers/whatif.js';

/**
 * Issue #10's day: one model at 1 req/s of 800 prompt + 300 output tokens on an
 * RTX 4090. Token-sized work is timed on each cell's own hardware: before, every
 * cell got the first host's GPU speed (the 4090's), and a CPU-only cell "beat" it.
 */
const DAY = readScenario(join(import.meta.dirname, 'token-day.yaml'));

describe('the token-sized day: the GPU type reaches every cell', () => {
  test('each host.gpu cell of a sweep has the p95 of `run` on that GPU, and a faster GPU answers sooner', async () => {
    const cells = await sweepCells(DAY, 'host.gpu', ['rtx-4090', 'h100-sxm']);
    const slow = cells.get('host.gpu=rtx-4090')!;
    const fast = cells.get('host.gpu=h100-sxm')!;
    const [run4090] = await runSummaries(withValue(DAY, 'host.gpu', 'rtx-4090'));
    const [runH100] = await runSummaries(withValue(DAY, 'host.gpu', 'h100-sxm'));
    expect(figures(slow)).toEqual(figures(run4090!));
    expect(figures(fast)).toEqual(figures(runH100!));
    expect(fast.latency_p95_s!).toBeLessThan(slow.latency_p95_s! / 2);
  }, 60_000);

  test('a CPU-only cell (host.count: 0) is slower than a GPU cell on token-sized work', async () => {
    const cells = await sweepCells(DAY, 'host.count', [0, 1]);
    const cpu = cells.get('host.count=0')!;
    const gpu = cells.get('host.count=1')!;
    expect(cpu.ok).toBeLessThan(gpu.ok);
    expect(cpu.latency_p50_s!).toBeGreaterThan(gpu.latency_p50_s!);
  }, 60_000);
});
