/**
 * The report in a real browser (Debian's chromium; .ci/run installs it):
 * every chart rendered with marks, no console errors, no network requests,
 * no dialog from a model named like markup; a screenshot is kept under out/.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { expect, test } from 'vitest';
import { loadScenario } from '../../src/io/load-scenario.js';
import { writeReport } from '../../src/io/report-files.js';
import { runScenario } from '../../src/sim/run-scenario.js';

const CHROMIUM = '/usr/bin/chromium';
const EVIL = '<img src=x onerror=alert(1)>';

test.runIf(existsSync(CHROMIUM))('report.html opens from file://, draws every chart, fetches nothing, runs no injected markup', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-browser-'));
  const yaml = `name: browser check
host: { gpus: [ { vram: 24GiB } ] }
models: { "${EVIL}": { vram: 10GiB, load: 5s }, b: { vram: 16GiB, load: 8s } }
workload:
  synthetic:
    length: 2h
    models:
      "${EVIL}": { rate: 30/h, duration: 10 }
      b: { rate: 10/h, duration: 20 }
candidates:
  - { name: keep 5m, server: { OLLAMA_KEEP_ALIVE: 5m } }
  - { name: unload at once, server: { OLLAMA_KEEP_ALIVE: "0" } }
`;
  writeFileSync(join(dir, 's.yaml'), yaml);
  const sc = await loadScenario(join(dir, 's.yaml'));
  await writeReport(dir, sc, runScenario(sc, { series: true }), yaml);

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    let dialogs = 0;
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', async (d) => { dialogs++; await d.dismiss(); });
    page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
    await page.goto(pathToFileURL(join(dir, 'report.html')).href);
    const charts = await page.$$eval('section.chart', (sections) => sections.map((s) => ({
      id: s.id,
      marks: s.querySelectorAll('svg path, svg rect, svg line, svg circle').length,
    })));
    expect(charts.map((c) => c.id)).toEqual(['latency', 'models', 'vram', 'tradeoff', 'cdf', 'residency', 'gpus']);
    for (const c of charts) expect(c.marks, c.id).toBeGreaterThan(5);
    expect(await page.locator('body').innerText()).toContain(EVIL); // shown as text
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(dialogs).toBe(0);
    const shots = resolve(import.meta.dirname, '../../out');
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, 'report-screenshot.png'), fullPage: false });
  } finally {
    await browser.close();
  }
});

/**
 * Issue "Reports for real traces": ~90 models, three weeks, three candidates.
 * Every chart is drawn, no by-model legend has more than 8 models plus
 * "other", the residency chart stays short, and the page stays under 3 MB.
 */
test.runIf(existsSync(CHROMIUM))('a 90-model, three-week, three-candidate report stays bounded and draws every chart', async () => {
  const { manyModelsYaml } = await import('../../bench/many-models.js');
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-many-'));
  const yaml = manyModelsYaml();
  writeFileSync(join(dir, 's.yaml'), yaml);
  const sc = await loadScenario(join(dir, 's.yaml'));
  expect(sc.modelNames.length).toBe(90);
  expect(sc.trace.at[sc.trace.length - 1]! / 86400e6).toBeGreaterThan(20.9);
  await writeReport(dir, sc, runScenario(sc, { series: true }), yaml);
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  expect(Buffer.byteLength(html)).toBeLessThan(3 * 2 ** 20);

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(join(dir, 'report.html')).href);
    const charts = await page.$$eval('section.chart', (sections) => sections.map((s) => {
      const svg = s.querySelector('svg');
      // Legend entries: the labels of the legend groups (vega marks them role-legend-label).
      const legends = [...s.querySelectorAll('g.role-legend')].map((g) => [...g.querySelectorAll('.role-legend-label text')].map((t) => t.textContent ?? ''));
      return { id: s.id, marks: s.querySelectorAll('svg path, svg rect, svg line').length, height: svg?.getBoundingClientRect().height ?? 0, legends };
    }));
    expect(charts.map((c) => c.id)).toEqual(['latency', 'models', 'vram', 'tradeoff', 'cdf', 'residency', 'gpus']);
    for (const c of charts) {
      expect(c.marks, c.id).toBeGreaterThan(5);
      for (const entries of c.legends) {
        expect(entries.filter((e) => e !== 'other').length, `${c.id}: ${entries.join(', ')}`).toBeLessThanOrEqual(8);
        expect(entries.some((e) => e.includes('…')), c.id).toBe(false);
      }
    }
    const vram = charts.find((c) => c.id === 'vram')!;
    expect(vram.legends.flat()).toContain('other');
    expect(charts.find((c) => c.id === 'residency')!.height).toBeLessThan(1000);
    expect(errors).toEqual([]);
    const shots = resolve(import.meta.dirname, '../../out');
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, 'report-many-models.png'), fullPage: true });
  } finally {
    await browser.close();
  }
}, 120_000);
