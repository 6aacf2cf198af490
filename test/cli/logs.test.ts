/**
 * `ollamasim logs import` as a user runs it: bad input of every kind is one line
 * and exit 2; a real excerpt gives the three files `record` writes, and the
 * trace replays through a scenario as a recording's does.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { msg, formatDiagnostic } from '../../src/diag/index.js';
import { loadScenario } from '../../src/io/load-scenario.js';
import { TRACE_HEADER } from '../../src/record/recorder.js';

const root = resolve(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const main = join(root, 'src/cli/main.ts');
const env = { ...process.env, CI: 'true', NO_COLOR: '1' };
const fixture = (name: string) => join(root, 'test/fixtures/logs', name);
const run = (args: string[], cwd: string) => spawnSync(tsx, [main, 'logs', 'import', ...args], { cwd, encoding: 'utf8', env });
const line = (file: string, [problem, hint]: [string, string?]) => formatDiagnostic({ file, line: 1, field: '(file)', problem, ...(hint ? { hint } : {}) });

describe('bad input: one line, exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-logs-'));
  writeFileSync(join(dir, 'empty.log'), '\n\n');
  writeFileSync(join(dir, 'notes.txt'), 'shopping list\neggs\nmilk\n');
  mkdirSync(join(dir, 'logs'));
  test.each([
    ['a missing file', 'missing.log', msg.noSuchLog()],
    ['a directory', 'logs', msg.logIsDirectory()],
    ['an empty file', 'empty.log', msg.emptyLog()],
    ['not a log at all', 'notes.txt', msg.notServerLog(3)],
  ])('%s', (_what, file, message) => {
    const r = run([file, '--out', 'out'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(line(file, message as [string, string?]));
    expect(r.stdout).toBe('');
  });
});

describe('a real excerpt', () => {
  test('#7766 (DEBUG): the three files, the summary, and a trace a scenario replays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ollamasim-logs-'));
    const r = run([fixture('7766-debug-journal.log'), '--out', 'imported'], dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('6 lines (6 server lines, 0 other output, 0 unreadable), logged at DEBUG');
    expect(r.stdout).toContain('1 inference requests (1 with a model, in trace.csv), 0 other requests, 1 loads, 0 unloads, 1 models');
    expect(r.stdout).toContain('not in the log:');
    const trace = readFileSync(join(dir, 'imported/trace.csv'), 'utf8');
    expect(trace).toBe(`${TRACE_HEADER}\n1,0,sha256-dde5aa3fc5ff,0,,,,,,\n`);
    const requests = readFileSync(join(dir, 'imported/requests.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ id: 1, endpoint: '/api/generate', op: 'generate', model: 'sha256-dde5aa3fc5ff', status: 200, outcome: 'ok', attributed_by: 'debug' });
    const observed = JSON.parse(readFileSync(join(dir, 'imported/observed.json'), 'utf8'));
    expect(observed).toMatchObject({ format: 'ollamasim-observed/1', log: { level: 'DEBUG' }, models: { 'sha256-dde5aa3fc5ff': { loads: 1 } } });
    expect(Array.isArray(observed.unrecoverable)).toBe(true);
    // The trace is the core format: a scenario naming the model replays it.
    writeFileSync(join(dir, 's.yaml'), `name: replay\nhost: { gpus: [ { vram: 8GiB } ] }\nmodels:\n  sha256-dde5aa3fc5ff: { vram: 5GiB, load: 1.51s }\nworkload: { trace: imported/trace.csv }\n`);
    const sc = await loadScenario(join(dir, 's.yaml'));
    expect(sc.trace.length).toBe(1);
  });
});
