/**
 * A charting thread (chart-pool.ts): loads vega and vega-lite as soon as it
 * starts — while the main thread still parses and simulates — then turns each
 * Vega-Lite spec it is sent into SVG with the same toSvg as the main thread,
 * one at a time, in the order sent.
 *
 * Asked to warm up (a large run, its CPU core otherwise idle), it first draws
 * the report's own charts for the first requests of the same scenario and
 * throws them away: vega's code is then compiled for exactly those charts
 * when the real ones come (cold, they take about half as long again). A real
 * chart never waits for more than the warm-up chart in hand.
 */
import { parentPort } from 'node:worker_threads';
import type { ResolvedScenario } from '../config/types.js';
import { runScenario } from '../sim/run-scenario.js';
import { preloadCharting, toSvg } from './render-charts.js';
import { runCharts } from './report-files.js';

interface Job {
  id: number;
  spec: Record<string, unknown>;
}
type Message = Job | { warm: ResolvedScenario };

const loaded = preloadCharting();
const jobs: Job[] = [];
let warm: ResolvedScenario | null = null;
let busy = false;

parentPort!.on('message', (m: Message) => {
  if ('warm' in m) warm = m.warm;
  else jobs.push(m);
  void pump();
});

async function pump(): Promise<void> {
  if (busy) return;
  busy = true;
  try {
    await loaded;
    while (jobs.length > 0 || warm) {
      const job = jobs.shift();
      if (job) {
        await draw(job);
      } else {
        const sc = warm!;
        warm = null;
        await warmUp(sc);
      }
    }
  } finally {
    busy = false;
  }
}

async function draw(job: Job): Promise<void> {
  try {
    parentPort!.postMessage({ id: job.id, svg: await toSvg(job.spec) });
  } catch (e) {
    parentPort!.postMessage({ id: job.id, error: String((e as Error)?.message ?? e) });
  }
}

/** The report's charts of a small run of the scenario, drawn and dropped; stops as soon as real charts are waiting. */
async function warmUp(sc: ResolvedScenario): Promise<void> {
  try {
    for (const chart of runCharts(sc, runScenario(sc, { series: true }))) {
      if (jobs.length > 0) return;
      await toSvg(chart.spec);
    }
  } catch {
    // Only a warm-up: whatever it trips on, the real charts will report.
  }
}
