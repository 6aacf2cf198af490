import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Axis } from '../config/grid.js';
import { loadScenario } from '../io/load-scenario.js';
import type { CandidateSummary } from '../metrics/index.js';
import type { ResolvedScenario } from '../config/types.js';
import type { Estimate } from '../plan/confidence.js';
import { bundleScenario } from '../io/scenario-bundle.js';
import { connectQueue } from '../queue/connection.js';
import { runOnQueue } from '../queue/coordinator.js';
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
  /** A Redis URL: cells go to `ollamasim worker`s through the queue instead of local threads. */
  queue?: string;
}

/** Where a batch of tasks runs: local threads, or the queue's workers. */
type BatchRunner = (tasks: SweepTask[], progress: { done: number; total: number }) => Promise<CandidateSummary[]>;

/**
 * Runs a sweep's tasks over worker threads. Task k goes to worker k mod jobs,
 * and results are put back in task order: the same bytes whatever `jobs` is.
 */
export async function runSweep(file: string, opts: PoolOptions): Promise<SweepResult> {
  const base = await loadScenario(file, { axes: opts.axes });
  const seeds = Array.from({ length: Math.max(1, opts.replications) }, (_, r) => replicationSeed(base.seed, r));
  const queue = opts.queue ? await queueRunner(file, opts, seeds) : null;
  const batch: BatchRunner = queue?.run ?? ((t, p) => runBatch(file, opts, base, seeds, t, p));
  try {
    return await rounds(base, seeds, batch, opts);
  } finally {
    queue?.close();
  }
}

/** Round 1 runs every cell twice (or once); with `decided`, later rounds only the cells not yet settled. */
async function rounds(base: ResolvedScenario, seeds: number[], batch: BatchRunner, opts: PoolOptions): Promise<SweepResult> {
  const cellCount = base.candidates.length;
  const first = opts.decided ? Math.min(2, seeds.length) : seeds.length;
  let tasks = sweepTasks(cellCount, first);
  const progress = { done: 0, total: cellCount * seeds.length };
  let results = await batch(tasks, progress);
  for (let r = first; r < seeds.length && opts.decided; r++) {
    const so = gather(base, opts.axes, seeds, tasks, results);
    const open = so.cells.filter((c) => !opts.decided!(c.estimates)).map((c) => c.cell);
    if (open.length === 0) break;
    const more = open.map((cell) => ({ replication: r, cell }));
    results = results.concat(await batch(more, progress));
    tasks = tasks.concat(more);
  }
  return gather(base, opts.axes, seeds, tasks, results);
}

/** The queue's workers run the cells; the scenario's files travel by content hash. */
async function queueRunner(file: string, opts: PoolOptions, seeds: number[]): Promise<{ run: BatchRunner; close(): void }> {
  const redis = await connectQueue(opts.queue!);
  const { bundle, contents } = bundleScenario(file);
  const job = { bundle, axes: opts.axes, seeds };
  return {
    run: (tasks, progress) => runOnQueue({ redis, job, contents, tasks, onDone: () => opts.onProgress?.(++progress.done, progress.total) }),
    close: () => redis.disconnect(),
  };
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

/**
 * A thread running one of this folder's scripts (by base name). Compiled, the
 * script is plain JS; from the TypeScript sources (tests, tsx) the thread first
 * registers tsx's loader, then imports the script.
 */
export function startThread(script: string, data: unknown): Worker {
  const fromTs = import.meta.url.endsWith('.ts');
  const url = new URL(`./${script}.${fromTs ? 'ts' : 'js'}`, import.meta.url);
  return fromTs
    ? new Worker(`import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((t) => { t.register(); return import(${JSON.stringify(url.href)}); });`, { eval: true, workerData: data })
    : new Worker(url, { workerData: data });
}

function runWorker(data: unknown, tick: () => void): Promise<CandidateSummary[]> {
  const worker = startThread('sweep-worker', data);
  return new Promise((resolve, reject) => {
    worker.on('message', (m: { done?: number; results?: CandidateSummary[] }) => {
      if (m.done) tick();
      if (m.results) resolve(m.results);
    });
    worker.on('error', reject);
    worker.on('exit', (code) => { if (code !== 0) reject(new Error(`sweep worker stopped with code ${code}`)); });
  });
}
