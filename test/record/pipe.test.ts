/**
 * `record` at the TCP level: one upstream connection per client connection,
 * bytes unchanged both ways, and each exchange on a connection recorded once,
 * whatever the sockets do (split writes, keep-alive, pipelining, a cut on
 * either side, a slow reader). Upstreams and clients here are raw sockets, so
 * every byte is the test's.
 */
import { createHash } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, test } from 'vitest';
import { Http1Reader, type Head } from '../../src/record/http1.js';
import { upstreamHead } from '../../src/record/pipe.js';
import { startRecord, type RecordHandle } from '../../src/record/proxy.js';
import { closedAfterEach, MemorySink, realClock, sleep, until } from '../serve/helpers.js';

const closers = closedAfterEach();

interface Upstream {
  url: string;
  /** Per connection the proxy made (the /api/ps poller's are left out), every byte it received, and its socket. */
  received: string[];
  sockets: Socket[];
  connections: number;
}

/** A raw upstream: `answer` gets each connection and every byte that arrives on it (as one growing text). */
async function upstream(answer: (s: Socket, text: () => string) => void): Promise<Upstream> {
  const u = { url: '', connections: 0, received: [] as string[], sockets: [] as Socket[] };
  const server: Server = createServer((s) => {
    u.connections++;
    u.sockets.push(s);
    u.received.push('');
    const k = () => u.sockets.indexOf(s);
    s.on('error', () => undefined);
    answer(s, () => u.received[k()] ?? '');
    s.on('data', (b: Buffer) => { if (k() >= 0) u.received[k()] += b.toString('latin1'); s.emit('text'); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  closers.push(() => new Promise<void>((r) => { server.close(() => r()); }));
  u.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return u;
}

/** Answers each complete request (head + Content-Length body) with `reply(requestText)`, in order, keep-alive. */
function byRequest(reply: (req: string) => string) {
  return (s: Socket, text: () => string) => {
    let done = 0;
    s.on('text', () => {
      for (;;) {
        const t = text().slice(done);
        const end = t.indexOf('\r\n\r\n');
        if (end < 0) return;
        const len = Number(/content-length: *(\d+)/i.exec(t.slice(0, end))?.[1] ?? 0);
        if (t.length < end + 4 + len) return;
        done += end + 4 + len;
        s.write(reply(t.slice(0, end + 4 + len)), 'latin1');
      }
    });
  };
}

/** record in front of `up`; once its first /api/version and /api/ps have arrived, `up` shows only the proxy's own connections. */
async function proxy(up: Upstream): Promise<{ p: RecordHandle; sink: MemorySink }> {
  const sink = new MemorySink();
  const p = await startRecord({ upstream: new URL(up.url), host: '127.0.0.1', port: 0, clock: realClock, pollMs: 60_000, sink });
  closers.push(() => p.close());
  const polls = () => up.received.join('');
  await until(() => polls().includes('GET /api/ps ') && polls().includes('GET /api/version '));
  const n = up.connections;
  up.received.splice(0, n);
  up.sockets.splice(0, n);
  up.connections = 0;
  return { p, sink };
}

/** A raw client connection to the proxy; `got()` is everything received so far. */
async function client(url: string): Promise<{ s: Socket; got: () => string; closed: () => boolean }> {
  const u = new URL(url);
  const s = connect({ host: u.hostname, port: Number(u.port) });
  let got = '';
  let closed = false;
  s.on('data', (b: Buffer) => { got += b.toString('latin1'); });
  s.on('error', () => undefined);
  s.on('close', () => { closed = true; });
  await new Promise<void>((r) => s.once('connect', () => r()));
  closers.push(async () => { s.destroy(); });
  return { s, got: () => got, closed: () => closed };
}

const json = (status: string, body: string) => `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
const post = (path: string, body: string, host = 'client.example') => `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const FINAL = '{"model":"m","done":true,"done_reason":"stop","eval_count":2,"eval_duration":40}';

describe('the request head the upstream gets', () => {
  const head = (text: string): Head => {
    let h: Head | null = null;
    new Http1Reader('request', { head: (x) => { h = x; return undefined; }, end: () => undefined }).push(Buffer.from(text, 'latin1'));
    return h!;
  };

  test('the Host is the upstream\'s, in its place; fields addressed to a proxy are dropped; every other line as sent', () => {
    const sent = 'POST /api/chat HTTP/1.1\r\nX-First:  spaced \r\nhost: gateway:8080\r\nProxy-Connection: keep-alive\r\nProxy-Authorization: Basic eA==\r\nConnection: keep-alive\r\nX-Bytes: caf\xc3\xa9\r\nContent-Length: 2\r\n\r\n';
    expect(upstreamHead(head(sent), '127.0.0.1:11434')).toBe('POST /api/chat HTTP/1.1\r\nX-First:  spaced \r\nhost: 127.0.0.1:11434\r\nConnection: keep-alive\r\nX-Bytes: caf\xc3\xa9\r\nContent-Length: 2\r\n\r\n');
    // No Host (HTTP/1.0): one is added.
    expect(upstreamHead(head('GET / HTTP/1.0\r\n\r\n'), 'u:1')).toBe('GET / HTTP/1.0\r\nHost: u:1\r\n\r\n');
  });
});

describe('connections', () => {
  test('keep-alive: two requests on one client connection are two records over one upstream connection, the Host rewritten', async () => {
    const up = await upstream(byRequest((req) => json('200 OK', req.startsWith('POST') ? FINAL : '{"models":[]}')));
    const { p, sink } = await proxy(up);
    const c = await client(p.url);
    const first = post('/api/generate', '{"model":"m","prompt":"SECRET","keep_alive":"1m"}');
    c.s.write(first);
    await until(() => c.got().endsWith(FINAL));
    c.s.write('GET /api/tags HTTP/1.1\r\nHost: client.example\r\n\r\n');
    await until(() => c.got().endsWith('{"models":[]}'));
    expect(c.got()).toBe(json('200 OK', FINAL) + json('200 OK', '{"models":[]}'));
    expect(up.connections).toBe(1);
    expect(up.received[0]).toBe(post('/api/generate', '{"model":"m","prompt":"SECRET","keep_alive":"1m"}', new URL(up.url).host) + `GET /api/tags HTTP/1.1\r\nHost: ${new URL(up.url).host}\r\n\r\n`);
    expect(sink.requests.map((r) => [r.endpoint, r.op, r.model, r.status, r.outcome])).toEqual([
      ['/api/generate', 'generate', 'm', 200, 'ok'], ['/api/tags', 'other', null, 200, 'ok']]);
    expect(sink.requests[0]).toMatchObject({ keep_alive: '1m', response: { done_reason: 'stop', eval_count: 2 }, bytes: FINAL.length });
  });

  test('pipelined requests: answered in order, each record with its own request', async () => {
    const up = await upstream(byRequest((req) => json('200 OK', `{"for":"${/"model":"(\w+)"/.exec(req)?.[1]}","done":true,"eval_count":${req.length}}`)));
    const { p, sink } = await proxy(up);
    const c = await client(p.url);
    c.s.write(post('/api/generate', '{"model":"a","prompt":"x"}') + post('/api/chat', '{"model":"b","messages":[{"role":"user","content":"y"}]}'));
    await until(() => sink.requests.length === 2);
    expect(sink.requests.map((r) => [r.endpoint, r.model, r.outcome])).toEqual([['/api/generate', 'a', 'ok'], ['/api/chat', 'b', 'ok']]);
    expect(c.got()).toMatch(/"for":"a".*"for":"b"/s);
  });

  test('a request body split across many TCP writes (chunked, then by Content-Length): forwarded whole, read whole', async () => {
    const up = await upstream((s, text) => s.on('text', () => {
      if (text().endsWith('0\r\n\r\n') && !text().includes('answered')) { s.write(json('200 OK', FINAL)); }
    }));
    const { p, sink } = await proxy(up);
    const c = await client(p.url);
    const body = JSON.stringify({ model: 'big', prompt: 'SECRET '.repeat(300), keep_alive: 0, options: { num_ctx: 4096 } });
    const wire = `POST /api/generate HTTP/1.1\r\nHost: c\r\nTransfer-Encoding: chunked\r\n\r\n${[...body.matchAll(/.{1,97}/gs)].map((m) => `${m[0].length.toString(16)}\r\n${m[0]}\r\n`).join('')}0\r\n\r\n`;
    for (let i = 0; i < wire.length; i += 61) {
      c.s.write(wire.slice(i, i + 61));
      await sleep(1);
    }
    await until(() => sink.requests.length === 1);
    expect(up.received[0]).toBe(wire.replace('Host: c', `Host: ${new URL(up.url).host}`));
    expect(sink.requests[0]).toMatchObject({ model: 'big', op: 'generate', keep_alive: 0, options: { num_ctx: 4096 }, outcome: 'ok' });
    expect(JSON.stringify(sink.requests)).not.toMatch(/SECRET/);
  });

  test('HEAD and a 204: no body awaited where there is none; then a body delimited by the close arrives whole', async () => {
    const up = await upstream(byRequest((req) => req.startsWith('HEAD') ? 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n'
      : req.startsWith('DELETE') ? 'HTTP/1.1 204 No Content\r\n\r\n' : 'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n'));
    const { p, sink } = await proxy(up);
    const c = await client(p.url);
    c.s.write('HEAD /api/version HTTP/1.1\r\n\r\nDELETE /api/delete HTTP/1.1\r\n\r\n');
    await until(() => sink.requests.length === 2);
    expect(sink.requests.map((r) => [r.method, r.status, r.outcome])).toEqual([['HEAD', 200, 'ok'], ['DELETE', 204, 'ok']]);
    c.s.write('GET /stream HTTP/1.1\r\n\r\n');
    await until(() => c.got().endsWith('Connection: close\r\n\r\n'));
    // The body has no length: it ends when the upstream closes, and so does the record.
    up.sockets[0]!.end(FINAL);
    await until(() => c.closed());
    expect(c.got().endsWith(`Connection: close\r\n\r\n${FINAL}`)).toBe(true);
    expect(sink.requests[2]).toMatchObject({ endpoint: '/stream', outcome: 'ok', bytes: FINAL.length, response: { eval_count: 2 } });
  });
});

describe('an upstream on IPv6', () => {
  test('http://[::1]:PORT: requests forwarded and /api/ps polled', async (ctx) => {
    const server = createServer((s) => {
      s.on('error', () => undefined);
      byRequest((req) => json('200 OK', req.startsWith('GET /api/ps') ? '{"models":[]}' : '{"version":"1.0.0"}'))(s, (() => {
        let text = '';
        s.on('data', (b: Buffer) => { text += b.toString('latin1'); s.emit('text'); });
        return () => text;
      })());
    });
    const listening = await new Promise<boolean>((r) => { server.once('error', () => r(false)); server.listen(0, '::1', () => r(true)); });
    if (!listening) ctx.skip();
    closers.push(() => new Promise<void>((r) => { server.close(() => r()); }));
    const sink = new MemorySink();
    const p = await startRecord({ upstream: new URL(`http://[::1]:${(server.address() as AddressInfo).port}`), host: '127.0.0.1', port: 0, clock: realClock, pollMs: 20, sink });
    closers.push(() => p.close());
    const c = await client(p.url);
    c.s.write('GET /api/version HTTP/1.1\r\n\r\n');
    await until(() => c.got().endsWith('{"version":"1.0.0"}'));
    await until(() => (sink.doc?.polls ?? 0) > 0);
    expect(sink.doc!.version).toBe('1.0.0');
  });
});

describe('interim answers and upgrades', () => {
  test('Expect: 100-continue: the 100 passes through, the record has the final status', async () => {
    const up = await upstream((s, text) => s.on('text', () => {
      if (text().endsWith('\r\n\r\n') && !text().includes('{')) s.write('HTTP/1.1 100 Continue\r\n\r\n');
      else if (text().endsWith('}')) s.write(json('201 Created', '{}'));
    }));
    const { p, sink } = await proxy(up);
    const c = await client(p.url);
    c.s.write('POST /api/create HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n');
    await until(() => c.got().includes('100 Continue'));
    c.s.write('{}');
    await until(() => sink.requests.length === 1);
    expect(c.got()).toBe(`HTTP/1.1 100 Continue\r\n\r\n${json('201 Created', '{}')}`);
    expect(sink.requests[0]).toMatchObject({ status: 201, outcome: 'ok' });
  });

  test('101 Switching Protocols: recorded, then bytes both ways unparsed', async () => {
    const up = await upstream((s, text) => s.on('text', () => {
      if (text().endsWith('\r\n\r\n')) s.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\n');
      else if (text().endsWith('PING')) s.write('\x00not http PONG');
    }));
    const { p, sink } = await proxy(up);
    const c = await client(p.url);
    c.s.write('GET /ws HTTP/1.1\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\n');
    await until(() => sink.requests.length === 1);
    c.s.write('\x01 raw PING');
    await until(() => c.got().endsWith('PONG'));
    expect(up.received[0]!.endsWith('\r\n\r\n\x01 raw PING')).toBe(true);
    expect(sink.requests.map((r) => [r.status, r.outcome])).toEqual([[101, 'ok']]);
  });
});

describe('cuts', () => {
  test('the upstream dies mid-chunk: the client gets the bytes sent so far, then its connection is cut; upstream_reset', async () => {
    const partial = 'HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{"done":false}\n\r\n20\r\n{"done":fal';
    const up = await upstream(byRequest(() => partial));
    const { p, sink } = await proxy(up);
    const c = await client(p.url);
    c.s.write(post('/api/generate', '{"model":"m","prompt":"x"}'));
    await until(() => c.got() === partial);
    up.sockets[0]!.destroy();
    await until(() => c.closed());
    expect(c.got()).toBe(partial);
    expect(sink.requests[0]).toMatchObject({ status: 200, outcome: 'upstream_reset', bytes: 16 + 11 });
  });

  test('a client that goes away mid-stream: client_disconnect (499), and the upstream connection closes (the cancel Ollama sees)', async () => {
    let upstreamClosed = false;
    const up = await upstream((s) => {
      s.once('text', () => {
        s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
        const t = setInterval(() => s.write('f\r\n{"done":false}\n\r\n'), 5);
        s.on('close', () => { clearInterval(t); upstreamClosed = true; });
      });
    });
    const { p, sink } = await proxy(up);
    const c = await client(p.url);
    c.s.write(post('/api/chat', '{"model":"m","messages":[{"role":"user","content":"x"}]}'));
    await until(() => c.got().includes('{"done":false}'));
    c.s.destroy();
    await until(() => upstreamClosed && sink.requests.length === 1);
    expect(sink.requests[0]).toMatchObject({ op: 'chat', status: 499, outcome: 'client_disconnect' });
    expect(sink.requests[0]!.bytes).toBeGreaterThan(0);
  });

  test('slow clients: 8 MiB answers to three at once arrive whole and unchanged (upstreams paused, reads never overwritten)', async () => {
    const big = (k: number) => {
      const b = Buffer.alloc(8 << 20);
      for (let i = 0; i < b.length; i += 4) b.writeUInt32LE(((i + k) * 2654435761) >>> 0, i);
      return b;
    };
    const blobs = [big(1), big(2), big(3)];
    const up = await upstream(byRequest((req) => {
      const k = /GET \/blob(\d)/.exec(req)?.[1];
      return k ? `HTTP/1.1 200 OK\r\nContent-Length: ${blobs[+k]!.length}\r\n\r\n${blobs[+k]!.toString('latin1')}` : json('200 OK', '{}');
    }));
    const { p, sink } = await proxy(up);
    const u = new URL(p.url);
    const got = await Promise.all(blobs.map(async (blob, k) => {
      const s = connect({ host: u.hostname, port: Number(u.port) });
      closers.push(async () => { s.destroy(); });
      s.write(`GET /blob${k} HTTP/1.1\r\n\r\n`);
      s.pause();
      await sleep(200);
      const parts: Buffer[] = [];
      let n = 0;
      // Read a little at a time, so each stays behind its upstream.
      s.on('data', (b: Buffer) => {
        parts.push(b);
        n += b.length;
        s.pause();
        setTimeout(() => s.resume(), 1);
      });
      s.resume();
      await until(() => n >= blob.length);
      const all = Buffer.concat(parts);
      return all.subarray(all.indexOf('\r\n\r\n') + 4);
    }));
    const hash = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(got.map(hash)).toEqual(blobs.map(hash));
    await until(() => sink.requests.length === 3);
    expect(sink.requests.map((r) => [r.outcome, r.bytes])).toEqual(blobs.map((b) => ['ok', b.length]));
  });

  test('bytes that are not HTTP: 400 and that connection closes; the next connection is served', async () => {
    const up = await upstream(byRequest(() => json('200 OK', '{}')));
    const { p, sink } = await proxy(up);
    const bad = await client(p.url);
    bad.s.write('SSH-2.0-OpenSSH_9.0\r\n\r\n');
    await until(() => bad.closed());
    expect(bad.got()).toMatch(/^HTTP\/1.1 400 /);
    const good = await client(p.url);
    good.s.write('GET /api/ps HTTP/1.1\r\n\r\n');
    await until(() => good.got().endsWith('{}'));
    expect(sink.requests.map((r) => r.outcome)).toEqual(['ok']);
  });

  test('stopping the recording with a request in flight: in_flight_at_stop', async () => {
    const up = await upstream(() => undefined);
    const { p, sink } = await proxy(up);
    const c = await client(p.url);
    c.s.write(post('/api/generate', '{"model":"m","prompt":"x"}'));
    await until(() => up.received[0]?.includes('"prompt"') === true);
    await p.close();
    expect(sink.requests[0]).toMatchObject({ model: 'm', outcome: 'in_flight_at_stop' });
    await until(() => c.closed());
  });
});
