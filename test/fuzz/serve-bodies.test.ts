/**
 * Hostile request bodies against serve: every one gets an HTTP answer Ollama
 * could give (200, 400, 404, 500, 503) with a JSON body (or NDJSON stream),
 * and the server goes on.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { ServeHandle } from '../../src/serve/server.js';
import { serve, TWO_MODELS } from '../serve/helpers.js';

let h: ServeHandle;
beforeAll(async () => {
  h = (await serve(TWO_MODELS.replace('OLLAMA_MAX_QUEUE: 512', 'OLLAMA_MAX_QUEUE: 2'), { speed: 20, outputTokens: 4 })).h;
});
afterAll(() => h.close());

const value = fc.oneof(fc.string(), fc.integer({ min: -5, max: 100 }), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }), fc.object({ maxDepth: 1 }));
const body = fc.oneof(
  fc.string(),
  fc.json(),
  fc.record({
    model: fc.oneof(fc.constantFrom('alpha', 'beta', 'embedder', 'nope'), value),
    prompt: value,
    messages: fc.oneof(value, fc.array(fc.record({ role: fc.constant('user'), content: value }), { maxLength: 2 })),
    input: value,
    keep_alive: value,
    stream: value,
    options: fc.oneof(value, fc.record({ num_ctx: value, num_predict: fc.integer({ min: -1, max: 6 }) })),
  }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
);

test('any body to generate, chat or embed: an answer Ollama could give, and the server goes on', async () => {
  const runs = Number(process.env.OLLAMASIM_SOAK_RUNS ?? 60);
  await fc.assert(fc.asyncProperty(fc.constantFrom('/api/generate', '/api/chat', '/api/embed'), body, async (path, b) => {
    const res = await fetch(h.url + path, { method: 'POST', body: b });
    const text = await res.text();
    expect([200, 400, 404, 500, 503]).toContain(res.status);
    const lines = text.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
    if (res.status !== 200) expect(JSON.parse(lines[0]!)).toHaveProperty('error');
  }), { numRuns: Math.min(runs, 300), seed: 17 });
  expect((await fetch(`${h.url}/api/version`)).status).toBe(200);
});

test('record reads any request body and any response tail without throwing', async () => {
  const { LastLine, requestFacts, responseFacts } = await import('../../src/record/fields.js');
  const runs = Number(process.env.OLLAMASIM_SOAK_RUNS ?? 500);
  fc.assert(fc.property(fc.constantFrom('/api/generate', '/api/chat', '/api/embed', '/v1/chat/completions', '/x'), body, fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 5 }), (path, b, chunks) => {
    const f = requestFacts('POST', path, b);
    expect(typeof f.op).toBe('string');
    const l = new LastLine(32);
    for (const c of chunks) l.push(Buffer.from(c));
    l.push(Buffer.from(b));
    expect(typeof responseFacts(l.final())).toBe('object');
  }), { numRuns: runs, seed: 17 });
});
