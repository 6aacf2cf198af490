/**
 * A charting thread (chart-pool.ts): loads vega and vega-lite as soon as it
 * starts — while the main thread still parses and simulates — then turns each
 * Vega-Lite spec it is sent into SVG with the same toSvg as the main thread.
 */
import { parentPort } from 'node:worker_threads';
import { preloadCharting, toSvg } from './render-charts.js';

interface Job {
  id: number;
  spec: Record<string, unknown>;
}

void preloadCharting();
parentPort!.on('message', (job: Job) => {
  toSvg(job.spec).then(
    (svg) => parentPort!.postMessage({ id: job.id, svg }),
    (e: unknown) => parentPort!.postMessage({ id: job.id, error: String((e as Error)?.message ?? e) }),
  );
});
