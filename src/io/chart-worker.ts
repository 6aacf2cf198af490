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

/**
 * One chart at a time, in the order sent: laid out together, the charts'
 * steps interleave and all finish near the end, so the main thread could
 * start none of their PNGs until then; one by one, the first is back early
 * and its PNG is drawn while the next is laid out.
 */
const queue: Job[] = [];
let drawing = false;

parentPort!.on('message', (job: Job) => {
  queue.push(job);
  if (!drawing) void drawAll();
});

async function drawAll(): Promise<void> {
  drawing = true;
  for (let job = queue.shift(); job; job = queue.shift()) {
    try {
      parentPort!.postMessage({ id: job.id, svg: await toSvg(job.spec) });
    } catch (e) {
      parentPort!.postMessage({ id: job.id, error: String((e as Error)?.message ?? e) });
    }
  }
  drawing = false;
}
