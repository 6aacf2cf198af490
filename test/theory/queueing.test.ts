/**
 * Theory as an oracle: where queueing theory has an answer, the simulator must
 * agree. Smaller runs and wider tolerances than `npm run bench` (which checks
 * 1 M requests within 2 %).
 */
import { describe, expect, test } from 'vitest';
import { coldShare, erlangC, md1MeanWait, mmcMeanWait } from '../../src/metrics/queueing.js';
import { runScenario } from '../../src/sim/run-scenario.js';
import { meanWaitSeconds, poissonWorld } from '../../bench/oracle.js';

const meanWait = (sc: ReturnType<typeof poissonWorld>) =>
  meanWaitSeconds(sc, (world, done) => runScenario(world, { requests: () => ({ done }) }));

describe('queueing formulas', () => {
  test('Erlang C and M/M/1 agree: C(1, ρ) = ρ', () => {
    expect(erlangC(1, 0.7)).toBeCloseTo(0.7, 12);
    expect(mmcMeanWait(1, 0.7, 1)).toBeCloseTo(0.7 / 0.3, 12);
    expect(erlangC(4, 3.6)).toBeCloseTo(69.984 / (18.856 + 69.984), 6); // M/M/4 at ρ = 0.9, by hand
  });
});

describe('keep_alive -1, no loads: one model with NUM_PARALLEL c is an M/M/c queue (spec §5.7)', () => {
  test.each([
    [1, 0.5, 0.06], [1, 0.7, 0.08], [2, 0.7, 0.08], [4, 0.9, 0.15],
  ])('M/M/%i at ρ = %f: mean wait within %f of Erlang C (200 k requests)', (c, rho, tol) => {
    const mu = 1;
    const lambda = rho * c * mu;
    const sc = poissonWorld({ n: 200_000, lambda, service: 1 / mu, exponential: true, slots: c, keepAlive: '-1', warm: true });
    const expected = mmcMeanWait(c, lambda, mu);
    expect(Math.abs(meanWait(sc) / expected - 1)).toBeLessThan(tol);
  });

  test('M/D/1 at ρ = 0.7: Pollaczek–Khinchine', () => {
    const sc = poissonWorld({ n: 200_000, lambda: 0.7, service: 1, exponential: false, slots: 1, keepAlive: '-1', warm: true });
    expect(Math.abs(meanWait(sc) / md1MeanWait(0.7, 1) - 1)).toBeLessThan(0.06);
  });
});

describe('keep_alive N with Poisson arrivals: the cold-start share is e^(−λN)', () => {
  test.each([[1 / 60, 60], [1 / 120, 60], [1 / 30, 120]])('λ = %f/s, N = %i s', (lambda, n) => {
    const sc = poissonWorld({ n: 40_000, lambda, service: 0.001, exponential: false, slots: 1, keepAlive: `${n}s`, load: 0.001 });
    const [r] = runScenario(sc);
    expect(Math.abs(r!.summary.cold_share! - coldShare(lambda, n))).toBeLessThan(0.01);
  });
});
