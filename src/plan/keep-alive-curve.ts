/**
 * The keep-alive optimiser's objective (issue #12): over a grid of keep_alive
 * values, each a replayed run, choose the one with the least idle-resident
 * GiB·h whose cold-start share is at most a target. The target is given
 * (`--cold 5%`) or, by default, the cold share at the knee of the curve —
 * the point farthest from the chord between the ends of its efficient part
 * (the points no other point beats on both idle memory and cold starts, from
 * the least idle to the coldest), both axes scaled to [0, 1] (as Kneedle
 * scales them; Satopää et al., ICDCS-W 2011). The distance is unsigned: on a
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
/** A point nearer the chord than this (in the [0, 1] box) does not make a knee. */
const STRAIGHT = 0.01;

/**
 * Index of the knee of a curve given in grid order. A curve with no knee (flat
 * on an axis, or straight) gives the cheapest of its coldest points: with no
 * trade-off to read, users' waits come first.
 */
export function knee(all: readonly CurvePoint[]): number {
  const front = efficient(all);
  const points = front.map((i) => all[i]!);
  const pick = (i: number) => front[i]!;
  const a = points[0]!;
  const b = points[points.length - 1]!;
  const xs = points.map((p) => p.idle);
  const ys = points.map((p) => p.cold);
  const xr = Math.max(...xs) - Math.min(...xs);
  const yr = Math.max(...ys) - Math.min(...ys);
  const coldest = () => pick(cheapest(points, Math.min(...ys)));
  if (xr < EPS || yr < EPS) return coldest();
  const x = (p: CurvePoint) => (p.idle - Math.min(...xs)) / xr;
  const y = (p: CurvePoint) => (p.cold - Math.min(...ys)) / yr;
  const dx = x(b) - x(a);
  const dy = y(b) - y(a);
  const len = Math.hypot(dx, dy);
  if (len < EPS) return coldest();
  let best = -1;
  let bestDistance = STRAIGHT;
  points.forEach((p, i) => {
    const d = Math.abs(dx * (y(p) - y(a)) - dy * (x(p) - x(a))) / len;
    if (d > bestDistance) {
      best = i;
      bestDistance = d;
    }
  });
  return best >= 0 ? pick(best) : coldest();
}

/**
 * Indices of the points no other point beats on both axes (the first of equal
 * points), ordered by idle memory: from the least idle to the coldest.
 */
export function efficient(points: readonly CurvePoint[]): number[] {
  const beats = (q: CurvePoint, p: CurvePoint) => q.idle <= p.idle + EPS && q.cold <= p.cold + EPS && (q.idle < p.idle - EPS || q.cold < p.cold - EPS);
  const out: number[] = [];
  points.forEach((p, i) => {
    if (points.some((q) => beats(q, p))) return;
    if (out.some((j) => Math.abs(points[j]!.idle - p.idle) < EPS && Math.abs(points[j]!.cold - p.cold) < EPS)) return;
    out.push(i);
  });
  return out.sort((i, j) => points[i]!.idle - points[j]!.idle);
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
