import type { Estimate } from './confidence.js';
import { broken, type Slo } from './slo.js';
import type { SweepResult } from './sweep.js';

/**
 * The capacity plan: among the configurations swept, the cheapest that meets
 * every objective with 95 % confidence; the cost/latency frontier; and, for each
 * cheaper configuration, the objective it broke.
 */
export interface PlanCell {
  candidate: string;
  values: Record<string, string>;
  /** Price per hour or to buy (the plan's basis); null = not in the catalogue. */
  price: number | null;
  broken: Slo | null;
  estimates: Record<string, Estimate>;
}

export interface Plan {
  slos: Slo[];
  basis: 'hour' | 'buy';
  cells: PlanCell[];
  best: PlanCell | null;
  /** Cells no cheaper cell beats on p95 latency, cheapest first. */
  frontier: PlanCell[];
  /** Cells cheaper than the best one, each with the objective it broke. */
  rejected: PlanCell[];
}

export function plan(r: SweepResult, slos: Slo[], basis: 'hour' | 'buy', priceOf: (values: Record<string, string>) => number | null): Plan {
  const cells: PlanCell[] = r.cells.map((c) => {
    const values = axisValues(c.candidate);
    return { candidate: c.candidate, values, price: priceOf(values), broken: broken(slos, c.estimates), estimates: c.estimates };
  });
  const priced = cells.filter((c) => c.price !== null).sort((a, b) => a.price! - b.price! || a.candidate.localeCompare(b.candidate));
  const best = priced.find((c) => c.broken === null) ?? null;
  const frontier: PlanCell[] = [];
  let bestP95 = Infinity;
  for (const c of priced) {
    const p95 = c.estimates.latency_p95_s?.mean ?? Infinity;
    if (p95 < bestP95) {
      frontier.push(c);
      bestP95 = p95;
    }
  }
  const rejected = best ? priced.filter((c) => c.price! < best.price! || (c.price === best.price && c !== best && c.broken)) : priced;
  return { slos, basis, cells: priced.concat(cells.filter((c) => c.price === null)), best, frontier, rejected };
}

/** "host.gpu=l4, host.count=2" → { host.gpu: 'l4', host.count: '2' }. */
export function axisValues(candidate: string): Record<string, string> {
  const label = candidate.includes(' | ') ? candidate.slice(candidate.lastIndexOf(' | ') + 3) : candidate;
  const out: Record<string, string> = {};
  for (const part of label.split(', ')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}
