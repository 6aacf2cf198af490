import { type Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { CandidateSummary } from '../metrics/index.js';
import type { SweepTask } from '../plan/sweep.js';
import { putBlob } from './blobs.js';
import { type CellJob, decodeSummary, jobId, QUEUE_NAME } from './cells.js';

export interface QueueBatch {
  redis: Redis;
  /** The sweep without its tasks: bundle, axes, seeds. */
  job: Omit<CellJob, 'task'>;
  /** The bundle's files by hash, uploaded before the first cell is queued. */
  contents: Map<string, Buffer>;
  tasks: readonly SweepTask[];
  /** Each cell as it comes back: its result and its index in `tasks` (the sweep keeps it at once). */
  onDone?: (result: CandidateSummary, index: number) => void;
}

const KEEP_S = 7 * 24 * 3600;

/**
 * Puts a batch of cells on the queue and waits for every result, returned in
 * task order (as the local pool does). A cell already done by an earlier run of
 * the same sweep is not queued again: its stored result is used, so a
 * coordinator killed and started again resumes. A cell whose every attempt
 * failed is retried once more on the new run.
 */
export async function runOnQueue(b: QueueBatch): Promise<CandidateSummary[]> {
  for (const [sha, bytes] of b.contents) await putBlob(b.redis, sha, bytes);
  const queue = new Queue<CellJob, string>(QUEUE_NAME, { connection: b.redis });
  // Each job waiting on the shared connection listens for its closing: one per cell in flight.
  queue.setMaxListeners(0);
  // QueueEvents blocks on its connection: it needs one of its own.
  const listen = b.redis.duplicate();
  const events = new QueueEvents(QUEUE_NAME, { connection: listen });
  events.setMaxListeners(0);
  try {
    await events.waitUntilReady();
    const jobs: Job<CellJob, string>[] = [];
    for (const task of b.tasks) {
      const job = await queue.add('cell', { ...b.job, task }, {
        jobId: jobId(b.job, task),
        attempts: 3,
        backoff: { type: 'fixed', delay: 1000 },
        removeOnComplete: { age: KEEP_S },
        removeOnFail: { age: KEEP_S },
      });
      if ((await job.getState()) === 'failed') await job.retry();
      jobs.push(job);
    }
    return await Promise.all(jobs.map(async (job, index) => {
      const result = decodeSummary(await job.waitUntilFinished(events));
      b.onDone?.(result, index);
      return result;
    }));
  } finally {
    await events.close();
    await queue.close();
    listen.disconnect();
  }
}
