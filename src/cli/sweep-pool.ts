import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Axis } from '../config/grid.js';
import { loadScenario } from '../io/load-scenario.js';
import type { CandidateSummary } from '../metrics/index.js';
import type { ResolvedScenario } from '../config/types.js';
import type { Estimate } from '../plan/confidence.js';
import { gather, replicationSeed, runTasks, type SweepResult, type SweepTask, sweepTasks } from '../plan/sweep.js';

export interface PoolOptions {
  axes: Axis[];
  replications: number;
  /** Worker threads; 1 runs in this thread. Default: all cores. */
  jobs?: number;
  onProgress?: (done: number, total: number) => void;
  /**
   * Stop replicating a cell early once this says its figures are settled (the
   * planner: every objective's interval clear of its limit). Replications then
   * go on only for the undecided cells, two at a time at first.
   */
  decided?: (estimates: Record<string, Estimate>) => boolean;
}

/**
 * Runs a sweep's tasks over worker threads. Task k goes to worker k mod jobs,
 * and results are put back in task order: the same bytes whatever `jobs` is.
 */
export async function runSweep(file: string, opts: PoolOptions): Promise<SweepResult> {
  const base = await loadScenario(file, { axes: opts.axes });
  const seeds = Array.from({ length: Math.max(1, opts.replications) }, (_, r) => replicationSeed(base.seed, r));
  const cellCount = base.candidates.length;
  // Round 1 runs every cell twice (or once); later rounds only the cells `decided` has not settled.
  const first = opts.decided ? Math.min(2, seeds.length) : seeds.length;
  let tasks = sweepTasks(cellCount, first);
  const progress = { done: 0, total: cellCount * seeds.length };
  let results = await runBatch(file, opts, base, seeds, tasks, progress);
  for (let r = first; r < seeds.length && opts.decided; r++) {
    const so = gather(base, opts.axes, seeds, tasks, results);
    const open = so.cells.filter((c) => !opts.decided!(c.estimates)).map((c) => c.cell);
    if (open.length === 0) break;
    const more = open.map((cell) => ({ replication: r, cell }));
    results = results.concat(await runBatch(file, opts, base, seeds, more, progress));
    tasks = tasks.concat(more);
  }
  return gather(base, opts.axes, seeds, tasks, results);
}

/** One batch of tasks, on this thread or over workers; results in task order. */
async function runBatch(
  file: string, opts: PoolOptions, base: ResolvedScenario, seeds: number[], tasks: SweepTask[], progress: { done: number; total: number },
): Promise<CandidateSummary[]> {
  const jobs = Math.max(1, Math.min(opts.jobs ?? availableParallelism(), tasks.length));
  const tick = () => opts.onProgress?.(++progress.done, progress.total);
  if (jobs === 1) {
    return runTasks((seed) => (seed === undefined ? Promise.resolve(base) : loadScenario(file, { axes: opts.axes, seed })), seeds, tasks, tick);
  }
  const shares = Array.from({ length: jobs }, (_, w) => tasks.filter((_, k) => k % jobs === w));
  const parts = await Promise.all(shares.map((share) => runWorker({ file, axes: opts.axes, seeds, tasks: share }, tick)));
  return tasks.map((_, k) => parts[k % jobs]![Math.floor(k / jobs)]!);
}

function runWorker(data: unknown, tick: () => void): Promise<CandidateSummary[]> {
  // Compiled, the worker is plain JS. From the TypeScript sources (tests, tsx) it
  // first registers tsx's loader in its own thread, then imports the worker.
  const fromTs = import.meta.url.endsWith('.ts');
  const url = new URL(`./sweep-worker.${fromTs ? 'ts' : 'js'}`, import.meta.url);
  const worker = fromTs
    // tsx resolved from here, not from the working directory (which may be anywhere).
    ? new Worker(`import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((t) => { t.register(); return import(${JSON.stringify(url.href)}); });`, { eval: true, workerData: data })
    : new Worker(url, { workerData: data });
  return new Promise((resolve, reject) => {
    worker.on('message', (m: { done?: number; results?: CandidateSummary[] }) => {
      if (m.done) tick();
      if (m.results) resolve(m.results);
    });
    worker.on('error', reject);
    worker.on('exit', (code) => { if (code !== 0) reject(new Error(`sweep worker stopped with code ${code}`)); });
  });
}
