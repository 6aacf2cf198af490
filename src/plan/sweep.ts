import type { Axis } from '../config/grid.js';
import type { ResolvedScenario } from '../config/types.js';
import { deriveSeed } from '../engine/index.js';
import type { CandidateSummary } from '../metrics/index.js';
import { runScenario } from '../sim/run-scenario.js';
import { type Estimate, estimate } from './confidence.js';

/**
 * A sweep: every cell (candidate × axis values) run `replications` times with
 * seeds derived from the scenario's, then mean and 95 % interval per figure.
 * Replication 1 uses the scenario's own seed. Only what is drawn at random —
 * synthetic traffic, closed-loop users, a random router — changes between
 * replications: a replayed trace gives the same figures every time (interval 0).
 *
 * Each (replication, cell) task is independent and deterministic, so results
 * are identical whatever the number of workers; they are gathered in task order.
 */
export interface SweepTask {
  replication: number;
  cell: number;
}

export interface SweepCellResult {
  cell: number;
  candidate: string;
  runs: CandidateSummary[];
  /** Mean and 95 % half-width of every numeric figure of the summary. */
  estimates: Record<string, Estimate>;
}

export interface SweepResult {
  scenario: string;
  seed: number;
  replications: number;
  seeds: number[];
  axes: Axis[];
  cells: SweepCellResult[];
  /** Each cell's settings as resolved (summary.json), when the caller adds them. */
  settings?: Record<string, unknown>[];
  /** The scenario's non-fatal findings (what a sweep's answer leaves out, settings Ollama would replace). */
  warnings: string[];
}

export type Loader = (seed: number | undefined) => Promise<ResolvedScenario>;

/** A summary's numeric figures, the per-model ones as `models.NAME.figure`. */
function figures(s: CandidateSummary): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [key, v] of Object.entries(s)) if (typeof v === 'number') out[key] = v;
  for (const [model, m] of Object.entries(s.models ?? {})) {
    for (const [key, v] of Object.entries(m)) out[`models.${model}.${key}`] = typeof v === 'number' ? v : null;
  }
  return out;
}

export function replicationSeed(seed: number, replication: number): number {
  return replication === 0 ? seed : deriveSeed(seed, `replication/${replication}`);
}

export function sweepTasks(cells: number, replications: number): SweepTask[] {
  const tasks: SweepTask[] = [];
  for (let r = 0; r < replications; r++) for (let c = 0; c < cells; c++) tasks.push({ replication: r, cell: c });
  return tasks;
}

/** Runs some tasks in this thread (a worker runs its share the same way). */
export async function runTasks(load: Loader, seeds: readonly number[], tasks: readonly SweepTask[], onDone?: (summary: CandidateSummary, index: number) => void): Promise<CandidateSummary[]> {
  const loaded = new Map<number, ResolvedScenario>();
  const out: CandidateSummary[] = [];
  for (const t of tasks) {
    let sc = loaded.get(t.replication);
    if (!sc) {
      sc = await load(t.replication === 0 ? undefined : seeds[t.replication]);
      loaded.set(t.replication, sc);
    }
    const [r] = runScenario({ ...sc, candidates: [sc.candidates[t.cell]!] });
    out.push(r!.summary);
    onDone?.(r!.summary, out.length - 1);
  }
  return out;
}

/** Gathers task results (in task order) into per-cell estimates. */
export function gather(sc: ResolvedScenario, axes: Axis[], seeds: number[], tasks: readonly SweepTask[], results: readonly CandidateSummary[]): SweepResult {
  const cells: SweepCellResult[] = sc.candidates.map((c, i) => ({ cell: i, candidate: c.name, runs: [], estimates: {} }));
  tasks.forEach((t, k) => cells[t.cell]!.runs.push(results[k]!));
  for (const cell of cells) {
    const flat = cell.runs.map(figures);
    for (const key of Object.keys(flat[0]!)) {
      cell.estimates[key] = estimate(flat.map((f) => f[key]).filter((x): x is number => typeof x === 'number'));
    }
  }
  return { scenario: sc.name, seed: sc.seed, replications: seeds.length, seeds, axes, cells, warnings: sc.warnings };
}
