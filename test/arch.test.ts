/**
 * The layering, checked from the imports (as BLIS's static_test.go): data
 * flows one way, trace → engine + scheduler → events → metrics → report. The
 * engine knows nothing of Ollama; the scheduler nothing of files, CLIs or
 * charts; only io/ and cli/ touch the file system; no hidden randomness or clock.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');

/** Which folders each folder may import from (type-only imports included). */
const ALLOWED: Record<string, string[]> = {
  engine: [],
  events: [],
  diag: [],
  hardware: [],
  ollama: ['engine', 'events', 'workload'],
  whatif: ['ollama'],
  workload: ['engine', 'metrics'],
  metrics: ['engine', 'events', 'ollama'],
  sim: ['config', 'engine', 'events', 'hardware', 'metrics', 'ollama', 'whatif', 'workload'],
  config: ['diag', 'engine', 'hardware', 'ollama', 'workload'],
  plan: ['config', 'engine', 'events', 'hardware', 'metrics', 'sim'],
  report: ['calibrate', 'hardware', 'metrics', 'plan', 'sim'],
  page: ['config', 'metrics', 'report', 'sim', 'workload'],
  calibrate: ['record'],
  serve: ['config', 'engine', 'events', 'hardware', 'ollama', 'sim', 'workload'],
  record: ['ollama', 'serve'],
  logs: ['ollama', 'record'],
  queue: ['config', 'diag', 'metrics', 'plan'],
  io: ['config', 'diag', 'events', 'hardware', 'logs', 'metrics', 'ollama', 'page', 'plan', 'record', 'report', 'sim', 'workload'],
  cli: ['calibrate', 'config', 'diag', 'events', 'hardware', 'io', 'logs', 'metrics', 'ollama', 'plan', 'queue', 'record', 'report', 'serve', 'sim', 'workload'],
};

/** The network is serve's and record's alone (they answer and forward HTTP); the wall clock is cli/clock.ts's, injected into both. */
const NETWORK = ['serve', 'record'];
// The what-if page's worker times its own reruns for the page to show (a browser entry point, never the simulation's clock).
const WALL_CLOCK = ['cli/clock.ts', 'page/worker-main.ts'];

function sources(): { folder: string; file: string; text: string }[] {
  const out: { folder: string; file: string; text: string }[] = [];
  for (const folder of readdirSync(SRC, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const f of readdirSync(join(SRC, folder.name))) {
      if (f.endsWith('.ts')) out.push({ folder: folder.name, file: `${folder.name}/${f}`, text: readFileSync(join(SRC, folder.name, f), 'utf8') });
    }
  }
  return out;
}

test('every src folder is in the layering table', () => {
  const folders = new Set(sources().map((s) => s.folder));
  for (const f of folders) expect(Object.keys(ALLOWED)).toContain(f);
});

test('imports only go where the layering allows', () => {
  const bad: string[] = [];
  for (const { folder, file, text } of sources()) {
    for (const m of text.matchAll(/from '\.\.\/([a-z]+)\//g)) {
      if (!ALLOWED[folder]!.includes(m[1]!)) bad.push(`${file} imports ../${m[1]}`);
    }
  }
  expect(bad).toEqual([]);
});

test('only io/ and cli/ touch the file system or the process; no Math.random, and the wall clock only in cli/clock.ts', () => {
  const bad: string[] = [];
  for (const { folder, file, text } of sources()) {
    if (!['io', 'cli'].includes(folder) && /from 'node:fs'|process\.(exit|stdout|stderr)/.test(text)) bad.push(`${file}: fs/process`);
    if (/Math\.random/.test(text)) bad.push(`${file}: unseeded randomness`);
    if (/Date\.now|performance\.now/.test(text) && !WALL_CLOCK.includes(file)) bad.push(`${file}: wall clock`);
  }
  expect(bad).toEqual([]);
});

test('only serve/ and record/ touch the network', () => {
  const bad: string[] = [];
  for (const { folder, file, text } of sources()) {
    if (!NETWORK.includes(folder) && /from 'node:(http|https|net|dgram|http2)'/.test(text)) bad.push(`${file}: network`);
  }
  expect(bad).toEqual([]);
});

test('the charting stack (vega, vega-lite, resvg) is loaded only when a chart is drawn: no static import outside type positions', () => {
  const bad: string[] = [];
  for (const { folder, file, text } of sources()) {
    // page/ is the what-if page's browser bundle: never loaded by the command line.
    if (folder === 'page') continue;
    for (const m of text.matchAll(/^import (?!type )[^;]*from '(vega|vega-lite|@resvg\/resvg-js)'/gm)) bad.push(`${file} imports ${m[1]}`);
  }
  expect(bad).toEqual([]);
});
