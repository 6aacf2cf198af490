import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import type { Axis } from '../config/grid.js';
import type { CandidateSummary } from '../metrics/index.js';
import type { SweepTask } from '../plan/sweep.js';

/** What a worker needs to run one cell of one replication: never code, only a scenario. */
export interface CellJob {
  /** The scenario and its files, by content hash (see io/scenario-bundle.ts). */
  bundle: { entry: string; files: { path: string; sha256: string; bytes: number }[]; sha256: string };
  axes: Axis[];
  seeds: number[];
  task: SweepTask;
}

export const QUEUE_NAME = 'ollamasim-cells';

/**
 * A cell's job id: the same scenario (its files' hashes), axes and seeds give the
 * same ids, so a coordinator run again finds the cells already done and a cell
 * retried after a worker died is still one cell, never counted twice.
 */
export function jobId(job: Omit<CellJob, 'task'>, task: SweepTask): string {
  const sweep = createHash('sha256').update(JSON.stringify([job.bundle.sha256, job.axes, job.seeds])).digest('hex').slice(0, 24);
  return `${sweep}-r${task.replication}-c${task.cell}`;
}

/**
 * Results travel as V8's structured serialisation, not JSON: NaN, −0 and every
 * double come back exactly, so the coordinator's files are byte for byte those
 * of a local sweep.
 */
export const encodeSummary = (s: CandidateSummary): string => serialize(s).toString('base64');
export const decodeSummary = (b64: string): CandidateSummary => deserialize(Buffer.from(b64, 'base64')) as CandidateSummary;
