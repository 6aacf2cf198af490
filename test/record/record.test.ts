/**
 * `ollamasim record`: a transparent proxy (bytes in = bytes out, streaming as
 * it streams), and a recorder whose trace replays through `run` to the loads
 * and unloads the server made.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ollama } from 'ollama';
import { describe, expect, test } from 'vitest';
import { loadScenario } from '../../src/io/load-scenario.js';
import { startRecord, type RecordHandle } from '../../src/record/proxy.js';
import type { ServeHandle } from '../../src/serve/server.js';
import { record as replay } from '../helpers/record.js';
import { closedAfterEach, MemorySink, raw, realClock, serve, sleep, TWO_MODELS, until } from '../serve/helpers.js';

const closers = closedAfterEach();

async function proxy(upstream: string, pollMs = 50): Promise<{ p: RecordHandle; sink: MemorySink }> {
  const sink = new MemorySink();
  const p = await startRecord({ upstream: new URL(upstream), host: '127.0.0.1', port: 0, clock: realClock, pollMs, sink });
  closers.push(() => p.close());
  return { p, sink };
}

async function serveFor(yaml = TWO_MODELS, outputTokens = 8): Promise<{ h: ServeHandle; events: [number, string, string, string][]; dir: string }> {
  const s = await serve(yaml, { outputTokens });
  closers.push(() => s.h.close());
  return s;
}

/** A scripted upstream whose answers are the same bytes every time: NDJSON split mid-line, SSE, JSON, errors, binary. */
async function scripted(): Promise<string> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const path = req.url!;
      if (path === '/api/generate') {
        res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
        const lines = ['{"model":"m","created_at":"2024-01-01T00:00:00Z","response":"He","done":false}\n',
          '{"model":"m","created_at":"2024-01-01T00:00:00Z","response":"llo","done":false}\n',
          '{"model":"m","created_at":"2024-01-01T00:00:00Z","response":"","done":true,"done_reason":"stop","total_duration":900,"load_duration":100,"prompt_eval_count":3,"prompt_eval_duration":200,"eval_count":2,"eval_duration":500}\n'];
        const all = lines.join('');
        // Cut mid-line: the proxy must pass the pieces on as they come.
        const cuts = [0, 30, 95, 150, all.length];
        for (let i = 1; i < cuts.length; i++) {
          res.write(all.slice(cuts[i - 1], cuts[i]));
          await sleep(3);
        }
        res.end();
      } else if (path === '/v1/chat/completions') {
        res.writeHead(200, { 'Content-Type': 'text/event-stream' });
        res.write('data: {"id":"1","choices":[{"delta":{"content":"Hi"}}]}\n\n');
        await sleep(3);
        res.write('data: {"id":"1","choices":[],"usage":{"prompt_tokens":7,"completion_tokens":1}}\n\ndata: [DONE]\n\n');
        res.end();
      } else if (path === '/api/chat') {
        const b = '{"model":"m","created_at":"2024-01-01T00:00:00Z","message":{"role":"assistant","content":"SECRET ANSWER"},"done":true,"total_duration":5,"eval_count":1,"eval_duration":4}';
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(b) });
        res.end(b);
      } else if (path === '/api/embed') {
        const b = '{"error":"server busy, please try again.  maximum pending requests exceeded"}';
        res.writeHead(503, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end(b);
      } else if (path === '/api/ps') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"models":[]}');
      } else if (path === '/api/version') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"version":"9.9.9"}');
      } else {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        res.end(Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) & 255)));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  closers.push(() => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function bytes(url: string, path: string, body?: unknown): Promise<{ status: number; type: string | null; body: Buffer }> {
  const res = await fetch(url + path, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
}

describe('the proxy is transparent', () => {
  test('NDJSON, SSE, JSON, an error and a binary body: identical bytes, status and type with and without it', async () => {
    const up = await scripted();
    const { p, sink } = await proxy(up);
    const asks: [string, unknown][] = [
      ['/api/generate', { model: 'm', prompt: 'SECRET PROMPT', keep_alive: '10m', options: { num_ctx: 8192, num_gpu: 20, temperature: 0.1 } }],
      ['/v1/chat/completions', { model: 'm', stream: true, messages: [{ role: 'user', content: 'SECRET PROMPT' }] }],
      ['/api/chat', { model: 'm', stream: false, keep_alive: -1, messages: [{ role: 'user', content: 'SECRET PROMPT' }] }],
      ['/api/embed', { model: 'e', input: 'SECRET PROMPT', keep_alive: 0 }],
      ['/blob', undefined],
    ];
    for (const [path, body] of asks) {
      const direct = await bytes(up, path, body);
      const via = await bytes(p.url, path, body);
      expect(via.status).toBe(direct.status);
      expect(via.type).toBe(direct.type);
      expect(via.body.equals(direct.body)).toBe(true);
    }
    const byPath = new Map(sink.requests.map((r) => [r.endpoint, r]));
    expect(byPath.get('/api/generate')!.first_byte).toBeGreaterThanOrEqual(byPath.get('/api/generate')!.at);
    expect(byPath.get('/api/generate')).toMatchObject({
      op: 'generate', model: 'm', keep_alive: '10m', options: { num_ctx: 8192, num_gpu: 20 }, status: 200, outcome: 'ok',
      response: { done_reason: 'stop', total_duration: 900, load_duration: 100, prompt_eval_count: 3, prompt_eval_duration: 200, eval_count: 2, eval_duration: 500 },
    });
    expect(byPath.get('/v1/chat/completions')).toMatchObject({ op: 'chat', stream: true, response: { prompt_eval_count: 7, eval_count: 1 } });
    expect(byPath.get('/api/chat')).toMatchObject({ op: 'chat', keep_alive: -1, stream: false, response: { eval_count: 1 } });
    expect(byPath.get('/api/embed')).toMatchObject({ op: 'embed', keep_alive: 0, status: 503, outcome: 'http_error' });
    // Never the prompts or the answers.
    expect(JSON.stringify(sink.requests) + sink.rows.join('\n')).not.toMatch(/SECRET/);
    await p.close();
    expect(sink.doc!.version).toBe('9.9.9');
  });

  test('an unreachable upstream: 502 to the client, recorded as upstream_error and a down event; the proxy goes on', async () => {
    const dead = await scripted();
    closers.splice(0).reverse().forEach((c) => void c());
    await sleep(20);
    const { p, sink } = await proxy(dead, 20);
    const r = await raw(p.url, '/api/generate', { model: 'm', prompt: 'x' });
    expect(r.status).toBe(502);
    const again = await raw(p.url, '/api/tags');
    expect(again.status).toBe(502);
    expect(sink.requests.map((x) => x.outcome)).toEqual(['upstream_error', 'upstream_error']);
    await until(() => sink.doc?.upstream_events[0]?.event === 'down');
  });
});

describe('record across an upstream restart', () => {
  test('a stream cut by the restart, 502s while it is down, and down/up/restart in observed.json; the proxy goes on', async () => {
    const first = await serve(TWO_MODELS, { outputTokens: 400 });
    const port = Number(new URL(first.h.url).port);
    const { p, sink } = await proxy(first.h.url, 20);
    await raw(p.url, '/api/generate', { model: 'alpha', prompt: 'x', stream: false, options: { num_predict: 1 } });
    await until(() => sink.doc?.residency.some((e) => e.model === 'alpha') === true);
    const res = await fetch(`${p.url}/api/generate`, { method: 'POST', body: JSON.stringify({ model: 'alpha', prompt: 'long' }) });
    const reader = res.body!.getReader();
    await reader.read();
    await first.h.close();
    await reader.read().then(() => reader.cancel()).catch(() => undefined);
    expect((await raw(p.url, '/api/ps')).status).toBe(502);
    await until(() => sink.doc!.upstream_events.some((e) => e.event === 'down'));
    const { loadScenario } = await import('../../src/io/load-scenario.js');
    const { startServe } = await import('../../src/serve/server.js');
    const again = await startServe({ scenario: await loadScenario(first.file), host: '127.0.0.1', port, speed: 1, jitter: 0, outputTokens: 4, clock: realClock });
    closers.push(() => again.close());
    await until(() => sink.doc!.upstream_events.some((e) => e.event === 'restart'));
    const ok = await raw(p.url, '/api/generate', { model: 'beta', prompt: 'x', stream: false });
    expect(ok.status).toBe(200);
    expect(sink.requests.map((r) => r.outcome)).toEqual(['ok', 'upstream_reset', 'upstream_error', 'ok']);
    expect(sink.doc!.upstream_events.map((e) => e.event)).toEqual(['down', 'up', 'restart']);
  });
});

describe('record in front of serve', () => {
  test('the official client works through it: generate, chat streaming, ps', async () => {
    const { h } = await serveFor();
    const { p } = await proxy(h.url);
    const client = new Ollama({ host: p.url });
    const g = await client.generate({ model: 'alpha', prompt: 'hello', stream: false });
    expect(g.eval_count).toBe(8);
    let chunks = 0;
    for await (const c of await client.chat({ model: 'alpha', messages: [{ role: 'user', content: 'hi' }], stream: true })) if (!c.done) chunks++;
    expect(chunks).toBe(8);
    expect((await client.ps()).models.map((m) => m.name)).toEqual(['alpha']);
  });

  test('a client that goes away mid-stream: recorded as client_disconnect (499), and serve cancels the request (spec §5.6)', async () => {
    const { h, events } = await serveFor(TWO_MODELS, 400);
    const { p, sink } = await proxy(h.url);
    const ac = new AbortController();
    const res = await fetch(`${p.url}/api/generate`, { method: 'POST', body: JSON.stringify({ model: 'alpha', prompt: 'x' }), signal: ac.signal });
    const reader = res.body!.getReader();
    await reader.read();
    ac.abort();
    for (let i = 0; i < 50 && !events.some((e) => e[1] === 'cancel'); i++) await sleep(10);
    expect(events.some((e) => e[1] === 'cancel' && e[2] === 'alpha')).toBe(true);
    expect(sink.requests[0]).toMatchObject({ outcome: 'client_disconnect', status: 499, model: 'alpha' });
    // The trace gives it a timeout: how long the client waited.
    const row = sink.rows[1]!.split(',');
    expect(Number(row[6])).toBeGreaterThan(0);
  });

  test('responses through the proxy are the bytes serve sends', async () => {
    const { h } = await serveFor();
    const { p } = await proxy(h.url);
    // The same sequence twice, direct then proxied; only created_at and the measured durations may differ (wall-clock times).
    const mask = (s: string) => s.replace(/"created_at":"[^"]*"/g, '"created_at":"T"').replace(/"(total|load)_duration":\d+,?/g, '');
    for (const url of [h.url, p.url]) await raw(url, '/api/generate', { model: 'alpha', keep_alive: -1 });
    const asks = [
      ['/api/generate', { model: 'alpha', prompt: 'abc' }], ['/api/chat', { model: 'alpha', messages: [{ role: 'user', content: 'q' }] }],
      ['/api/generate', { model: 'alpha', prompt: 'abc', stream: false }], ['/api/embed', { model: 'embedder', input: 'x' }], ['/api/tags', undefined],
    ] as const;
    for (const [path, body] of asks) {
      const direct = await raw(h.url, path, body);
      const via = await raw(p.url, path, body);
      expect([via.status, via.type]).toEqual([direct.status, direct.type]);
      expect(mask(via.body)).toBe(mask(direct.body));
    }
  });

  test('the recorded trace replays through run to the loads and unloads serve made', async () => {
    const { h, events, dir } = await serveFor();
    const { p, sink } = await proxy(h.url, 30);
    const client = new Ollama({ host: p.url });
    await client.generate({ model: 'alpha', prompt: 'one', stream: false });
    await client.chat({ model: 'beta', messages: [{ role: 'user', content: 'two' }], stream: false, keep_alive: '10m' });
    await client.generate({ model: 'alpha', prompt: 'three', keep_alive: 0, stream: false });
    await sleep(100);
    await client.embed({ model: 'embedder', input: ['four'] });
    await raw(p.url, '/api/generate', { model: 'beta' });
    // Two at once, in a known order: the second is sent once serve has seen the first arrive.
    const arrived = events.filter((e) => e[1] === 'arrive').length;
    const five = client.generate({ model: 'alpha', prompt: 'five', stream: false, options: { num_ctx: 8192 } });
    await until(() => events.filter((e) => e[1] === 'arrive').length > arrived);
    await Promise.all([five, client.generate({ model: 'beta', prompt: 'six', stream: false })]);
    await sleep(100);
    await raw(p.url, '/api/generate', { model: 'beta', keep_alive: 0 });
    await sleep(150);
    await p.close();
    const trace = sink.rows.join('\n') + '\n';
    expect(sink.rows).toHaveLength(1 + 8);
    writeFileSync(join(dir, 'trace.csv'), trace);
    writeFileSync(join(dir, 'replay.yaml'), TWO_MODELS.replace('requests: []', 'trace: trace.csv'));
    const run = [...replay(await loadScenario(join(dir, 'replay.yaml'))).values()][0]!;
    // [event, model, reason]: serve's rows carry the reason 4th, the replay's 5th (after the request id).
    const decisions = (rows: (string | number)[][], why: number) => rows.filter((e) => e[1] === 'load_start' || e[1] === 'unload').map((e) => `${e[1]} ${e[2]} ${e[why]}`);
    const served = decisions(events, 3);
    expect(served).toContain('unload alpha evicted');
    expect(served).toContain('unload beta unload_request');
    expect(decisions(run.events, 4)).toEqual(served);
    // observed.json saw the residency changes /api/ps showed.
    expect(sink.doc!.residency.some((r) => r.event === 'loaded' && r.model === 'beta')).toBe(true);
  });
});
