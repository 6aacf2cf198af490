/**
 * A sweep worker: loads the scenario (once per replication seed; its trace
 * file comes parsed from the parent) and runs its share of the tasks,
 * reporting each finished task and then all its results.
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
  /** The parent's parsed traces (shared memory). */
  traces: [string, Workload][];
}

const job = workerData as Job;
const traces = new Map(job.traces);
const results = await runTasks(
  (seed) => loadScenario(job.file, { axes: job.axes, traces, ...(seed === undefined ? {} : { seed }) }),
  job.seeds,
  job.tasks,
  () => parentPort!.postMessage({ done: 1 }),
);
parentPort!.postMessage({ results });
