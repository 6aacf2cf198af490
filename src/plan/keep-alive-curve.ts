/**
 * The keep-alive optimiser's objective (issue #12): over a grid of keep_alive
 * values, each a replayed run, choose the one with the least idle-resident
 * GiB·h whose cold-start share is at most a target. The target is given
 * (`--cold 5%`) or, by default, the cold share at the knee of the curve —
 * the point farthest from the chord between the curve's ends (keep_alive 0
 * and the longest value), both axes scaled to [0, 1] (as Kneedle scales
 * them; Satopää et al., ICDCS-W 2011). The distance is unsigned: on a
 * contended host the curve can bulge away from the origin (the first seconds
 * of keep_alive buy most of the cold starts and most of the memory), and its
 * knee is still where the returns fall off.
 */
export interface CurvePoint {
  /** keep_alive, s; -1 = forever. */
  keepAlive: number;
  /** Idle-resident GiB·h it costs. */
  idle: number;
  /** Cold-start share it leaves. */
  cold: number;
}

const EPS = 1e-9;

/** Index of the knee of a curve given in grid order; the cheapest end when the curve has none. */
export function knee(points: readonly CurvePoint[]): number {
  const a = points[0]!;
  const b = points[points.length - 1]!;
  const xs = points.map((p) => p.idle);
  const ys = points.map((p) => p.cold);
  const xr = Math.max(...xs) - Math.min(...xs);
  const yr = Math.max(...ys) - Math.min(...ys);
  if (xr < EPS || yr < EPS) return cheapest(points, Math.min(...ys));
  const x = (p: CurvePoint) => (p.idle - Math.min(...xs)) / xr;
  const y = (p: CurvePoint) => (p.cold - Math.min(...ys)) / yr;
  const dx = x(b) - x(a);
  const dy = y(b) - y(a);
  const len = Math.hypot(dx, dy);
  if (len < EPS) return cheapest(points, Math.min(...ys));
  let best = -1;
  let bestDistance = EPS;
  points.forEach((p, i) => {
    const d = Math.abs(dx * (y(p) - y(a)) - dy * (x(p) - x(a))) / len;
    if (d > bestDistance) {
      best = i;
      bestDistance = d;
    }
  });
  return best >= 0 ? best : cheapest(points, Infinity);
}

/**
 * The choice: the least idle GiB·h among points whose cold share is at most
 * the target (the earlier grid value on a tie); if none meets it, the coldest
 * point's least idle. `target` null = the knee's cold share.
 */
export function choose(points: readonly CurvePoint[], target: number | null): { index: number; target: number } {
  const t = target ?? points[knee(points)]!.cold;
  const meets = points.some((p) => p.cold <= t + EPS);
  return { index: cheapest(points, meets ? t : Math.min(...points.map((p) => p.cold))), target: t };
}

function cheapest(points: readonly CurvePoint[], coldAtMost: number): number {
  let best = -1;
  points.forEach((p, i) => {
    if (p.cold <= coldAtMost + EPS && (best < 0 || p.idle < points[best]!.idle - EPS)) best = i;
  });
  return best;
}
