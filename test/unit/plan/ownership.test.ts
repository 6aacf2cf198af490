/**
 * Buying, not renting: purchase over the months plus power (board power while
 * busy, loaded-idle power otherwise, plus the host), against renting the same.
 */
import { describe, expect, test } from 'vitest';
import { GPUS, gpuById } from '../../../src/hardware/gpus.js';
import { breakEven, HOURS_PER_MONTH, ownership } from '../../../src/plan/ownership.js';
import { plan } from '../../../src/plan/plan.js';
import { parseSlo } from '../../../src/plan/slo.js';
import type { SweepResult } from '../../../src/plan/sweep.js';
import type { CandidateSummary } from '../../../src/metrics/index.js';

const L4 = gpuById('l4')!;
const OPTS = { months: 36, kwh: 0.15, hostWatts: 150 };

describe('the catalogue cites every GPU\'s power', () => {
  test('board power above loaded-idle power, both positive, and a source that names the board figure', () => {
    for (const g of GPUS) {
      expect(g.boardPower).toBeGreaterThan(g.idlePower);
      expect(g.idlePower).toBeGreaterThan(0);
      expect(g.source).toMatch(new RegExp(`${g.boardPower} W`));
    }
  });
});

describe('a bought fleet per month', () => {
  test('an L4 host busy half the time, worked by hand', () => {
    const o = ownership({ gpu: L4, gpusPerHost: 1, hosts: 1, busyShare: 0.5, buyEach: 2500, rentEach: 0.8 }, OPTS);
    const watts = 150 + 18 + (72 - 18) * 0.5; // host + idle + the busy half's extra
    const power = (watts / 1000) * HOURS_PER_MONTH * 0.15;
    expect(o.watts).toBeCloseTo(watts, 6);
    expect(o.powerMonthly).toBeCloseTo(power, 2);
    expect(o.monthly).toBeCloseTo(2500 / 36 + power, 2);
    expect(o.rentMonthly).toBeCloseTo(0.8 * HOURS_PER_MONTH, 6);
    expect(o.breakEvenMonth).toBe(Math.ceil(2500 / (0.8 * HOURS_PER_MONTH - power))); // 5
    expect(o.breakEvenMonth).toBe(5);
  });

  test('busier, dearer power, more GPUs or hosts: costs more; more months: less per month', () => {
    const base = { gpu: L4, gpusPerHost: 1, hosts: 1, busyShare: 0.2, buyEach: 2500, rentEach: 0.8 };
    const m = (f: Partial<typeof base>, o: Partial<typeof OPTS> = {}) => ownership({ ...base, ...f }, { ...OPTS, ...o }).monthly;
    const ref = m({});
    expect(m({ busyShare: 0.9 })).toBeGreaterThan(ref);
    expect(m({}, { kwh: 0.3 })).toBeGreaterThan(ref);
    expect(m({ gpusPerHost: 2 })).toBeGreaterThan(ref);
    expect(m({ hosts: 2 })).toBeCloseTo(2 * ref, 1);
    expect(m({}, { months: 60 })).toBeLessThan(ref);
  });

  test('break-even: free power pays off at purchase ÷ rent; renting cheaper than the power never does; no hourly price, no comparison', () => {
    expect(breakEven(2500, 0, 584)).toBe(5);
    expect(breakEven(2336, 0, 584)).toBe(4); // exactly four months
    expect(breakEven(2500, 600, 584)).toBeNull();
    expect(ownership({ gpu: gpuById('rtx-3090')!, gpusPerHost: 1, hosts: 1, busyShare: 1, buyEach: 900, rentEach: undefined }, OPTS).breakEvenMonth).toBeNull();
  });

  test('unified-memory machines carry no separate host draw: their figures are the whole machine\'s', () => {
    const mac = gpuById('m2-ultra')!;
    expect(ownership({ gpu: mac, gpusPerHost: 1, hosts: 1, busyShare: 0, buyEach: 5600, rentEach: undefined }, OPTS).watts).toBe(mac.idlePower);
  });
});

describe('the plan ranks a bought fleet on its monthly cost, power included', () => {
  test('the cheaper purchase loses when its power bill outweighs the difference', () => {
    const sweep: SweepResult = {
      scenario: 's', seed: 1, replications: 1, seeds: [1], axes: [], warnings: [],
      cells: ['g=hungry', 'g=frugal'].map((candidate, cell) => ({ cell, candidate, runs: [{} as CandidateSummary], estimates: { latency_p95_s: { mean: 1, ci95: 0, n: 1 }, gpu_busy_share: { mean: 1, ci95: 0, n: 1 } } })),
    };
    const hungry = { ...L4, boardPower: 1500, idlePower: 400 };
    const gpus = { hungry: { gpu: hungry, buy: 2000 }, frugal: { gpu: L4, buy: 2500 } } as const;
    const pick = (kwh: number) => plan(sweep, [parseSlo('p95<=3s')!], 'buy', (v) => gpus[v.g as keyof typeof gpus].buy,
      (v, est) => ownership({ gpu: gpus[v.g as keyof typeof gpus].gpu, gpusPerHost: 1, hosts: 1, busyShare: est.gpu_busy_share!.mean, buyEach: gpus[v.g as keyof typeof gpus].buy, rentEach: 0.8 }, { ...OPTS, kwh })).best!;
    expect(pick(0).candidate).toBe('g=hungry'); // free power: the purchase decides
    expect(pick(0.15).candidate).toBe('g=frugal');
    expect(pick(0.15).price).toBe(2500); // price keeps its meaning: the purchase
    expect(pick(0.15).cost).toBe(Math.round(pick(0.15).ownership!.monthly)); // ranked to the whole dollar a month
  });
});
