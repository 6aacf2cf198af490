import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Axis } from '../config/grid.js';
import { loadScenario } from '../io/load-scenario.js';
import type { CandidateSummary } from '../metrics/index.js';
import { gather, replicationSeed, runTasks, type SweepResult, sweepTasks } from '../plan/sweep.js';

export interface PoolOptions {
  axes: Axis[];
  replications: number;
  /** Worker threads; 1 runs in this thread. Default: all cores. */
  jobs?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Runs a sweep's tasks over worker threads. Task k goes to worker k mod jobs,
 * and results are put back in task order: the same bytes whatever `jobs` is.
 */
export async function runSweep(file: string, opts: PoolOptions): Promise<SweepResult> {
  const base = await loadScenario(file, { axes: opts.axes });
  const seeds = Array.from({ length: Math.max(1, opts.replications) }, (_, r) => replicationSeed(base.seed, r));
  const tasks = sweepTasks(base.candidates.length, seeds.length);
  const jobs = Math.max(1, Math.min(opts.jobs ?? availableParallelism(), tasks.length));
  let done = 0;
  const tick = () => opts.onProgress?.(++done, tasks.length);
  let results: CandidateSummary[];
  if (jobs === 1) {
    results = await runTasks((seed) => (seed === undefined ? Promise.resolve(base) : loadScenario(file, { axes: opts.axes, seed })), seeds, tasks, tick);
  } else {
    const shares = Array.from({ length: jobs }, (_, w) => tasks.filter((_, k) => k % jobs === w));
    const parts = await Promise.all(shares.map((share) => runWorker({ file, axes: opts.axes, seeds, tasks: share }, tick)));
    results = tasks.map((_, k) => parts[k % jobs]![Math.floor(k / jobs)]!);
  }
  return gather(base, opts.axes, seeds, tasks, results);
}

function runWorker(data: unknown, tick: () => void): Promise<CandidateSummary[]> {
  // Compiled, the worker is plain JS. From the TypeScript sources (tests, tsx) it
  // first registers tsx's loader in its own thread, then imports the worker.
  const fromTs = import.meta.url.endsWith('.ts');
  const url = new URL(`./sweep-worker.${fromTs ? 'ts' : 'js'}`, import.meta.url);
  const worker = fromTs
    ? new Worker(`import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(url.href)}); });`, { eval: true, workerData: data })
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
