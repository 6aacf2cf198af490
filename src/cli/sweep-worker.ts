/**
 * A sweep worker: loads the scenario (once per replication seed) and runs its
 * share of the tasks, reporting each finished task and then all its results.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Axis } from '../config/grid.js';
import { loadScenario } from '../io/load-scenario.js';
import { runTasks, type SweepTask } from '../plan/sweep.js';

interface Job {
  file: string;
  axes: Axis[];
  seeds: number[];
  tasks: SweepTask[];
}

const job = workerData as Job;
const results = await runTasks(
  (seed) => loadScenario(job.file, { axes: job.axes, ...(seed === undefined ? {} : { seed }) }),
  job.seeds,
  job.tasks,
  () => parentPort!.postMessage({ done: 1 }),
);
parentPort!.postMessage({ results });
