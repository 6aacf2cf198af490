/**
 * A queue worker's thread: runs one cell at a time, as the coordinator's own
 * pool would, keeping each scenario it loaded (per file, axes and replication)
 * for the next cells of the same sweep.
 */
import { parentPort } from 'node:worker_threads';
import type { ResolvedScenario } from '../config/types.js';
import type { CellJob } from '../queue/cells.js';
import { loadScenario, type TraceCache } from '../io/load-scenario.js';
import { runTasks } from '../plan/sweep.js';

export interface CellRequest {
  id: number;
  file: string;
  job: CellJob;
}

const loaded = new Map<string, Promise<ResolvedScenario>>();
// A trace file read for one replication serves the others (their seeds draw nothing from a file).
const traces: TraceCache = new Map();

parentPort!.on('message', async ({ id, file, job }: CellRequest) => {
  try {
    const load = (seed: number | undefined) => {
      const key = JSON.stringify([file, job.axes, seed ?? null]);
      let sc = loaded.get(key);
      if (!sc) {
        if (loaded.size > 16) {
          loaded.clear();
          traces.clear();
        }
        sc = loadScenario(file, { axes: job.axes, traces, ...(seed === undefined ? {} : { seed }) });
        loaded.set(key, sc);
      }
      return sc;
    };
    const [summary] = await runTasks(load, job.seeds, [job.task]);
    parentPort!.postMessage({ id, summary });
  } catch (e) {
    parentPort!.postMessage({ id, error: (e as Error).message });
  }
});
