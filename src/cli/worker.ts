import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker as Thread } from 'node:worker_threads';
import { InputError, msg } from '../diag/index.js';
import { parseDuration } from '../config/units.js';
import { materializeBundle } from '../io/scenario-bundle.js';
import type { CandidateSummary } from '../metrics/index.js';
import type { CellJob } from '../queue/cells.js';
import { connectQueue, shown } from '../queue/connection.js';
import { startWorker } from '../queue/worker.js';
import type { CellRequest } from './cell-thread.js';
import { startThread } from './sweep-pool.js';

export interface WorkerCommandOptions {
  queue?: string;
  jobs?: string;
  cache?: string;
  stallTimeout?: string;
}

/**
 * `ollamasim worker --queue redis://…`: takes sweep and plan cells from the
 * queue until stopped (Ctrl-C or SIGTERM finish the cells in hand first).
 * Prints one line per finished cell.
 */
export async function workerCommand(opts: WorkerCommandOptions): Promise<void> {
  if (!opts.queue) throw new InputError({ file: '(command line)', line: 1, field: '--queue', problem: msg.missing()[0], hint: 'e.g. --queue redis://127.0.0.1:6379' });
  const jobs = opts.jobs === undefined ? availableParallelism() : Number(opts.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new InputError({ file: '(command line)', line: 1, field: '--jobs', problem: msg.notPositiveInt(String(opts.jobs))[0] });
  const stallUs = parseDuration(opts.stallTimeout ?? '30s');
  if (stallUs === null || !(stallUs >= 1e6) || stallUs > 86400e6) {
    throw new InputError({ file: '(command line)', line: 1, field: '--stall-timeout', problem: msg.badDuration(String(opts.stallTimeout))[0], hint: 'from 1s to 24h, e.g. 30s' });
  }
  const stallTimeoutMs = stallUs / 1000;
  const cache = opts.cache ?? join(tmpdir(), 'ollamasim-cache');
  const redis = await connectQueue(opts.queue);
  const threads = new ThreadPool(jobs);
  const worker = startWorker({
    redis,
    concurrency: jobs,
    stallTimeoutMs,
    runCell: async (job, fetchBlob) => threads.run(await materializeBundle(cache, job.bundle, fetchBlob), job),
    onCellDone: (id) => process.stdout.write(`cell ${id} done\n`),
    onCellFailed: (id, reason) => process.stderr.write(`cell ${id} failed: ${reason}\n`),
  });
  process.stdout.write(`ollamasim worker: taking cells from ${shown(opts.queue)} with ${jobs} thread(s)\n`);
  await new Promise<void>((resolve) => {
    const stop = () => { void worker.close().then(async () => { await threads.close(); redis.disconnect(); resolve(); }); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/**
 * Threads that each run one cell at a time; a cell waits for a free thread. A
 * thread that dies fails its cell (the queue retries it) and is replaced.
 */
class ThreadPool {
  private readonly idle: Thread[] = [];
  private readonly waiting: ((t: Thread) => void)[] = [];
  private readonly all = new Set<Thread>();
  private next = 0;

  constructor(size: number) {
    for (let i = 0; i < size; i++) this.idle.push(this.spawn());
  }

  private spawn(): Thread {
    const t = startThread('cell-thread', null);
    this.all.add(t);
    return t;
  }

  async run(file: string, job: CellJob): Promise<CandidateSummary> {
    let thread = this.idle.pop() ?? (await new Promise<Thread>((r) => this.waiting.push(r)));
    const id = ++this.next;
    try {
      return await new Promise<CandidateSummary>((resolve, reject) => {
        const on = (m: { id: number; summary?: CandidateSummary; error?: string }) => {
          if (m.id !== id) return;
          done();
          if (m.error !== undefined) reject(new Error(m.error));
          else resolve(m.summary!);
        };
        const died = (e: Error) => {
          done();
          this.all.delete(thread);
          thread = this.spawn();
          reject(e);
        };
        const done = () => { thread.off('message', on); thread.off('error', died); };
        thread.on('message', on);
        thread.on('error', died);
        thread.postMessage({ id, file, job } satisfies CellRequest);
      });
    } finally {
      const w = this.waiting.shift();
      if (w) w(thread);
      else this.idle.push(thread);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.all].map((t) => t.terminate()));
  }
}
