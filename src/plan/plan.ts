import type { Estimate } from './confidence.js';
import type { Ownership } from './ownership.js';
import { brokenAll, type Slo } from './slo.js';
import type { SweepResult } from './sweep.js';

/**
 * The capacity plan: among the configurations swept, the cheapest that meets
 * every objective (with 95 % confidence when replications give an interval);
 * the cost/latency frontier; for each cheaper configuration, every objective it
 * broke; and, when none meets them, why — with the floor the work itself sets.
 */
export interface PlanCell {
  candidate: string;
  values: Record<string, string>;
  /** Price per hour or to buy (the plan's basis); null = not in the catalogue. */
  price: number | null;
  /** What the plan ranks on: the price per hour, or a bought fleet's cost per month of ownership (whole dollars: cents of power do not rank fleets). */
  cost: number | null;
  /** The first objective it broke (brokenAll[0]), or null. */
  broken: Slo | null;
  /** Every objective it broke, in the order given. */
  brokenAll: Slo[];
  estimates: Record<string, Estimate>;
  /** Bought: purchase, power and break-even against renting. */
  ownership?: Ownership;
}

/**
 * What a verdict rests on:
 * - `interval`: replications that vary; a verdict holds with 95 % confidence;
 * - `one-run`: one replication per configuration — a single deterministic run (its seed), no interval;
 * - `deterministic`: several replications, all identical (nothing drawn at random) — one run's worth.
 */
export interface Confidence {
  kind: 'interval' | 'one-run' | 'deterministic';
  /** The most runs any configuration had. */
  replications: number;
  seed: number;
}

/** An objective no configuration could meet together with the rest, and how close the search came. */
export interface Unmet {
  slo: Slo;
  /** Configurations meeting this objective alone. */
  metBy: number;
  /** The configuration with the best figure for it, and that figure. */
  closest: { candidate: string; value: number } | null;
  /**
   * Latency objectives: the same quantile of the work itself (service time, no
   * waiting) on the configuration where it is shortest. Above the limit, no
   * amount of this hardware meets the objective.
   */
  floor: { candidate: string; value: number } | null;
}

export interface Plan {
  slos: Slo[];
  basis: 'hour' | 'buy';
  cells: PlanCell[];
  best: PlanCell | null;
  /** Cells no cheaper-or-equal cell beats on p95 latency, cheapest first. */
  frontier: PlanCell[];
  /** Cells cheaper than the best one, each with the objectives it broke. */
  rejected: PlanCell[];
  confidence: Confidence;
  /** When nothing meets every objective: each objective, how close the search came, and its floor. */
  unmet: Unmet[];
}

export type PriceOf = (values: Record<string, string>) => number | null;
export type OwnershipOf = (values: Record<string, string>, estimates: Record<string, Estimate>) => Ownership | null;

export function plan(r: SweepResult, slos: Slo[], basis: 'hour' | 'buy', priceOf: PriceOf, ownershipOf?: OwnershipOf): Plan {
  const cells: PlanCell[] = r.cells.map((c) => {
    const values = axisValues(c.candidate);
    const price = priceOf(values);
    const own = price === null ? null : ownershipOf?.(values, c.estimates) ?? null;
    const all = brokenAll(slos, c.estimates);
    return {
      candidate: c.candidate, values, price, cost: own ? Math.round(own.monthly) : price, broken: all[0] ?? null, brokenAll: all,
      estimates: c.estimates, ...(own ? { ownership: own } : {}),
    };
  });
  // Cheapest first; at equal cost the faster first, so the recommendation is the better of equals.
  const priced = cells.filter((c) => c.cost !== null).sort((a, b) => a.cost! - b.cost! || p95(a) - p95(b) || a.candidate.localeCompare(b.candidate));
  const best = priced.find((c) => c.broken === null) ?? null;
  const rejected = best ? priced.filter((c) => c.cost! < best.cost! || (c.cost === best.cost && c !== best && c.broken)) : priced;
  return {
    slos, basis, cells: priced.concat(cells.filter((c) => c.cost === null)), best, frontier: frontier(priced), rejected,
    confidence: confidence(r), unmet: best ? [] : unmet(priced.length ? priced : cells, slos),
  };
}

const p95 = (c: PlanCell) => c.estimates.latency_p95_s?.mean ?? Infinity;

/** On the frontier: no cheaper-or-equal option has a lower p95 (cells sorted by cost). */
export function frontier(sorted: readonly PlanCell[]): PlanCell[] {
  const out: PlanCell[] = [];
  let cheaperBest = Infinity;
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j < sorted.length && sorted[j]!.cost === sorted[i]!.cost) j++;
    const group = sorted.slice(i, j);
    const groupBest = Math.min(...group.map(p95));
    if (groupBest < cheaperBest) out.push(...group.filter((c) => p95(c) === groupBest));
    cheaperBest = Math.min(cheaperBest, groupBest);
    i = j;
  }
  return out;
}

/** One run per configuration, identical replications, or intervals that mean something. */
function confidence(r: SweepResult): Confidence {
  const replications = Math.max(0, ...r.cells.map((c) => c.runs.length));
  if (replications <= 1) return { kind: 'one-run', replications, seed: r.seed };
  const varies = r.cells.some((c) => Object.values(c.estimates).some((e) => e.ci95 > 0));
  return { kind: varies ? 'interval' : 'deterministic', replications, seed: r.seed };
}

/** `latency_p95_s` → `service_p95_s`; per model the same; other figures have no floor. */
function floorFigure(figure: string): string | null {
  const m = /^(models\..+\.)?latency_(p\d\d)_s$/.exec(figure);
  return m ? `${m[1] ?? ''}service_${m[2]}_s` : null;
}

function lowest(cells: readonly PlanCell[], figure: string): { candidate: string; value: number } | null {
  let out: { candidate: string; value: number } | null = null;
  for (const c of cells) {
    const v = c.estimates[figure]?.mean;
    if (v !== undefined && !Number.isNaN(v) && (out === null || v < out.value)) out = { candidate: c.candidate, value: v };
  }
  return out;
}

function unmet(cells: readonly PlanCell[], slos: readonly Slo[]): Unmet[] {
  return slos.map((slo) => {
    const ff = floorFigure(slo.figure);
    return {
      slo,
      metBy: cells.filter((c) => !c.brokenAll.includes(slo)).length,
      closest: lowest(cells, slo.figure),
      floor: ff ? lowest(cells, ff) : null,
    };
  });
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
