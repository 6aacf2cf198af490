/**
 * Mean and 95 % confidence interval of replications (Student t, two-sided).
 * One replication, or values that do not vary (a replayed trace draws nothing
 * at random), give a half-width of 0.
 */
import { mean, sampleStandardDeviation } from 'simple-statistics';

/** t(0.975, df) for df = 1…30; beyond, the normal 1.96 is within 2 %. */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

export function tCritical(df: number): number {
  return df >= 1 && df <= 30 ? T975[df - 1]! : 1.96;
}

export interface Estimate {
  mean: number;
  /** Half-width of the 95 % interval: mean ± ci95. */
  ci95: number;
  n: number;
}

export function estimate(values: readonly number[]): Estimate {
  const n = values.length;
  if (n === 0) return { mean: NaN, ci95: NaN, n };
  const m = mean(values as number[]);
  if (n === 1) return { mean: m, ci95: 0, n };
  const sd = sampleStandardDeviation(values as number[]);
  return { mean: m, ci95: (tCritical(n - 1) * sd) / Math.sqrt(n), n };
}
