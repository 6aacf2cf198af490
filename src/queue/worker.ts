import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { CandidateSummary } from '../metrics/index.js';
import { getBlob } from './blobs.js';
import { type CellJob, encodeSummary, QUEUE_NAME } from './cells.js';

export interface WorkerOptions {
  redis: Redis;
  /** Cells run at once (each on its own thread). */
  concurrency: number;
  /**
   * How long a cell may go without its worker's heartbeat before another worker
   * takes it over (the worker died). BullMQ's lock duration.
   */
  stallTimeoutMs: number;
  /** Runs one cell, given the scenario's files fetched by hash. */
  runCell(job: CellJob, fetchBlob: (sha: string) => Promise<Buffer>): Promise<CandidateSummary>;
  /** After each cell the queue has acknowledged. */
  onCellDone?(id: string): void;
  onCellFailed?(id: string, reason: string): void;
}

/**
 * A sweep worker: takes cells from the queue and runs them. It runs only
 * scenarios — a cell's data is a scenario bundle, axes and seeds, never code.
 */
export function startWorker(o: WorkerOptions): Worker<CellJob, string> {
  const fetchBlob = (sha: string) => getBlob(o.redis, sha);
  const worker = new Worker<CellJob, string>(
    QUEUE_NAME,
    async (job) => encodeSummary(await o.runCell(job.data, fetchBlob)),
    {
      connection: o.redis,
      concurrency: o.concurrency,
      lockDuration: o.stallTimeoutMs,
      stalledInterval: Math.max(500, Math.floor(o.stallTimeoutMs / 2)),
      // A cell taken over from a dead worker is still the same cell; let it be taken over a few times.
      maxStalledCount: 5,
    },
  );
  worker.on('completed', (job) => o.onCellDone?.(job.id ?? '?'));
  worker.on('failed', (job, err) => o.onCellFailed?.(job?.id ?? '?', err.message));
  worker.on('error', () => {});
  return worker;
}
