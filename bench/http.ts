/**
 * `serve` and `record` under load, each in its own process as users run them
 * (the built CLI), driven by raw HTTP clients in the bench process. A chunk's
 * lateness = when the client got it − its created_at (when serve's simulation
 * says the token was made): what the stream adds to the simulated timing.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Measure } from './workloads.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const wallNow = () => performance.timeOrigin + performance.now();

/** Starts an ollamasim command and resolves with the URL it prints on stderr. */
function startCli(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (b: Buffer) => {
      err += b.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(err);
      if (m) resolve({ url: m[1]!, child });
    });
    child.on('exit', (code) => reject(new Error(`ollamasim ${args[0]} exited ${code}: ${err}`)));
  });
}

const stop = (c: ChildProcess) => new Promise<void>((r) => { c.once('exit', () => r()); c.kill('SIGTERM'); });

function scenario(dir: string): string {
  const file = join(dir, 'serve.yaml');
  // One model, every request in its own slot at once; 100 tokens at 50 t/s = 2 s of simulated work, stretched by the streams sharing the runner.
  writeFileSync(file, `name: serve bench
seed: 1
server: { OLLAMA_NUM_PARALLEL: 4096, OLLAMA_KEEP_ALIVE: "-1" }
host: { gpus: [ { vram: 80GiB } ], unload: 0.1s }
models:
  m: { vram: 8GiB, load: 0.1s, prefill_tps: 5000, decode_tps: 50 }
warm: [ m ]
workload: { requests: [] }
`);
  return file;
}

interface StreamStats {
  lateness: number[];
  chunks: number;
  completed: number;
  seconds: number;
}

/** n concurrent streaming generates of `tokens` tokens each; every chunk's lateness, ms. */
async function streams(url: string, n: number, tokens: number): Promise<StreamStats> {
  const u = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const lateness: number[] = [];
  let chunks = 0;
  let completed = 0;
  const body = JSON.stringify({ model: 'm', prompt: 'bench', options: { num_predict: tokens } });
  const t0 = wallNow();
  await Promise.all(Array.from({ length: n }, () => new Promise<void>((resolve) => {
    const req = request({ host: u.hostname, port: u.port, path: '/api/generate', method: 'POST', agent, headers: { 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      let rest = '';
      res.setEncoding('utf8');
      res.on('data', (s: string) => {
        const at = wallNow();
        rest += s;
        let nl;
        while ((nl = rest.indexOf('\n')) >= 0) {
          const line = rest.slice(0, nl);
          rest = rest.slice(nl + 1);
          const m = /"created_at":"([^"]+)"/.exec(line);
          if (m) lateness.push(at - Date.parse(m[1]!));
          chunks++;
          if (line.includes('"done":true')) completed++;
        }
      });
      res.on('end', () => resolve());
      res.on('error', () => resolve());
    });
    req.on('error', () => resolve());
    req.end(body);
  })));
  agent.destroy();
  return { lateness, chunks, completed, seconds: (wallNow() - t0) / 1000 };
}

const p99 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.max(0, Math.ceil(0.99 * s.length) - 1)]! : NaN;
};
const r2 = (x: number) => Math.round(x * 100) / 100;

/** The per-stream slowdown of n streams in one runner (hardware/throughput.ts): speed it up by as much so a stream lasts ~2 s of wall time. */
const speedFor = (n: number) => Math.max(1, n) ** 0.59;

/** p99 lateness of 200 concurrent streams straight from serve, then through record: the difference is what the proxy adds. */
export async function proxyLatency(): Promise<Measure> {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-http-'));
  const n = 200;
  const serve = await startCli(['serve', scenario(dir), '--listen', '127.0.0.1:0', '--speed', String(speedFor(n))]);
  const rec = await startCli(['record', '--upstream', serve.url, '--listen', '127.0.0.1:0', '--out', join(dir, 'rec')]);
  try {
    await streams(serve.url, 20, 10); // warm-up
    const direct = await streams(serve.url, n, 100);
    const via = await streams(rec.url, n, 100);
    return {
      requests: 2 * n, events: direct.chunks + via.chunks, seconds: direct.seconds + via.seconds,
      p99_direct_ms: r2(p99(direct.lateness)), p99_proxied_ms: r2(p99(via.lateness)),
      proxy_added_p99_ms: r2(p99(via.lateness) - p99(direct.lateness)),
      completed: direct.completed + via.completed,
    };
  } finally {
    await stop(rec.child);
    await stop(serve.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Concurrent streams doubled from 100 until serve's p99 lateness passes 100 ms or a stream fails: the last good count. */
export async function serveStreams(): Promise<Measure> {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-http-'));
  let best = 0;
  let bestP99 = NaN;
  let requests = 0;
  let events = 0;
  let seconds = 0;
  try {
    for (let n = 100; n <= 3200; n *= 2) {
      const serve = await startCli(['serve', scenario(dir), '--listen', '127.0.0.1:0', '--speed', String(speedFor(n))]);
      try {
        const s = await streams(serve.url, n, 100);
        requests += n;
        events += s.chunks;
        seconds += s.seconds;
        const late = p99(s.lateness);
        if (s.completed < n || !(late <= 100)) break;
        best = n;
        bestP99 = late;
      } finally {
        await stop(serve.child);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { requests, events, seconds, max_streams: best, p99_lateness_ms_at_max: r2(bestP99) };
}
