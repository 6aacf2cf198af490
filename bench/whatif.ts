/**
 * The what-if page in Chromium: a 100 k-request day, one control moved at a
 * time; the time from the move to the redrawn page (simulation in the Web
 * Worker, charts drawn, table filled). Best and median of 5 moves after the
 * first load. Needs Debian's chromium; without it the workload says so and
 * reports nothing.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { loadScenario } from '../src/io/load-scenario.js';
import { writeWhatIfPage } from '../src/io/whatif-page.js';
import type { Measure } from './workloads.js';

const CHROMIUM = '/usr/bin/chromium';

export async function whatIfWorkload(): Promise<Measure & { median_s?: number; simulate_s?: number }> {
  if (!existsSync(CHROMIUM)) {
    process.stderr.write('what-if bench skipped: chromium is not installed\n');
    return { requests: 0, events: 0, seconds: 1 };
  }
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-whatif-bench-'));
  writeFileSync(join(dir, 's.yaml'), `name: what-if bench
seed: 1
host: { gpus: [ { vram: 24GiB } ], unload: 1s }
models: { a: { vram: 8GiB, load: 6s }, b: { vram: 10GiB, load: 9s }, c: { vram: 14GiB, load: 12s } }
workload:
  synthetic:
    length: 24h
    models:
      a: { rate: 2600/h, peak_hour: 14, trough: 0.2, duration: { median: 0.6, p95: 3 } }
      b: { rate: 1200/h, duration: { median: 1, p95: 5 } }
      c: { rate: 300/h, process: onoff, on: 10m, off: 30m, duration: 4 }
`);
  const sc = await loadScenario(join(dir, 's.yaml'));
  await writeWhatIfPage(dir, sc, readFileSync(join(dir, 's.yaml'), 'utf8'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(dir, 'whatif.html')).href);
    const ready = (n: number) => page.waitForFunction((k) => {
      const h = (window as unknown as { __whatif: { state: string; runs: number } }).__whatif;
      return h.state === 'ready' && h.runs >= k;
    }, n, { timeout: 120_000 });
    await ready(1);
    const times: number[] = [];
    const sims: number[] = [];
    for (let k = 1; k <= 6; k++) {
      // Each move: the keep-alive slider one position on; timed in the page from the input to the redraw.
      const ms = await page.evaluate(async (pos) => {
        const input = document.getElementById('keep-alive') as HTMLInputElement;
        const h = (window as unknown as { __whatif: { runs: number; last: { simulatedMs: number } } }).__whatif;
        const before = h.runs;
        const t0 = performance.now();
        input.value = String(pos);
        input.dispatchEvent(new Event('input'));
        while (h.runs === before) await new Promise((r) => requestAnimationFrame(r));
        return [performance.now() - t0, h.last.simulatedMs];
      }, 1 + (k % 12));
      if (k > 1) { times.push(ms[0]!); sims.push(ms[1]!); }
    }
    // The page waits 120 ms after a move for the next before it reruns (a slider dragged sends many): not the simulation's time.
    const rerun = times.map((t) => t - 120).sort((a, b) => a - b);
    sims.sort((a, b) => a - b);
    return {
      requests: sc.trace.length, events: 0, seconds: rerun[0]! / 1000,
      median_s: rerun[Math.floor(rerun.length / 2)]! / 1000, simulate_s: sims[0]! / 1000,
    };
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
