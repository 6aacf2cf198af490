/** The optimiser's objective (issue #12): knee of the cold-share / idle-memory curve, then least idle at the target. */
import { describe, expect, test } from 'vitest';
import { choose, efficient, knee, type CurvePoint } from '../../../src/plan/keep-alive-curve.js';

const curve = (pts: [number, number, number][]): CurvePoint[] => pts.map(([keepAlive, idle, cold]) => ({ keepAlive, idle, cold }));

describe('keep-alive curve', () => {
  // A convex trade-off: the first minutes buy most of the cold starts.
  const convex = curve([[0, 0, 0.9], [60, 2, 0.4], [300, 4, 0.15], [900, 10, 0.1], [-1, 30, 0.08]]);

  test('the knee is the efficient point farthest from the chord between the least idle and the coldest point', () => {
    // Scaled: (0,1), (.067,.39), (.133,.085), (.333,.024), (1,0); the chord is x + y = 1.
    expect(convex[knee(convex)]!.keepAlive).toBe(300);
  });

  test('choose: the least idle point meeting the target; the knee\'s cold share by default', () => {
    expect(choose(convex, null)).toEqual({ index: 2, target: 0.15 });
    expect(choose(convex, 0.5).index).toBe(1); // 60 s is enough for 50 %
    expect(choose(convex, 0.1).index).toBe(3);
    expect(choose(convex, 0.01).index).toBe(4); // nothing meets 1 %: the coldest point
  });

  test('a tighter target never chooses less idle memory (monotone)', () => {
    let last = -Infinity;
    for (const t of [1, 0.5, 0.3, 0.15, 0.12, 0.1, 0.09, 0.08, 0]) {
      const idle = convex[choose(convex, t).index]!.idle;
      expect(idle).toBeGreaterThanOrEqual(last);
      last = idle;
    }
  });

  test('dominated points never make the knee: longer keep_alives that only add idle memory are skipped', () => {
    // Gaps of 400 s: anything below 400 s is as cold as 0 but holds memory.
    const gappy = curve([[0, 0, 1], [60, 0.3, 1], [300, 1.7, 1], [600, 2.2, 0.05], [3600, 5, 0.05], [-1, 9, 0.05]]);
    expect(efficient(gappy)).toEqual([0, 3]);
    expect(gappy[knee(gappy)]!.keepAlive).toBe(600); // no interior point: the cheapest of the coldest
  });

  test('a curve bulging away from the origin (contended memory) still has its knee where the returns fall off', () => {
    // The three-model 24 GiB world's server-wide sweep (test/fixtures/three-model-24gib.yaml).
    const bulge = curve([[0, 0, 0.774], [30, 28.81, 0.394], [60, 31.7, 0.346], [120, 32.07, 0.338], [-1, 32.07, 0.338]]);
    expect(bulge[knee(bulge)]!.keepAlive).toBe(30);
  });

  test('flat curves: every point equally cold → the least idle; no idle memory anywhere → the coldest', () => {
    expect(knee(curve([[0, 0, 1], [60, 1, 1], [-1, 5, 1]]))).toBe(0);
    expect(knee(curve([[0, 0, 0.5], [60, 0, 0.2], [-1, 0, 0.2]]))).toBe(1);
  });
});
