import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Axis } from '../config/grid.js';
import { loadScenario } from '../io/load-scenario.js';
import { candidateSettings } from '../io/settings.js';
import type { CandidateSummary } from '../metrics/index.js';
import type { ResolvedScenario } from '../config/types.js';
import type { Estimate } from '../plan/confidence.js';
import { gather, replicationSeed, runTasks, type SweepResult, type SweepTask, sweepTasks } from '../plan/sweep.js';

/** Where finished runs are kept as they end (DIR.partial/), and — on --resume — taken back from. */
export interface RunStore {
  /** A kept run of this cell and replication; absent unless resuming. */
  get?(cell: number, replication: number, candidate: string): CandidateSummary | undefined;
  put(cell: number, replication: number, candidate: string, summary: CandidateSummary): void;
}

export interface PoolOptions {
  axes: Axis[];
  replications: number;
  /** Worker threads; 1 runs in this thread. Default: all cores. */
  jobs?: number;
  /** Runs (cell × replication) done so far, of how many; kept runs count as done. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Stop replicating a cell early once this says its figures are settled (the
   * planner: every objective's interval clear of its limit). Replications then
   * go on only for the undecided cells, two at a time at first.
   */
  decided?: (estimates: Record<string, Estimate>) => boolean;
  /** Requests one workload may make (--max-requests). */
  maxRequests?: number;
  /** The store for this scenario, made once it is loaded (its hash needs the trace). */
  store?: (base: ResolvedScenario) => RunStore;
}

/**
 * Runs a sweep's tasks over worker threads. Task k goes to worker k mod jobs,
 * and results are put back in task order: the same bytes whatever `jobs` is,
 * and whichever runs were taken from the store.
 */
export async function runSweep(file: string, opts: PoolOptions): Promise<SweepResult> {
  const limit = opts.maxRequests === undefined ? {} : { maxRequests: opts.maxRequests };
  const base = await loadScenario(file, { axes: opts.axes, ...limit });
  const store = opts.store?.(base);
  const seeds = Array.from({ length: Math.max(1, opts.replications) }, (_, r) => replicationSeed(base.seed, r));
  const cellCount = base.candidates.length;
  // Round 1 runs every cell twice (or once); later rounds only the cells `decided` has not settled.
  const first = opts.decided ? Math.min(2, seeds.length) : seeds.length;
  let tasks = sweepTasks(cellCount, first);
  const progress = { done: 0, total: cellCount * seeds.length };
  const ctx: Batch = { file, opts, base, seeds, progress, store, loaded: new Map() };
  let results = await runBatch(ctx, tasks);
  let running = cellCount;
  for (let r = first; r < seeds.length && opts.decided; r++) {
    const so = gather(base, opts.axes, seeds, tasks, results);
    const open = so.cells.filter((c) => !opts.decided!(c.estimates)).map((c) => c.cell);
    // Settled cells stay settled and are not run again: the bar counts only what is left.
    progress.total -= (running - open.length) * (seeds.length - r);
    running = open.length;
    if (open.length === 0) break;
    const more = open.map((cell) => ({ replication: r, cell }));
    results = results.concat(await runBatch(ctx, more));
    tasks = tasks.concat(more);
  }
  return { ...gather(base, opts.axes, seeds, tasks, results), settings: candidateSettings(base) };
}

interface Batch {
  file: string;
  opts: PoolOptions;
  base: ResolvedScenario;
  seeds: number[];
  progress: { done: number; total: number };
  store: RunStore | undefined;
  /** The scenario per replication seed, loaded once (this thread only). */
  loaded: Map<number, Promise<ResolvedScenario>>;
}

/** One batch of tasks: kept runs first, the rest on this thread or over workers; results in task order. */
async function runBatch(b: Batch, tasks: SweepTask[]): Promise<CandidateSummary[]> {
  const { opts, base, store, progress } = b;
  const tick = () => opts.onProgress?.(++progress.done, progress.total);
  const name = (t: SweepTask) => base.candidates[t.cell]!.name;
  const results: CandidateSummary[] = new Array(tasks.length);
  const todo: number[] = [];
  tasks.forEach((t, k) => {
    const kept = store?.get?.(t.cell, t.replication, name(t));
    if (kept) {
      results[k] = kept;
      tick();
    } else {
      todo.push(k);
    }
  });
  const finished = (k: number, s: CandidateSummary) => {
    results[k] = s;
    store?.put(tasks[k]!.cell, tasks[k]!.replication, name(tasks[k]!), s);
    tick();
  };
  const jobs = Math.max(1, Math.min(opts.jobs ?? availableParallelism(), todo.length));
  if (todo.length === 0) return results;
  if (jobs === 1) {
    const load = (seed: number | undefined) => {
      if (seed === undefined) return Promise.resolve(base);
      let p = b.loaded.get(seed);
      if (!p) b.loaded.set(seed, (p = loadScenario(b.file, { axes: opts.axes, seed, ...limitOf(opts) })));
      return p;
    };
    for (const k of todo) {
      // Let a Ctrl-C in between runs be heard: each run is one synchronous stretch.
      await new Promise((r) => setImmediate(r));
      await runTasks(load, b.seeds, [tasks[k]!], (s) => finished(k, s));
    }
    return results;
  }
  const shares = Array.from({ length: jobs }, (_, w) => todo.filter((_, i) => i % jobs === w));
  await Promise.all(shares.map((share) => runWorker(
    { file: b.file, axes: opts.axes, seeds: b.seeds, tasks: share.map((k) => tasks[k]!), ...limitOf(opts) },
    (i, s) => finished(share[i]!, s),
  )));
  return results;
}

const limitOf = (opts: PoolOptions) => (opts.maxRequests === undefined ? {} : { maxRequests: opts.maxRequests });

/** A worker runs its share and posts each run as it ends; resolves once all have come back. */
function runWorker(data: { tasks: SweepTask[] } & Record<string, unknown>, onRun: (index: number, s: CandidateSummary) => void): Promise<void> {
  // Compiled, the worker is plain JS. From the TypeScript sources (tests, tsx) it
  // first registers tsx's loader in its own thread, then imports the worker.
  const fromTs = import.meta.url.endsWith('.ts');
  const url = new URL(`./sweep-worker.${fromTs ? 'ts' : 'js'}`, import.meta.url);
  const worker = fromTs
    // tsx is found from this file, not from the working directory (an eval worker resolves from there).
    ? new Worker(`import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((t) => { t.register(); return import(${JSON.stringify(url.href)}); });`, { eval: true, workerData: data })
    : new Worker(url, { workerData: data });
  let received = 0;
  return new Promise((resolve, reject) => {
    worker.on('message', (m: { index: number; result: CandidateSummary }) => {
      onRun(m.index, m.result);
      if (++received === data.tasks.length) resolve();
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code !== 0) reject(new Error(`sweep worker stopped with code ${code}`));
      else if (received < data.tasks.length) reject(new Error('sweep worker ended early'));
    });
  });
}
