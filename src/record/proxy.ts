import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../serve/live.js';
import { LastLine, requestFacts, responseFacts, type RequestFacts } from './fields.js';
import { type Outcome, type PsModel, type RecordedRequest, Recorder, type RecordingSink } from './recorder.js';

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

/** Request bodies up to this size are read for model, keep_alive and options (larger: endpoint only). */
const BODY_LIMIT = 64 << 20;

/** Hop-by-hop headers (RFC 9110 §7.6.1): each side of the proxy has its own connection. */
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authenticate', 'proxy-authorization']);

/**
 * `ollamasim record`: a transparent proxy. Each request is forwarded as it
 * arrives and each response streamed back chunk by chunk, unchanged (NDJSON,
 * SSE, JSON); the recorder keeps only what the scheduler cares about. Network
 * failures end the request they hit (502 if nothing was sent yet, else the
 * client connection is cut) and are recorded; nothing stops the proxy.
 */
export async function startRecord(opts: RecordOptions): Promise<RecordHandle> {
  const { clock, upstream } = opts;
  const t0 = clock.now();
  const since = () => (clock.now() - t0) / 1000;
  const recorder = new Recorder(opts.sink, upstream.origin, new Date(clock.wall()).toISOString(), opts.pollMs / 1000);
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 256 });
  const target = { host: upstream.hostname, port: Number(upstream.port || 80) };
  const open = new Map<number, () => void>();

  // No Nagle on either side: a streamed token must not wait for the next one (or for a delayed ACK).
  const server = createServer({ noDelay: true }, (req, res) => {
    try {
      forward(req, res);
    } catch (e) {
      res.destroy(e as Error);
    }
  });
  server.on('clientError', (_e, socket) => socket.destroy());

  function forward(req: IncomingMessage, res: ServerResponse): void {
    const at = since();
    const wall = new Date(clock.wall()).toISOString();
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const traced = requestFacts(method, url, null).op !== 'other';
    const id = recorder.begin(traced);
    const body: Buffer[] | null = traced ? [] : null;
    let bodyBytes = 0;
    let facts: RequestFacts | null = null;
    const tail = new LastLine();
    let sent = 0;
    let firstByte = NaN;
    let status = 0;
    let finished = false;

    const finish = (outcome: Outcome, error?: string) => {
      if (finished) return;
      finished = true;
      open.delete(id);
      facts ??= requestFacts(method, url, readBody());
      const r: RecordedRequest = {
        id, at, end: since(), ...(Number.isNaN(firstByte) ? {} : { first_byte: firstByte }), wall, method, endpoint: facts.endpoint, op: facts.op, model: facts.model,
        ...(facts.keepAlive !== undefined ? { keep_alive: facts.keepAlive } : {}),
        options: facts.options, stream: facts.stream,
        status: outcome === 'client_disconnect' ? 499 : outcome === 'upstream_error' ? 502 : status,
        outcome, response: responseFacts(tail.final()), bytes: sent, ...(error ? { error } : {}),
      };
      recorder.end(r, facts);
    };
    open.set(id, () => {
      finish('in_flight_at_stop');
      res.destroy();
    });
    const readBody = () => (body && bodyBytes <= BODY_LIMIT ? Buffer.concat(body).toString('utf8') : null);

    /** Whatever goes wrong in one exchange ends that exchange only. */
    const guard = (f: () => void) => {
      try {
        f();
      } catch (e) {
        finish('upstream_reset', (e as Error).message);
        res.destroy();
        up.destroy();
      }
    };
    const up = httpRequest({ ...target, agent, method, path: url, headers: requestHeaders(req.headers, upstream.host) });
    up.setNoDelay(true);
    up.on('response', (upRes) => guard(() => {
      status = upRes.statusCode ?? 0;
      res.writeHead(status, upRes.statusMessage, responseHeaders(upRes.rawHeaders));
      upRes.on('data', (chunk: Buffer) => {
        if (sent === 0) firstByte = since();
        sent += chunk.length;
        tail.push(chunk);
        if (!res.write(chunk)) upRes.pause();
      });
      res.on('drain', () => upRes.resume());
      upRes.on('end', () => {
        res.end();
        finish(status >= 400 ? 'http_error' : 'ok');
      });
      upRes.on('aborted', () => {
        finish('upstream_reset', 'upstream closed mid-response');
        res.destroy();
      });
      upRes.on('error', () => {
        finish('upstream_reset', 'upstream closed mid-response');
        res.destroy();
      });
    }));
    up.on('error', (e: NodeJS.ErrnoException) => {
      if (finished) return;
      if (!res.headersSent) {
        const b = JSON.stringify({ error: `ollamasim record: upstream ${upstream.origin} unreachable: ${e.code ?? e.message}` });
        res.writeHead(502, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(b) });
        res.end(b);
        finish('upstream_error', e.code ?? e.message);
      } else {
        finish('upstream_reset', e.code ?? e.message);
        res.destroy();
      }
    });
    req.on('data', (chunk: Buffer) => {
      if (body) {
        bodyBytes += chunk.length;
        if (bodyBytes <= BODY_LIMIT) body.push(chunk);
        else body.length = 0;
      }
      if (!up.write(chunk)) req.pause();
    });
    up.on('drain', () => req.resume());
    req.on('end', () => {
      up.end();
      facts = requestFacts(method, url, readBody());
      if (body) body.length = 0;
    });
    req.on('error', () => up.destroy());
    // The client went away before the answer ended: Ollama sees its connection close (a cancel, spec §5.6).
    res.on('close', () => {
      if (!finished && !res.writableFinished) {
        finish('client_disconnect');
        up.destroy();
      }
    });
  }

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
  const addr = server.address() as AddressInfo;
  return {
    url: `http://${opts.host}:${addr.port}`,
    recorder,
    close: () => new Promise<void>((resolve) => {
      closed = true;
      clearInterval(timer);
      for (const stop of [...open.values()]) stop();
      opts.sink.observed(recorder.doc);
      server.close(() => resolve());
      server.closeAllConnections();
      agent.destroy();
    }),
  };
}

/** The client's headers for the upstream, minus hop-by-hop ones, with the upstream's Host. */
function requestHeaders(h: IncomingHttpHeaders, host: string): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [k, v] of Object.entries(h)) if (!HOP.has(k) && k !== 'host') out[k] = v;
  out.host = host;
  return out;
}

/** The upstream's response headers as sent (names' case kept), minus hop-by-hop ones. */
function responseHeaders(raw: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) if (!HOP.has(raw[i]!.toLowerCase())) out.push(raw[i]!, raw[i + 1]!);
  return out;
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
