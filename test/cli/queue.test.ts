/**
 * Sweeps on a real Redis with BullMQ, as users run them: a coordinator and
 * worker processes on 127.0.0.1. A worker killed right after its first
 * acknowledged cell, and a coordinator killed and run again, still give the
 * local sweep's files byte for byte, and no cell is run twice after a resume.
 * Skipped, saying why, where Debian's redis-server is not installed.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');
// Children run as `node --import tsx`, not through tsx's launcher, so that a kill reaches the process itself.
const node = (args: string[]) => [process.execPath, ['--import', import.meta.resolve('tsx'), main, ...args]] as const;
const main = join(root, 'src/cli/main.ts');
const hasRedis = spawnSync('redis-server', ['--version']).status === 0;

const SCENARIO = `name: queue check
seed: 7
host: { gpus: [ { vram: 24GiB } ], unload: 1s }
models:
  a: { vram: 9GiB, load: 6s }
  b: { vram: 9GiB, load: 6s }
  c: { vram: 9GiB, load: 6s }
workload:
  synthetic:
    length: 6h
    models:
      a: { rate: 300/h, duration: 2 }
      b: { rate: 120/h, duration: 3 }
      c: { rate: 60/h, duration: 4 }
`;
const GRID = ['--grid', 'OLLAMA_KEEP_ALIVE=0,1m,5m,30m', '--replications', '3'];
const TASKS = 4 * 3;

function listAll(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listAll(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]).sort();
}

function sameFiles(a: string, b: string): void {
  expect(listAll(b)).toEqual(listAll(a));
  for (const f of listAll(a)) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
}

const env = { ...process.env, CI: 'true', NO_COLOR: '1' };
const children: ChildProcess[] = [];
function start(args: string[], cwd: string): ChildProcess {
  const [bin, argv] = node(args);
  const p = spawn(bin, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(p);
  return p;
}

/** Resolves when the child has printed `n` "cell … done" lines; counts them all along. */
function cellsDone(p: ChildProcess): { count(): number; reach(n: number): Promise<void> } {
  let n = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  let buf = '';
  p.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop()!;
    for (const l of lines) if (/^cell \S+ done$/.test(l)) n++;
    for (const w of waiters.filter((x) => n >= x.n)) w.resolve();
  });
  return { count: () => n, reach: (k) => new Promise((r) => (n >= k ? r() : waiters.push({ n: k, resolve: r }))) };
}

const exited = (p: ChildProcess) => new Promise<number | null>((r) => (p.exitCode !== null ? r(p.exitCode) : p.once('exit', (c) => r(c))));

async function freePort(): Promise<number> {
  return new Promise((r) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => r(port));
    });
  });
}

const title = hasRedis ? 'sweeps on Redis' : 'sweeps on Redis (skipped: redis-server is not installed; apt-get install redis-server)';
describe.skipIf(!hasRedis)(title, () => {
  let dir = '';
  let url = '';
  let redis: ChildProcess;
  let local = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ollamasim-queue-'));
    writeFileSync(join(dir, 's.yaml'), SCENARIO);
    const port = await freePort();
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(redis);
    await new Promise<void>((r) => redis.stdout!.on('data', (d: Buffer) => { if (/Ready to accept connections/.test(d.toString())) r(); }));
    url = `redis://127.0.0.1:${port}`;
    const r = spawnSync(tsx, [main, 'sweep', 's.yaml', ...GRID, '--jobs', '1', '--out', 'local'], { cwd: dir, env, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    local = join(dir, 'local');
  }, 120_000);

  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  });

  const flush = () => spawnSync('redis-cli', ['-u', url, 'flushall']);
  const worker = (name: string) => start(['worker', '--queue', url, '--jobs', '1', '--stall-timeout', '3s', '--cache', join(dir, `cache-${name}`)], dir);

  test('a worker killed right after its first acknowledged cell: the other takes over, same bytes as local', async () => {
    flush();
    const a = worker('a');
    const b = worker('b');
    const doneA = cellsDone(a);
    const doneB = cellsDone(b);
    const coordinator = start(['sweep', 's.yaml', ...GRID, '--queue', url, '--out', 'queued'], dir);
    await doneA.reach(1);
    a.kill('SIGKILL');
    expect(await exited(coordinator)).toBe(0);
    sameFiles(local, join(dir, 'queued'));
    // The killed worker finished one cell; every other cell, including the one it held, was done by b.
    expect(doneA.count()).toBe(1);
    expect(doneB.count()).toBe(TASKS - 1);
    b.kill('SIGTERM');
    expect(await exited(b)).toBe(0);
  }, 180_000);

  test('a coordinator killed mid-sweep and run again resumes: finished cells are not run again', async () => {
    flush();
    const w = worker('c');
    const done = cellsDone(w);
    const first = start(['sweep', 's.yaml', ...GRID, '--queue', url, '--out', 'resumed'], dir);
    await done.reach(2);
    first.kill('SIGKILL');
    await exited(first);
    const again = start(['sweep', 's.yaml', ...GRID, '--queue', url, '--out', 'resumed'], dir);
    expect(await exited(again)).toBe(0);
    sameFiles(local, join(dir, 'resumed'));
    expect(done.count()).toBe(TASKS);
    w.kill('SIGTERM');
    await exited(w);
  }, 180_000);

  test('an unreachable Redis is one line naming the URL (without its password), exit 2', () => {
    const r = spawnSync(tsx, [main, 'sweep', 's.yaml', '--queue', 'redis://:secret@127.0.0.1:1'], { cwd: dir, env, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('cannot reach Redis at redis://:***@127.0.0.1:1');
    expect(r.stderr).not.toContain('secret');
  }, 60_000);
});
