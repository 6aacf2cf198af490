import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { toSvg } from './render-charts.js';

/**
 * Charts drawn on a thread of their own: loading vega and vega-lite takes
 * 0.03 s from the build's bundle (0.15 s from node_modules; charting-stack.ts)
 * and laying out a chart 15–150 ms, on one core. A run that will
 * draw charts starts the thread first (preloadCharts), so the stack loads on
 * another core while this one parses and simulates; then the charts are laid
 * out there while this thread draws each finished one as PNG (resvg) and
 * writes it. The SVG bytes are those of toSvg on this thread.
 *
 * One thread: a second one compiles vega's hot code again, which cost as
 * much as it saved (measured again with the bundle: 300 k-request and
 * 1 M × 3 runs). None on a one-core
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

interface Chart {
  id: number;
  spec: Record<string, unknown>;
  resolve: (svg: string) => void;
  reject: (e: Error) => void;
}

/**
 * Charts go out one at a time, in the order asked, each to the first thread
 * that is free: a thread drawing the large memory chart is not handed the
 * next ones while another stands idle, and the first charts come back first
 * (their PNGs are drawn here meanwhile).
 */
class ChartPool {
  private readonly workers: Worker[] = [];
  /** The chart each thread is drawing (null: free; undefined: the thread has stopped). */
  private readonly drawing: (Chart | null | undefined)[] = [];
  private readonly queue: Chart[] = [];
  private next = 0;

  constructor(n: number) {
    for (let i = 0; i < n; i++) {
      const w = startThread();
      w.on('message', (m: { id: number; svg?: string; error?: string }) => this.settle(i, m));
      w.on('error', (e) => this.fail(i, e));
      // A thread that ends (killed, out of memory) hands back the chart it held rather than leave it unanswered.
      w.on('exit', (code) => this.fail(i, new Error(`the charting thread stopped (exit code ${code})`)));
      // Idle threads never keep the process alive; a thread with a chart to draw does.
      w.unref();
      this.workers.push(w);
      this.drawing.push(null);
    }
  }

  svg(spec: Record<string, unknown>): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      this.queue.push({ id: this.next++, spec, resolve, reject });
      this.dispatch();
    });
  }

  /** Ends the threads as a crash would (tests): what they held, and later charts, are drawn on the calling thread. */
  async stopThreads(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /** Ends thread i as a crash would (tests): the chart it held goes to another thread. */
  async stopThread(i: number): Promise<void> {
    await this.workers[i]!.terminate();
  }

  close(): void {
    for (const w of this.workers) void w.terminate();
    const held = [...this.queue, ...this.drawing.filter((c): c is Chart => !!c)];
    this.queue.length = 0;
    this.drawing.fill(undefined);
    for (const c of held) c.reject(new Error('charting threads closed'));
  }

  /** Hands queued charts to free threads; with every thread stopped, draws them here. */
  private dispatch(): void {
    if (this.drawing.every((d) => d === undefined)) {
      for (let c = this.queue.shift(); c; c = this.queue.shift()) toSvg(c.spec).then(c.resolve, c.reject);
      return;
    }
    for (let i = 0; i < this.workers.length && this.queue.length > 0; i++) {
      if (this.drawing[i] !== null) continue;
      const c = this.queue.shift()!;
      this.drawing[i] = c;
      this.workers[i]!.ref();
      this.workers[i]!.postMessage({ id: c.id, spec: c.spec });
    }
  }

  private settle(i: number, m: { id: number; svg?: string; error?: string }): void {
    const c = this.drawing[i];
    if (!c || c.id !== m.id) return;
    this.drawing[i] = null;
    this.workers[i]!.unref();
    if (m.error !== undefined) c.reject(new Error(m.error));
    else c.resolve(m.svg!);
    this.dispatch();
  }

  /** A thread died (killed, out of memory, a bug): the chart it held goes back to the front of the queue, for another thread or this one. */
  private fail(i: number, _e: Error): void {
    const c = this.drawing[i];
    if (c === undefined) return;
    this.drawing[i] = undefined;
    if (c) this.queue.unshift(c);
    this.dispatch();
  }
}

function startThread(): Worker {
  const fromTs = import.meta.url.endsWith('.ts');
  const url = new URL(`./chart-worker.${fromTs ? 'ts' : 'js'}`, import.meta.url);
  return fromTs
    ? new Worker(`import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((t) => { t.register(); return import(${JSON.stringify(url.href)}); });`, { eval: true })
    : new Worker(url);
}
