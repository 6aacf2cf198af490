import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { toSvg } from './render-charts.js';

/**
 * Charts drawn on a thread of their own: loading vega and vega-lite takes
 * about 0.2 s and laying out a chart 15–150 ms, on one core. A run that will
 * draw charts starts the thread first (preloadCharts), so the stack loads on
 * another core while this one parses and simulates; then the charts are laid
 * out there while this thread draws each finished one as PNG (resvg) and
 * writes it. The SVG bytes are those of toSvg on this thread.
 *
 * One thread: a second one loads the stack again and warms up again, which
 * cost as much as it saved (measured, 300 k-request run). None on a one-core
 * machine, and none from the TypeScript sources (tests would start each with
 * tsx, which costs more than it saves) unless asked with chartThreads().
 */
let threads = import.meta.url.endsWith('.ts') || availableParallelism() < 2 ? 0 : 1;
let pool: ChartPool | null = null;

/** Sets how many charting threads later charts use (0: draw on this thread); ends the current pool. */
export function chartThreads(n: number): void {
  pool?.close();
  pool = null;
  threads = n;
}

/** Starts the charting threads now (when charts will be drawn later in this run). */
export function preloadCharts(): void {
  if (threads > 0) pool ??= new ChartPool(threads);
}

/** A Vega-Lite spec as SVG, on a charting thread when there are some. */
export function chartSvg(spec: Record<string, unknown>): Promise<string> {
  preloadCharts();
  return pool ? pool.svg(spec) : toSvg(spec);
}

/** The pool in use, if any (tests). */
export const chartPoolForTests = (): ChartPool | null => pool;

interface Pending {
  /** The thread drawing it, and what it draws (drawn here instead if the thread stops). */
  worker: number;
  spec: Record<string, unknown>;
  resolve: (svg: string) => void;
  reject: (e: Error) => void;
}

class ChartPool {
  private readonly workers: Worker[] = [];
  private readonly load: number[] = [];
  private readonly pending = new Map<number, Pending>();
  private next = 0;

  constructor(n: number) {
    for (let i = 0; i < n; i++) {
      const w = startThread();
      w.on('message', (m: { id: number; svg?: string; error?: string }) => this.settle(i, m));
      w.on('error', (e) => this.fail(i, e));
      // A thread that ends (killed, out of memory) hands back the charts it held rather than leave them unanswered.
      w.on('exit', (code) => this.fail(i, new Error(`the charting thread stopped (exit code ${code})`)));
      // Idle threads never keep the process alive; a thread with charts to draw does.
      w.unref();
      this.workers.push(w);
      this.load.push(0);
    }
  }

  svg(spec: Record<string, unknown>): Promise<string> {
    const least = Math.min(...this.load);
    if (least === Infinity) return toSvg(spec); // every thread has stopped: draw here
    const i = this.load.indexOf(least);
    const id = this.next++;
    return new Promise<string>((resolve, reject) => {
      this.pending.set(id, { worker: i, spec, resolve, reject });
      if (this.load[i]!++ === 0) this.workers[i]!.ref();
      this.workers[i]!.postMessage({ id, spec });
    });
  }

  /** Ends the threads as a crash would (tests): what they held, and later charts, are drawn on the calling thread. */
  async stopThreads(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  close(): void {
    for (const w of this.workers) void w.terminate();
    for (const p of this.pending.values()) p.reject(new Error('charting threads closed'));
    this.pending.clear();
  }

  private settle(i: number, m: { id: number; svg?: string; error?: string }): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (--this.load[i]! === 0) this.workers[i]!.unref();
    if (m.error !== undefined) p.reject(new Error(m.error));
    else p.resolve(m.svg!);
  }

  /** A thread died (killed, out of memory, a bug): the charts it held are drawn on this thread instead, and so are later ones. */
  private fail(i: number, _e: Error): void {
    this.load[i] = Infinity;
    for (const [id, p] of this.pending) {
      if (p.worker !== i) continue;
      this.pending.delete(id);
      toSvg(p.spec).then(p.resolve, p.reject);
    }
  }
}

function startThread(): Worker {
  const fromTs = import.meta.url.endsWith('.ts');
  const url = new URL(`./chart-worker.${fromTs ? 'ts' : 'js'}`, import.meta.url);
  return fromTs
    ? new Worker(`import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((t) => { t.register(); return import(${JSON.stringify(url.href)}); });`, { eval: true })
    : new Worker(url);
}
