import { Agent, request as httpRequest } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import type { Clock } from '../serve/live.js';
import { Backlog } from './backlog.js';
import { hostOf, Pipe } from './pipe.js';
import { type PsModel, Recorder, type RecordingSink } from './recorder.js';

export interface RecordOptions {
  upstream: URL;
  host: string;
  port: number;
  clock: Clock;
  /** /api/ps poll interval, ms. */
  pollMs: number;
  sink: RecordingSink;
}

export interface RecordHandle {
  url: string;
  recorder: Recorder;
  /** Stops accepting, ends open requests as in_flight_at_stop, writes the last observed.json. */
  close(): Promise<void>;
}

/**
 * `ollamasim record`: a transparent proxy. Bytes move at the TCP level, each
 * client connection paired with its own upstream connection (src/record/pipe.ts):
 * requests go on as they arrive, responses come back unchanged as they stream
 * (NDJSON, SSE, JSON), and an HTTP/1.1 framing reader beside each stream tells
 * the recorder where every exchange begins and ends. Network failures end the
 * exchange they hit (502 if nothing was sent yet, else the client connection is
 * cut) and are recorded; nothing stops the proxy.
 */
export async function startRecord(opts: RecordOptions): Promise<RecordHandle> {
  const { clock, upstream } = opts;
  const t0 = clock.now();
  const since = () => (clock.now() - t0) / 1000;
  const recorder = new Recorder(opts.sink, upstream.origin, new Date(clock.wall()).toISOString(), opts.pollMs / 1000);
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 256 });
  const target = { host: hostOf(upstream), port: Number(upstream.port || 80) };
  const pipes = new Set<Pipe>();
  // Recording work waits for the bytes (see Pipe.finish and backlog.ts).
  const backlog = new Backlog(() => clock.now());
  const later = (f: () => void) => backlog.add(f);
  const ctx = { upstream, recorder, since, later, wall: () => clock.wall() };

  // No Nagle: a streamed token must not wait for the next one (or for a delayed ACK).
  const server = createServer({ noDelay: true }, (client) => {
    try {
      pipes.add(new Pipe(client, ctx, (p) => pipes.delete(p)));
    } catch {
      client.destroy();
    }
  });

  let closed = false;
  const poll = () => {
    const t = since();
    getJson(target, agent, '/api/ps', (j, err) => {
      if (closed) return;
      const models = j && Array.isArray((j as { models?: unknown }).models) ? ((j as { models: PsModel[] }).models) : null;
      recorder.ps(t, models, err);
      if (models && (recorder.doc.version === null || recorder.outage)) version();
    });
  };
  const version = () => getJson(target, agent, '/api/version', (j) => {
    const v = j && typeof (j as { version?: unknown }).version === 'string' ? (j as { version: string }).version : null;
    if (v && !closed) recorder.version(since(), v);
  });
  version();
  poll();
  const timer = setInterval(poll, opts.pollMs);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  // An accept that fails (too many open files) costs that connection, never the proxy.
  server.on('error', () => undefined);
  const addr = server.address() as AddressInfo;
  return {
    url: `http://${opts.host}:${addr.port}`,
    recorder,
    close: () => new Promise<void>((resolve) => {
      closed = true;
      clearInterval(timer);
      for (const p of [...pipes]) p.stop();
      backlog.drain();
      opts.sink.observed(recorder.doc);
      server.close(() => resolve());
      agent.destroy();
    }),
  };
}

/** GET a small JSON document; `done(null, reason)` on any failure (never throws). */
function getJson(target: { host: string; port: number }, agent: Agent, path: string, done: (j: unknown, err?: string) => void): void {
  let called = false;
  const once = (j: unknown, err?: string) => { if (!called) { called = true; done(j, err); } };
  const req = httpRequest({ ...target, agent, method: 'GET', path, timeout: 10_000 }, (res) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => {
      try {
        once(res.statusCode === 200 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : null, `HTTP ${res.statusCode}`);
      } catch {
        once(null, 'not JSON');
      }
    });
    res.on('error', () => once(null, 'reset'));
  });
  req.on('timeout', () => req.destroy(new Error('timeout')));
  req.on('error', (e: NodeJS.ErrnoException) => once(null, e.code ?? e.message));
  req.end();
}
