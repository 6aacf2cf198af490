/**
 * The output switches of `run`: --format parquet writes requests.parquet and
 * events.parquet instead of the CSVs, --no-png leaves the charts as SVG only,
 * and an unknown format is one line and exit 2.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const main = join(root, 'src/cli/main.ts');
const cli = (args: string[], cwd: string) => spawnSync(tsx, [main, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1' } });

const SCENARIO = `host: { gpus: [ { vram: 24GiB } ] }
models: { A: { vram: 5GiB, load: 2s } }
workload: { requests: [ { at: 0, model: A, duration: 3 }, { at: 400, model: A, duration: 1 } ] }
`;

test('--format parquet --no-png: Parquet instead of the CSVs, SVG charts without PNGs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-cli-'));
  writeFileSync(join(dir, 's.yaml'), SCENARIO);
  const r = cli(['run', 's.yaml', '--out', 'out', '--format', 'parquet', '--no-png'], dir);
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('requests.parquet, events.parquet');
  const out = readdirSync(join(dir, 'out')).sort();
  expect(out).toEqual(['charts', 'events.parquet', 'manifest.json', 'report.html', 'requests.parquet', 'summary.json', 'timeline.json']);
  const charts = readdirSync(join(dir, 'out/charts'));
  expect(charts.length).toBeGreaterThan(3);
  expect(charts.filter((f) => !f.endsWith('.svg'))).toEqual([]);
});

test('an unknown --format is one line and exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-cli-'));
  writeFileSync(join(dir, 's.yaml'), SCENARIO);
  const r = cli(['run', 's.yaml', '--out', 'out', '--format', 'xlsx'], dir);
  expect(r.status).toBe(2);
  expect(r.stderr).toBe('(command line): --format: unknown output format "xlsx" (csv (the default) or parquet)\n');
});
