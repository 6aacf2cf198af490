/**
 * Sweeps on Redis: cells per second with 1, 2 and 4 `ollamasim worker`
 * processes (one thread each) against a redis-server on 127.0.0.1, the
 * coordinator in this process. Needs Debian's redis-server; without it the
 * workload reports 0 cells and says so.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSweep } from '../src/cli/sweep-pool.js';
import type { Measure } from './workloads.js';

const MAIN = fileURLToPath(new URL('../bundle/cli/main.js', import.meta.url));

async function freePort(): Promise<number> {
  return new Promise((r) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => r(port));
    });
  });
}

const ready = (p: ChildProcess, pattern: RegExp) =>
  new Promise<void>((r) => p.stdout!.on('data', (d: Buffer) => { if (pattern.test(d.toString())) r(); }));

/** 40 cells (10 keep_alives × 4 replications) of ~40 k synthetic requests each. */
export async function queueWorkload(workers: number): Promise<Measure & { cells: number }> {
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    process.stderr.write('queue bench skipped: redis-server is not installed\n');
    return { requests: 0, events: 0, seconds: 1, cells: 0 };
  }
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-queue-bench-'));
  const file = join(dir, 's.yaml');
  writeFileSync(file, `name: queue bench
seed: 1
host: { gpus: [ { vram: 48GiB } ] }
models: { a: { vram: 20GiB, load: 5s }, b: { vram: 20GiB, load: 8s }, c: { vram: 20GiB, load: 10s } }
workload:
  synthetic:
    length: 24h
    models:
      a: { rate: 1000/h, duration: { median: 0.5, p95: 2 } }
      b: { rate: 500/h, duration: 1 }
      c: { rate: 150/h, duration: 2 }
sweep:
  OLLAMA_KEEP_ALIVE: [0, 10s, 30s, 1m, 2m, 5m, 10m, 30m, 1h, -1]
`);
  const port = await freePort();
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const children: ChildProcess[] = [redis];
  try {
    await ready(redis, /Ready to accept connections/);
    const url = `redis://127.0.0.1:${port}`;
    for (let w = 0; w < workers; w++) {
      const p = spawn(process.execPath, [MAIN, 'worker', '--queue', url, '--jobs', '1', '--cache', join(dir, `cache-${w}`)], { stdio: ['ignore', 'pipe', 'ignore'] });
      children.push(p);
      await ready(p, /taking cells/);
    }
    const t0 = process.hrtime.bigint();
    const r = await runSweep(file, { axes: [], replications: 4, queue: url });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cells = r.cells.reduce((a, c) => a + c.runs.length, 0);
    const requests = r.cells.reduce((a, c) => a + c.runs.reduce((b, x) => b + x.requests, 0), 0);
    return { requests, events: cells, seconds, cells };
  } finally {
    for (const c of children) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
