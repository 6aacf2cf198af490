import type { GpuSpec } from '../hardware/gpus.js';

/**
 * A bought fleet, per month: the purchase spread over the months it is meant to
 * serve, plus its power bill — each GPU drawing its board power while a runner
 * on it has a request running and its loaded-idle figure otherwise (catalogue,
 * cited), plus each host's own base draw. The duty cycle is the simulated one
 * (the summary's gpu_busy_share), so the traffic the plan replays is taken to repeat.
 * Against renting the same GPUs by the hour: the month by which buying has cost
 * less in all.
 */
export const HOURS_PER_MONTH = 730; // 8760 h / 12

export interface OwnershipOptions {
  /** Months the purchase is spread over. */
  months: number;
  /** Electricity, $ per kWh. */
  kwh: number;
  /** A host's draw beside its GPUs, W (not charged to unified-memory machines, whose figures are the whole machine's). */
  hostWatts: number;
}

export interface Ownership {
  /** The fleet's purchase price, $. */
  purchase: number;
  months: number;
  /** Mean draw of the whole fleet, W. */
  watts: number;
  /** Power per month, $. */
  powerMonthly: number;
  /** purchase ÷ months + power, $ per month: what the plan ranks a bought fleet on. */
  monthly: number;
  /** Renting the same GPUs by the hour, $ per month; null when the GPU has no hourly price. */
  rentMonthly: number | null;
  /** First month by whose end buying has cost less than renting in all; null = never (or no rent to compare). */
  breakEvenMonth: number | null;
}

export interface Fleet {
  gpu: GpuSpec;
  gpusPerHost: number;
  hosts: number;
  /** Share of the time a GPU has a running runner on it (0–1), averaged over the fleet's GPUs. */
  busyShare: number;
  /** $ per GPU to buy and per GPU-hour to rent (catalogue or the user's). */
  buyEach: number;
  rentEach: number | undefined;
}

export function ownership(f: Fleet, o: OwnershipOptions): Ownership {
  const busy = Math.min(1, Math.max(0, f.busyShare));
  const perGpu = f.gpu.idlePower + (f.gpu.boardPower - f.gpu.idlePower) * busy;
  const perHost = (f.gpu.unified ? 0 : o.hostWatts) + f.gpusPerHost * perGpu;
  const watts = perHost * f.hosts;
  const powerMonthly = (watts / 1000) * HOURS_PER_MONTH * o.kwh;
  const purchase = f.buyEach * f.gpusPerHost * f.hosts;
  const rentMonthly = f.rentEach === undefined ? null : f.rentEach * f.gpusPerHost * f.hosts * HOURS_PER_MONTH;
  return {
    purchase, months: o.months, watts: round(watts), powerMonthly: round(powerMonthly),
    monthly: round(purchase / o.months + powerMonthly), rentMonthly: rentMonthly === null ? null : round(rentMonthly),
    breakEvenMonth: breakEven(purchase, powerMonthly, rentMonthly),
  };
}

/** purchase + m × power ≤ m × rent: the first whole month m, or null when renting always costs less. */
export function breakEven(purchase: number, powerMonthly: number, rentMonthly: number | null): number | null {
  if (rentMonthly === null || rentMonthly <= powerMonthly) return null;
  return Math.max(1, Math.ceil(purchase / (rentMonthly - powerMonthly) - 1e-9));
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
