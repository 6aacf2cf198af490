/**
 * A sweep worker: loads the scenario (once per replication seed) and runs its
 * share of the tasks, posting each run's summary the moment it ends (so the
 * main thread can keep it, should the sweep be interrupted).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Axis } from '../config/grid.js';
import { loadScenario, type Workload } from '../io/load-scenario.js';
import { runTasks, type SweepTask } from '../plan/sweep.js';

interface Job {
  file: string;
  axes: Axis[];
  seeds: number[];
  tasks: SweepTask[];
  maxRequests?: number;
  /** The parent's parsed traces (shared memory: not copied). */
  traces?: [string, Workload][];
}

const job = workerData as Job;
const traces = new Map(job.traces ?? []);
const limit = job.maxRequests === undefined ? {} : { maxRequests: job.maxRequests };
await runTasks(
  (seed) => loadScenario(job.file, { axes: job.axes, ...limit, traces, ...(seed === undefined ? {} : { seed }) }),
  job.seeds,
  job.tasks,
  (result, index) => parentPort!.postMessage({ index, result }),
);
