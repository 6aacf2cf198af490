/**
 * The what-if page in a real browser (Debian's chromium): opened from file://,
 * its controls rerun the simulation in a Web Worker, and the figures it shows
 * are `ollamasim run`'s to the last digit for the same settings. Nothing is
 * fetched, nothing is logged as an error, and a link with the settings in its
 * fragment reproduces the what-if. Screenshots are kept under out/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { fromFragment, settingsAxes, toFragment } from '../../src/page/settings.js';
import { decodeTrace, encodeTrace, fromJson, toJson } from '../../src/page/codec.js';
import { loadScenario } from '../../src/io/load-scenario.js';

const CHROMIUM = '/usr/bin/chromium';
const root = resolve(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const main = join(root, 'src/cli/main.ts');

const BASE = `name: what-if check
seed: 3
host: { gpu: rtx-3090, unload: 1s }
models:
  llama3.1:8b: {}
  qwen2.5-coder:14b: {}
  chat-small: { vram: 4GiB, load: 3s }
workload:
  synthetic:
    length: 3h
    models:
      llama3.1:8b: { rate: 120/h, prompt_tokens: 800, output_tokens: 200 }
      qwen2.5-coder:14b: { rate: 40/h, process: onoff, on: 10m, off: 20m, prompt_tokens: 1500, output_tokens: 300 }
      chat-small: { rate: 20/h, duration: 3 }
`;
const SCENARIO = `${BASE}candidates:
  - { name: as deployed, server: { OLLAMA_KEEP_ALIVE: 5m } }
  - { name: forever, server: { OLLAMA_KEEP_ALIVE: "-1" } }
`;
/** What the page's controls below set, written into the scenario's first candidate. */
const WRITTEN_IN = `${BASE}candidates:
  - { name: as deployed, server: { OLLAMA_KEEP_ALIVE: 30m, OLLAMA_NUM_PARALLEL: 2 }, host: { gpu: rtx-4090 }, models: { chat-small: { keep_alive: 1m } } }
`;

function cliJson(dir: string, file: string): Record<string, unknown>[] {
  const r = spawnSync(tsx, [main, 'run', file, '--json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  expect(r.status, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { candidates: Record<string, unknown>[] }).candidates;
}

/** A summary as `run --json` prints it (NaN → null), without the candidate's name and the settings summary.json adds. */
function figures(s: Record<string, unknown>): Record<string, unknown> {
  const { candidate: _, settings: __, ...rest } = JSON.parse(JSON.stringify(s)) as Record<string, unknown>;
  return rest;
}

type Hook = { state: string; runs: number; error: string | null; last: { baseline: Record<string, unknown>; whatIf: Record<string, unknown>; charts: { id: string }[] } };
const hook = (page: Page) => page.evaluate(() => (window as unknown as { __whatif: Hook }).__whatif);
async function settle(page: Page, runs: number): Promise<Hook> {
  await page.waitForFunction((n) => { const h = (window as unknown as { __whatif: Hook }).__whatif; return h && (h.state === 'error' || (h.state === 'ready' && h.runs >= n)); }, runs, { timeout: 90_000 });
  return hook(page);
}

async function slide(page: Page, id: string, value: string): Promise<void> {
  // A slider's positions are the values after "as written": find the one that reads `value`.
  await page.evaluate(([i, v]) => {
    const input = document.getElementById(i!) as HTMLInputElement;
    for (let k = 0; k <= Number(input.max); k++) {
      input.value = String(k);
      input.dispatchEvent(new Event('input'));
      if (input.parentElement!.querySelector('output')!.textContent === v) return;
    }
    throw new Error(`${i} has no position ${v}`);
  }, [id, value]);
}

describe('settings and the page data', () => {
  test('settings become sweep axes over the first candidate, and survive the URL fragment', () => {
    const s = { keepAlive: '30m', numParallel: 2, gpu: 'rtx-4090', modelKeepAlive: { 'chat-small': '1m' } };
    expect(settingsAxes(s)).toEqual([
      { key: 'OLLAMA_KEEP_ALIVE', values: ['30m'] }, { key: 'OLLAMA_NUM_PARALLEL', values: [2] },
      { key: 'host.gpu', values: ['rtx-4090'] }, { key: 'models.chat-small.keep_alive', values: ['1m'] },
    ]);
    expect(fromFragment(`#${toFragment(s)}`)).toEqual(s);
    expect(fromFragment('#parallel=abc')).toEqual({});
  });

  test('the trace and the resolved base travel exactly (NaN, Infinity, every column)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ollamasim-whatif-'));
    writeFileSync(join(dir, 's.yaml'), SCENARIO);
    const sc = await loadScenario(join(dir, 's.yaml'));
    const { header, bytes } = encodeTrace(sc.trace);
    const back = decodeTrace(header, bytes.slice());
    for (const k of ['at', 'model', 'duration', 'promptTokens', 'outputTokens'] as const) expect(back[k]).toEqual(sc.trace[k]);
    expect(fromJson(toJson({ a: NaN, b: -Infinity, c: [1, Infinity] }))).toEqual({ a: NaN, b: -Infinity, c: [1, Infinity] });
  });
});

test('--whatif needs --out, and refuses traces too large to rerun live', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-whatif-'));
  writeFileSync(join(dir, 's.yaml'), SCENARIO);
  const r = spawnSync(tsx, [main, 'run', 's.yaml', '--whatif'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  expect(r.status).toBe(2);
  expect(r.stderr.trim()).toMatch(/^\(command line\): --whatif: .*\(add --out DIR\)$/);
}, 60_000);

test.runIf(existsSync(CHROMIUM))('whatif.html from file://: controls rerun the simulation, figures equal `ollamasim run`, the link keeps the settings', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-whatif-'));
  writeFileSync(join(dir, 's.yaml'), SCENARIO);
  writeFileSync(join(dir, 'written-in.yaml'), WRITTEN_IN);
  const r = spawnSync(tsx, [main, 'run', 's.yaml', '--out', 'out', '--whatif'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toContain('what-if page:');
  const [asDeployed] = cliJson(dir, 's.yaml');
  const [writtenIn] = cliJson(dir, 'written-in.yaml');

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const shots = resolve(root, 'out');
  mkdirSync(shots, { recursive: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (q) => { if (!/^(file|blob):/.test(q.url())) requests.push(q.url()); });
    const url = pathToFileURL(join(dir, 'out', 'whatif.html')).href;
    await page.goto(url);

    // Untouched, the page runs the scenario's first candidate as written: run's own figures.
    let h = await settle(page, 1);
    expect(h.error).toBeNull();
    expect(figures(h.last.baseline)).toEqual(figures(asDeployed!));
    expect(figures(h.last.whatIf)).toEqual(figures(asDeployed!));
    expect(h.last.charts.map((c) => c.id)).toEqual(['latency', 'models', 'vram', 'residency', 'cdf']);

    await slide(page, 'keep-alive', '30m');
    await slide(page, 'parallel', '2');
    await page.selectOption('#gpu', 'rtx-4090');
    await slide(page, 'ka-chat-small', '1m');
    h = await settle(page, h.runs + 1);
    expect(h.error).toBeNull();
    expect(figures(h.last.whatIf)).toEqual(figures(writtenIn!));
    expect(figures(h.last.whatIf)).not.toEqual(figures(asDeployed!)); // the controls reached the model
    expect(figures(h.last.baseline)).toEqual(figures(asDeployed!));
    const marks = await page.$$eval('#charts figure', (fs) => fs.map((f) => f.querySelectorAll('svg path, svg rect').length));
    for (const m of marks) expect(m).toBeGreaterThan(3);
    await page.screenshot({ path: join(shots, 'whatif-screenshot.png') });

    // The link reproduces the what-if: same controls, same figures.
    const link = page.url();
    expect(fromFragment(new URL(link).hash)).toEqual({ keepAlive: '30m', numParallel: 2, gpu: 'rtx-4090', modelKeepAlive: { 'chat-small': '1m' } });
    const again = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
    again.on('pageerror', (e) => errors.push(e.message));
    await again.goto(link);
    const h2 = await settle(again, 1);
    expect(figures(h2.last.whatIf)).toEqual(figures(writtenIn!));
    expect(await again.$eval('#gpu', (s) => (s as HTMLSelectElement).value)).toBe('rtx-4090');
    expect(await again.$eval('#keep-alive + output', (o) => o.textContent)).toBe('30m');

    // A value the CLI would refuse is one line in the page, not a broken page.
    await slide(again, 'count', '0');
    const h3 = await settle(again, h2.runs + 1);
    expect(h3.state === 'ready' || h3.error !== null).toBe(true);

    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  } finally {
    await browser.close();
  }
}, 240_000);
