import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { axisValues } from '../plan/plan.js';
import type { SweepResult } from '../plan/sweep.js';
import { csvField } from './file-writer.js';

/**
 * `ollamasim sweep --out DIR`: cells.csv, one row per cell — the axis values,
 * then for every figure its mean and the half-width of its 95 % interval — and
 * summary.json with every replication's summary. Column names are a contract.
 */
export function writeSweep(dir: string, r: SweepResult, extra?: Extra): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cells.csv'), cellsCsv(r, extra));
  writeFileSync(join(dir, 'summary.json'), JSON.stringify({ ...sweepDocument(r), ...extra?.summary }, null, 2) + '\n');
}

/** What a command built on a sweep (plan) adds: columns after the sweep's own, and sections of summary.json. */
export interface Extra {
  columns: string[];
  row: (candidate: string) => string[];
  summary?: Record<string, unknown>;
}

export function cellsCsv(r: SweepResult, extra?: Extra): string {
  const figures = Object.keys(r.cells[0]?.estimates ?? {});
  const head = ['cell', 'candidate', ...r.axes.map((a) => a.key), 'replications', ...figures.flatMap((f) => [`${f}_mean`, `${f}_ci95`]), ...(extra?.columns ?? [])];
  const rows = r.cells.map((c) => {
    const axisValues = axisValuesOf(c.candidate, r);
    return [String(c.cell + 1), c.candidate, ...axisValues, String(c.runs.length),
      ...figures.flatMap((f) => [num(c.estimates[f]?.mean), num(c.estimates[f]?.ci95)]), ...(extra?.row(c.candidate) ?? [])];
  });
  return [head, ...rows].map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}

export function sweepDocument(r: SweepResult) {
  return {
    scenario: r.scenario,
    seed: r.seed,
    replications: r.replications,
    seeds: r.seeds,
    axes: r.axes,
    cells: r.cells.map((c) => ({ cell: c.cell + 1, candidate: c.candidate, estimates: c.estimates, runs: c.runs, ...(r.settings ? { settings: r.settings[c.cell] } : {}) })),
    warnings: r.warnings,
  };
}

/** The axis values a cell's name carries ("… | KEY=v, KEY2=w"), in axis order. */
function axisValuesOf(candidate: string, r: SweepResult): string[] {
  const values = axisValues(candidate);
  return r.axes.map((a) => values[a.key] ?? '');
}

function num(x: number | undefined): string {
  return x === undefined || Number.isNaN(x) ? '' : String(Math.round(x * 1e6) / 1e6);
}
