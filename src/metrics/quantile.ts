/**
 * The one quantile definition used everywhere: nearest rank. The p-quantile of
 * n values is the ceil(p·n)-th smallest (p = 0 gives the smallest). It is always
 * a value that occurred — a p99 latency some request really had — and needs no
 * interpolation choice. NaN for no values.
 */
export function quantileSorted(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const rank = Math.max(1, Math.ceil(p * n));
  return sorted[Math.min(rank, n) - 1]!;
}

export function sortedCopy(values: Float64Array): Float64Array {
  return Float64Array.from(values).sort();
}
