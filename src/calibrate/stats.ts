/** Small, exact statistics for calibration: medians and spread of what a server reported. */
export interface Spread {
  n: number;
  median: number;
  mean: number;
  /** Coefficient of variation (sd ÷ mean); 0 for one value. */
  cv: number;
  p5: number;
  p95: number;
}

export function spread(xs: readonly number[]): Spread | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  const sd = s.length > 1 ? Math.sqrt(s.reduce((a, b) => a + (b - mean) ** 2, 0) / (s.length - 1)) : 0;
  return { n: s.length, median: q(0.5), mean, cv: mean > 0 ? sd / mean : 0, p5: q(0.05), p95: q(0.95) };
}

/** Least squares of y = a + b·x; null with fewer than two distinct x. */
export function fitLine(points: readonly [number, number][]): { a: number; b: number } | null {
  const n = points.length;
  if (n < 2) return null;
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  const sxx = points.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
  if (sxx === 0) return null;
  const b = points.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0) / sxx;
  return { a: my - b * mx, b };
}
