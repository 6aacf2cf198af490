/**
 * `ollamasim serve` and `ollamasim record` as a user runs them: one line and
 * exit 2 for bad flags; a running pair answers, records to --out and stops
 * cleanly on SIGTERM with the files complete.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { TRACE_HEADER } from '../../src/record/recorder.js';
import { TWO_MODELS } from '../serve/helpers.js';

const root = resolve(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const main = join(root, 'src/cli/main.ts');
const env = { ...process.env, CI: 'true', NO_COLOR: '1' };

function dirWithScenario(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-cli-'));
  writeFileSync(join(dir, 's.yaml'), TWO_MODELS);
  return dir;
}

/** Starts a long-running command; resolves with the URL it announces on stderr. */
function start(args: string[], cwd: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((ok, fail) => {
    const child = spawn(tsx, [main, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (b: Buffer) => {
      err += b.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(err);
      if (m) ok({ child, url: m[1]! });
    });
    child.on('exit', (code) => fail(new Error(`exited ${code}: ${err}`)));
  });
}

const stop = (c: ChildProcess) => new Promise<number | null>((r) => { c.removeAllListeners('exit'); c.once('exit', (code) => r(code)); c.kill('SIGTERM'); });

describe('bad flags: one line, exit 2', () => {
  test.each([
    [['serve', 's.yaml', '--listen', 'nowhere'], '(command line): --listen: "nowhere" is not HOST:PORT (e.g. --listen 127.0.0.1:11434)'],
    [['serve', 's.yaml', '--jitter', '150%'], '(command line): --jitter: "150%" is not a share between 0 and 100 % (e.g. --jitter 5%)'],
    [['serve', 's.yaml', '--speed', '0'], '(command line): --speed: 0 must be greater than 0'],
    [['serve', 's.yaml', '--candidate', 'nope'], '(command line): --candidate: no candidate named "nope" (expected one of: serve test)'],
    [['serve', 's.yaml', '--listen', '192.0.2.1:11434'], '(command line): --listen: cannot listen on 192.0.2.1:11434 (EADDRNOTAVAIL)'],
    [['record', '--upstream', 'ftp://x'], '(command line): --upstream: "ftp://x" is not an http:// URL (e.g. --upstream http://127.0.0.1:11434)'],
  ])('%j', (args, line) => {
    const r = spawnSync(tsx, [main, ...args], { cwd: dirWithScenario(), encoding: 'utf8', env });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(line);
  });
});

describe('serve and record, running', () => {
  test('record in front of serve writes trace.csv, requests.jsonl and observed.json, and both stop on SIGTERM', async () => {
    const dir = dirWithScenario();
    const serve = await start(['serve', 's.yaml', '--listen', '127.0.0.1:0', '--output-tokens', '4'], dir);
    const rec = await start(['record', '--upstream', serve.url, '--listen', '127.0.0.1:0', '--out', 'rec', '--poll', '0.05'], dir);
    try {
      const r = await fetch(`${rec.url}/api/generate`, { method: 'POST', body: JSON.stringify({ model: 'beta', prompt: 'hello', keep_alive: '1m', stream: false }) });
      expect((await r.json()) as object).toMatchObject({ model: 'beta', done: true, eval_count: 4 });
      expect(await (await fetch(`${rec.url}/api/version`)).json()).toEqual({ version: '0.33.0-rc2' });
      await new Promise((w) => setTimeout(w, 200));
    } finally {
      expect(await stop(rec.child)).toBe(0);
      expect(await stop(serve.child)).toBe(0);
    }
    const trace = readFileSync(join(dir, 'rec/trace.csv'), 'utf8').trim().split('\n');
    expect(trace[0]).toBe(TRACE_HEADER);
    expect(trace[1]).toMatch(/^1,[\d.]+,beta,0\.0\d+,1m,,,,2,4$/);
    const requests = readFileSync(join(dir, 'rec/requests.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { endpoint: string });
    expect(requests.map((x) => x.endpoint)).toEqual(['/api/generate', '/api/version']);
    const observed = JSON.parse(readFileSync(join(dir, 'rec/observed.json'), 'utf8')) as { version: string; residency: { model: string }[] };
    expect(observed.version).toBe('0.33.0-rc2');
    expect(observed.residency.map((e) => e.model)).toContain('beta');
  });
});
