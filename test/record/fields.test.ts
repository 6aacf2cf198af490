/** What the recorder reads from requests and responses, and the order it writes the trace in. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { LastLine, requestFacts, responseFacts } from '../../src/record/fields.js';
import { Recorder, TRACE_HEADER, type RecordedRequest } from '../../src/record/recorder.js';
import { MemorySink } from '../serve/helpers.js';

describe('requestFacts: the op, as routes.go tells a load from an inference', () => {
  test.each([
    ['/api/generate', { model: 'm', prompt: 'hi' }, 'generate'],
    ['/api/generate', { model: 'm' }, 'preload'],
    ['/api/generate', { model: 'm', keep_alive: 0 }, 'unload'],
    ['/api/generate', { model: 'm', keep_alive: '0s' }, 'unload'],
    ['/api/generate', { model: 'm', keep_alive: '5m' }, 'preload'],
    ['/api/chat', { model: 'm', messages: [] }, 'preload'],
    ['/api/chat', { model: 'm', messages: [], keep_alive: 0 }, 'unload'],
    ['/api/chat', { model: 'm', messages: [{ role: 'user', content: 'x' }] }, 'chat'],
    ['/api/embed', { model: 'm', input: [] }, 'embed'],
    ['/v1/chat/completions', { model: 'm', messages: [] }, 'chat'],
  ])('%s %j → %s', (path, body, op) => {
    expect(requestFacts('POST', path, JSON.stringify(body)).op).toBe(op);
  });

  test('keep_alive as sent, the load options only, and nothing for GETs or bodies that are not JSON', () => {
    const f = requestFacts('POST', '/api/generate?x=1', JSON.stringify({ model: 'm', prompt: 'p', keep_alive: '-1m', options: { num_ctx: 4096, use_mmap: false, temperature: 1 } }));
    expect(f).toMatchObject({ endpoint: '/api/generate', model: 'm', keepAlive: '-1m', options: { num_ctx: 4096, use_mmap: false } });
    expect(f.options).not.toHaveProperty('temperature');
    expect(requestFacts('GET', '/api/ps', null).op).toBe('other');
    expect(requestFacts('POST', '/api/generate', '{oops').model).toBeNull();
  });
});

describe('LastLine and responseFacts: the final chunk, however the stream was cut', () => {
  test('an NDJSON stream split mid-line and byte by byte', () => {
    const text = '{"done":false}\n{"done":true,"eval_count":3,"eval_duration":7}\n';
    for (const step of [1, 5, text.length]) {
      const l = new LastLine();
      for (let i = 0; i < text.length; i += step) l.push(Buffer.from(text.slice(i, i + step)));
      expect(responseFacts(l.final())).toEqual({ eval_count: 3, eval_duration: 7 });
    }
  });

  test('a JSON body without a newline, an SSE stream ending in [DONE], an error body', () => {
    const j = new LastLine();
    j.push(Buffer.from('{"done":true,"total_duration":5,"load_duration":2}'));
    expect(responseFacts(j.final())).toEqual({ total_duration: 5, load_duration: 2 });
    const s = new LastLine();
    s.push(Buffer.from('data: {"usage":{"prompt_tokens":4,"completion_tokens":9}}\n\ndata: [DONE]\n\n'));
    expect(responseFacts(s.final())).toEqual({ prompt_eval_count: 4, eval_count: 9 });
    const e = new LastLine();
    e.push(Buffer.from('{"error":"boom"}'));
    expect(responseFacts(e.final())).toEqual({ error: 'boom' });
  });

  test('property: pushed in any pieces (whole or as ranges), the window is the last `limit` bytes', () => {
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 300 }), { maxLength: 40 }), fc.integer({ min: 1, max: 200 }), (pieces, limit) => {
      const l = new LastLine(limit);
      const r = new LastLine(limit);
      for (const p of pieces) {
        l.push(Buffer.from(p, 'latin1'));
        r.push(Buffer.from(`<${p}>`, 'latin1'), 1, p.length + 1);
      }
      const all = pieces.join('');
      const lines = all.slice(Math.max(0, all.length - limit)).split('\n').map((x) => x.trim()).filter((x) => x !== '' && !/^data:\s*\[DONE\]$/.test(x));
      const want = lines.length ? lines[lines.length - 1]! : null;
      expect(l.final()).toBe(want === null ? null : Buffer.from(want, 'latin1').toString('utf8'));
      expect(r.final()).toBe(l.final());
    }));
  });

  test('a body longer than the window: its metrics are still read from the end, never from the text', () => {
    const l = new LastLine(64);
    l.push(Buffer.from(`{"response":"${'word \\"eval_count\\":9 '.repeat(50)}",`));
    l.push(Buffer.from('"done":true,"done_reason":"stop","eval_count":7,"eval_duration":12}'));
    expect(responseFacts(l.final())).toEqual({ done_reason: 'stop', eval_count: 7, eval_duration: 12 });
  });
});

describe('Recorder: the trace in arrival order, durations from the metrics', () => {
  const req = (id: number, at: number, end: number, extra: Partial<RecordedRequest> = {}): RecordedRequest => ({
    id, at, end, wall: '', method: 'POST', endpoint: '/api/generate', op: 'generate', model: 'm', options: {}, stream: true,
    status: 200, outcome: 'ok', response: { prompt_eval_duration: 1e8, eval_duration: 4e8, prompt_eval_count: 10, eval_count: 20 }, bytes: 0, ...extra,
  });
  const facts = (keepAlive?: number | string, numCtx?: number) => ({ endpoint: '/api/generate', op: 'generate' as const, model: 'm', keepAlive, options: numCtx ? { num_ctx: numCtx } : {}, stream: true });

  test('a row waits for every earlier arrival to end; ends out of order still write rows in order', () => {
    const sink = new MemorySink();
    const r = new Recorder(sink, 'http://x', 't', 5);
    const a = r.begin(true);
    const b = r.begin(true);
    r.end(req(b, 2, 3), facts('5m', 8192));
    expect(sink.rows).toEqual([TRACE_HEADER]);
    r.end(req(a, 1, 4), facts());
    expect(sink.rows.slice(1)).toEqual(['1,1,m,0.5,,,,,10,20', '2,2,m,0.5,5m,8192,,,10,20']);
  });

  test('no metrics: the mean work of the model so far; a client that left gets a timeout; an unload has no work', () => {
    const sink = new MemorySink();
    const r = new Recorder(sink, 'http://x', 't', 5);
    const ids = [r.begin(true), r.begin(true), r.begin(true), r.begin(true)];
    r.end(req(ids[0]!, 0, 1), facts());
    r.end(req(ids[1]!, 1, 1.25, { response: { eval_duration: 1.5e9 } }), facts());
    r.end(req(ids[2]!, 2, 2.5, { outcome: 'client_disconnect', status: 499, response: {} }), facts());
    r.end(req(ids[3]!, 3, 3, { op: 'unload', response: {} }), facts(0));
    expect(sink.rows.slice(1)).toEqual(['1,0,m,0.5,,,,,10,20', '2,1,m,1.5,,,,,,', '3,2,m,1,,,0.5,,,', '4,3,m,0,0,,,unload,,']);
  });

  test('ps polls become residency events, a loss of everything after an outage a restart', () => {
    const sink = new MemorySink();
    const r = new Recorder(sink, 'http://x', 't', 5);
    r.ps(0, [{ name: 'a', size: 10, size_vram: 10, context_length: 4096, digest: 'd1' }]);
    r.ps(5, [{ name: 'a', size: 10, size_vram: 10, context_length: 8192, digest: 'd1' }, { name: 'b', digest: 'd2' }]);
    r.ps(10, null, 'ECONNREFUSED');
    r.ps(15, []);
    const doc = sink.doc!;
    expect(doc.residency.map((e) => `${e.t} ${e.event} ${e.model}`)).toEqual(['0 loaded a', '5 unloaded a', '5 loaded a', '5 loaded b', '15 unloaded a', '15 unloaded b']);
    expect(doc.models.a).toMatchObject({ loads: 2, unloads: 2, context_length: 8192, resident_s: 5 });
    expect(doc.upstream_events.map((e) => e.event)).toEqual(['down', 'up', 'restart']);
    expect([doc.polls, doc.poll_failures]).toEqual([3, 1]);
  });
});
