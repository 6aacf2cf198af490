import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Axis } from '../config/grid.js';
import { loadScenario, type TraceCache } from '../io/load-scenario.js';
import { candidateSettings } from '../io/settings.js';
import type { CandidateSummary } from '../metrics/index.js';
import type { ResolvedScenario } from '../config/types.js';
import type { Estimate } from '../plan/confidence.js';
import { bundleScenario } from '../io/scenario-bundle.js';
import { connectQueue } from '../queue/connection.js';
import { runOnQueue } from '../queue/coordinator.js';
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
  /** A Redis URL: cells go to `ollamasim worker`s through the queue instead of local threads. */
  queue?: string;
}

/** Where the runs not kept from before go: local threads, or the queue's workers (results in task order). */
type Runner = (tasks: SweepTask[], finished: (k: number, s: CandidateSummary) => void) => Promise<void>;

/**
 * Runs a sweep's tasks over worker threads. Task k goes to worker k mod jobs,
 * and results are put back in task order: the same bytes whatever `jobs` is,
 * and whichever runs were taken from the store.
 */
export async function runSweep(file: string, opts: PoolOptions): Promise<SweepResult> {
  const limit = opts.maxRequests === undefined ? {} : { maxRequests: opts.maxRequests };
  // The trace file is parsed here, once; replications and worker threads reuse it.
  const traces: TraceCache = new Map();
  const base = await loadScenario(file, { axes: opts.axes, ...limit, traces });
  const store = opts.store?.(base);
  const seeds = Array.from({ length: Math.max(1, opts.replications) }, (_, r) => replicationSeed(base.seed, r));
  const cellCount = base.candidates.length;
  // Round 1 runs every cell twice (or once); later rounds only the cells `decided` has not settled.
  const first = opts.decided ? Math.min(2, seeds.length) : seeds.length;
  let tasks = sweepTasks(cellCount, first);
  const progress = { done: 0, total: cellCount * seeds.length };
  const queue = opts.queue ? await queueRunner(file, opts, seeds) : null;
  const ctx: Batch = { file, opts, base, seeds, progress, store, loaded: new Map(), traces };
  ctx.runner = queue?.run ?? ((t, finished) => runLocal(ctx, t, finished));
  try {
    return await rounds(ctx, first, tasks);
  } finally {
    queue?.close();
  }
}

/** Round 1 runs every cell twice (or once); with `decided`, later rounds only the cells not yet settled. */
async function rounds(ctx: Batch, first: number, firstTasks: SweepTask[]): Promise<SweepResult> {
  const { base, seeds, opts, progress } = ctx;
  const cellCount = base.candidates.length;
  let tasks = firstTasks;
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

/** The queue's workers run the cells; the scenario's files travel by content hash. */
async function queueRunner(file: string, opts: PoolOptions, seeds: number[]): Promise<{ run: Runner; close(): void }> {
  const redis = await connectQueue(opts.queue!);
  const { bundle, contents } = bundleScenario(file);
  const job = { bundle, axes: opts.axes, seeds };
  return {
    run: async (tasks, finished) => {
      await runOnQueue({ redis, job, contents, tasks, onDone: (s, k) => finished(k, s) });
    },
    close: () => redis.disconnect(),
  };
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
  /** Trace files already parsed (their columns are shared memory, handed to the worker threads as they are). */
  traces: TraceCache;
  runner?: Runner;
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
  if (todo.length === 0) return results;
  await b.runner!(todo.map((k) => tasks[k]!), (i, s) => finished(todo[i]!, s));
  return results;
}

/** Runs on this thread (jobs 1) or over worker threads; `finished(i, summary)` as each run ends. */
async function runLocal(b: Batch, tasks: SweepTask[], finished: (i: number, s: CandidateSummary) => void): Promise<void> {
  const { opts } = b;
  const jobs = Math.max(1, Math.min(opts.jobs ?? availableParallelism(), tasks.length));
  if (jobs === 1) {
    const load = (seed: number | undefined) => {
      if (seed === undefined) return Promise.resolve(b.base);
      let p = b.loaded.get(seed);
      if (!p) b.loaded.set(seed, (p = loadScenario(b.file, { axes: opts.axes, seed, ...limitOf(opts), traces: b.traces })));
      return p;
    };
    for (let i = 0; i < tasks.length; i++) {
      // Let a Ctrl-C in between runs be heard: each run is one synchronous stretch.
      await new Promise((r) => setImmediate(r));
      await runTasks(load, b.seeds, [tasks[i]!], (s) => finished(i, s));
    }
    return;
  }
  const shares = Array.from({ length: jobs }, (_, w) => tasks.map((_, i) => i).filter((i) => i % jobs === w));
  await Promise.all(shares.map((share) => runWorker(
    { file: b.file, axes: opts.axes, seeds: b.seeds, tasks: share.map((i) => tasks[i]!), ...limitOf(opts), traces: [...b.traces] },
    (j, s) => finished(share[j]!, s),
  )));
}

const limitOf = (opts: PoolOptions) => (opts.maxRequests === undefined ? {} : { maxRequests: opts.maxRequests });

/** A worker runs its share and posts each run as it ends; resolves once all have come back. */
function runWorker(data: { tasks: SweepTask[] } & Record<string, unknown>, onRun: (index: number, s: CandidateSummary) => void): Promise<void> {
  const worker = startThread('sweep-worker', data);
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

/**
 * A thread running one of this folder's scripts (by base name). Compiled, the
 * script is plain JS; from the TypeScript sources (tests, tsx) the thread first
 * registers tsx's loader (found from this file, not the working directory), then imports the script.
 */
export function startThread(script: string, data: unknown): Worker {
  const fromTs = import.meta.url.endsWith('.ts');
  const url = new URL(`./${script}.${fromTs ? 'ts' : 'js'}`, import.meta.url);
  return fromTs
    ? new Worker(`import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((t) => { t.register(); return import(${JSON.stringify(url.href)}); });`, { eval: true, workerData: data })
    : new Worker(url, { workerData: data });
}
