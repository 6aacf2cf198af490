/**
 * `serve` and `record` under load, each in its own process as users run them
 * (the built CLI), driven by raw HTTP clients in the bench process. A chunk's
 * lateness = when the client got it − its created_at (when serve's simulation
 * says the token was made): what the stream adds to the simulated timing.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Measure } from './workloads.js';

const CLI = fileURLToPath(new URL('../bundle/cli/main.js', import.meta.url));
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

/** CPU seconds a child process has used so far (Linux /proc; NaN elsewhere). */
function cpuSeconds(c: ChildProcess): number {
  try {
    const f = readFileSync(`/proc/${c.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}

const stop = (c: ChildProcess) => new Promise<void>((r) => { c.once('exit', () => r()); c.kill('SIGTERM'); });

/** One model, every request in its own slot at once, decoding at `decode` tokens/s alone (slower as streams share the runner). */
function scenario(dir: string, decode = 50): string {
  const file = join(dir, 'serve.yaml');
  writeFileSync(file, `name: serve bench
seed: 1
server: { OLLAMA_NUM_PARALLEL: 4096, OLLAMA_KEEP_ALIVE: "-1" }
host: { gpus: [ { vram: 80GiB } ], unload: 0.1s }
models:
  m: { vram: 8GiB, load: 0.1s, prefill_tps: 5000, decode_tps: ${decode} }
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

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.max(0, Math.ceil(q * s.length) - 1)]! : NaN;
};
const p99 = (xs: number[]) => quantile(xs, 0.99);
const r2 = (x: number) => Math.round(x * 100) / 100;


/**
 * An upstream in this process that streams NDJSON lines stamped with the time
 * they were written: 40 lines 50 ms apart per request (2 s, like a chat answer).
 */
async function stampingUpstream(): Promise<{ url: string; close: () => void }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
      let k = 0;
      const tick = setInterval(() => {
        k++;
        const line = `{"model":"m","created_at":"x","t":${wallNow()},"response":"w ","done":${k === 40}}\n`;
        if (k === 40) {
          clearInterval(tick);
          res.end(line);
        } else {
          res.write(line);
        }
      }, 50);
      res.on('close', () => clearInterval(tick));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => { server.close(); server.closeAllConnections(); } };
}

/** n concurrent streams from the stamping upstream; each line's delay from its stamp to its arrival, ms. */
async function stampedStreams(url: string, n: number): Promise<StreamStats> {
  const u = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const lateness: number[] = [];
  let chunks = 0;
  let completed = 0;
  const t0 = wallNow();
  await Promise.all(Array.from({ length: n }, () => new Promise<void>((resolve) => {
    const req = request({ host: u.hostname, port: u.port, path: '/api/generate', method: 'POST', agent }, (res) => {
      let rest = '';
      res.setEncoding('utf8');
      res.on('data', (s: string) => {
        const at = wallNow();
        rest += s;
        let nl;
        while ((nl = rest.indexOf('\n')) >= 0) {
          const line = rest.slice(0, nl);
          rest = rest.slice(nl + 1);
          const m = /"t":([\d.]+)/.exec(line);
          if (m) lateness.push(at - Number(m[1]));
          chunks++;
          if (line.includes('"done":true')) completed++;
        }
      });
      res.on('end', () => resolve());
      res.on('error', () => resolve());
    });
    req.on('error', () => resolve());
    req.end('{"model":"m","prompt":"bench"}');
  })));
  agent.destroy();
  return { lateness, chunks, completed, seconds: (wallNow() - t0) / 1000 };
}

/**
 * What record adds: 200 concurrent streams (4 000 chunks/s) from a stamping
 * upstream, straight and through the record CLI, three rounds each
 * alternating; the best p99 of each, and their difference.
 */
export async function proxyLatency(): Promise<Measure> {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-http-'));
  const n = 200;
  const up = await stampingUpstream();
  const rec = await startCli(['record', '--upstream', up.url, '--listen', '127.0.0.1:0', '--out', join(dir, 'rec')]);
  try {
    await stampedStreams(rec.url, 20); // warm-up: connections, JIT
    let cpu = 0;
    let proxied = 0;
    const direct: number[] = [];
    const via: number[] = [];
    const mid: number[][] = [[], []];
    let requests = 0;
    let events = 0;
    let seconds = 0;
    let completed = 0;
    for (let round = 0; round < 3; round++) {
      for (const [url, out] of [[up.url, direct], [rec.url, via]] as const) {
        const c0 = cpuSeconds(rec.child);
        const s = await stampedStreams(url, n);
        if (out === via) {
          cpu += cpuSeconds(rec.child) - c0;
          proxied += s.chunks;
        }
        out.push(p99(s.lateness));
        mid[out === direct ? 0 : 1]!.push(quantile(s.lateness, 0.5));
        requests += n;
        events += s.chunks;
        seconds += s.seconds;
        completed += s.completed;
      }
    }
    const best = (xs: number[]) => Math.min(...xs);
    return {
      requests, events, seconds, completed,
      p99_direct_ms: r2(best(direct)), p99_proxied_ms: r2(best(via)), proxy_added_p99_ms: r2(best(via) - best(direct)),
      proxy_added_p50_ms: r2(best(mid[1]!) - best(mid[0]!)),
      cpu_us_per_chunk: r2((cpu / proxied) * 1e6),
    };
  } finally {
    await stop(rec.child);
    up.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * How many concurrent streams serve holds as a simulated Ollama (speed 1, the
 * runner's own slowdown with streams sharing it, 10 tokens each at a 200 t/s
 * single-stream decode rate): doubled from 100 until a stream fails or the p99
 * chunk lateness passes LATE_MS; the last good count, and the p99 at each count.
 */
/** A stream this late at p99 visibly stutters in a chat UI. */
const LATE_MS = 250;

export async function serveStreams(): Promise<Measure> {
  const byCount: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-http-'));
  let best = 0;
  let bestP99 = NaN;
  const perChunk: number[] = [];
  let requests = 0;
  let events = 0;
  let seconds = 0;
  try {
    for (let n = 100; n <= 6400; n *= 2) {
      const serve = await startCli(['serve', scenario(dir, 200), '--listen', '127.0.0.1:0']);
      try {
        const c0 = cpuSeconds(serve.child);
        const s = await streams(serve.url, n, 10);
        perChunk.push((cpuSeconds(serve.child) - c0) / s.chunks);
        requests += n;
        events += s.chunks;
        seconds += s.seconds;
        const late = p99(s.lateness);
        byCount.push(`${n}: ${Math.round(late)} ms${s.completed < n ? ` (${n - s.completed} failed)` : ''}`);
        if (s.completed < n || !(late <= LATE_MS)) break;
        best = n;
        bestP99 = late;
      } finally {
        await stop(serve.child);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    requests, events, seconds, max_streams: best, p99_lateness_ms_at_max: r2(bestP99),
    cpu_us_per_chunk: r2(Math.min(...perChunk) * 1e6), p99_lateness_by_streams: byCount.join(', '),
  };
}
