/**
 * `ollamasim serve` against the official `ollama` npm client, unchanged: the
 * answers carry the simulated run (loads, evictions, 503s) in Ollama's shapes
 * (api/types.go, docs/api.md at fb30760).
 */
import { Ollama } from 'ollama';
import { afterEach, describe, expect, test } from 'vitest';
import { raw, serve, TWO_MODELS } from './helpers.js';
import type { ServeHandle } from '../../src/serve/server.js';

let open: ServeHandle[] = [];
afterEach(async () => {
  for (const h of open) await h.close();
  open = [];
});
async function start(yaml = TWO_MODELS, opts: Parameters<typeof serve>[1] = {}) {
  const s = await serve(yaml, opts);
  open.push(s.h);
  return { ...s, client: new Ollama({ host: s.h.url }) };
}

describe('the official client against serve', () => {
  test('generate (no stream): metrics from the simulated run — a cold request pays the load (docs/api.md "Generate a completion")', async () => {
    const { client } = await start();
    const r = await client.generate({ model: 'alpha', prompt: 'Why is the sky blue?', stream: false, options: { num_predict: 20 } });
    expect(r.model).toBe('alpha');
    expect(r.done).toBe(true);
    expect(r.done_reason).toBe('length');
    expect(r.eval_count).toBe(20);
    // 20 tokens at 400 t/s = 50 ms of eval; "Why is the sky blue?" = 20 chars = 5 tokens at 2000 t/s.
    expect(r.eval_duration).toBe(50_000_000);
    expect(r.prompt_eval_count).toBe(5);
    expect(r.prompt_eval_duration).toBe(2_500_000);
    // Cold: load_duration covers the 0.25 s load; total = load + prompt + eval (+ nothing else: one request).
    expect(r.load_duration).toBeGreaterThanOrEqual(250_000_000);
    expect(r.total_duration).toBe(r.load_duration + r.prompt_eval_duration + r.eval_duration);
    expect(r.response!.split(' ').filter(Boolean)).toHaveLength(20);
    // Warm now: admitted at once, so load_duration is 0 and omitted (omitempty, types.go:559).
    const warm = await client.generate({ model: 'alpha', prompt: 'again', stream: false, options: { num_predict: 5 } });
    expect(warm.load_duration).toBeUndefined();
    expect(warm.eval_count).toBe(5);
  });

  test('chat streaming: one chunk per token, then the final chunk with the metrics', async () => {
    const { client } = await start(TWO_MODELS, { outputTokens: 12 });
    const stream = await client.chat({ model: 'beta', messages: [{ role: 'user', content: 'hello' }], stream: true });
    const parts: string[] = [];
    let last;
    for await (const c of stream) {
      if (c.done) last = c;
      else parts.push(c.message.content);
    }
    expect(parts).toHaveLength(12);
    expect(last!.message).toEqual({ role: 'assistant', content: '' });
    expect(last!.done_reason).toBe('stop');
    expect(last!.eval_count).toBe(12);
    expect(last!.eval_duration).toBe(30_000_000);
  });

  test('ps shows residency, size_vram, context_length and expires_at = last answer + keep_alive (spec §4.8)', async () => {
    const { client } = await start();
    const before = Date.now();
    await client.generate({ model: 'alpha', prompt: 'x', stream: false, keep_alive: '10m', options: { num_predict: 1 } });
    const ps = await client.ps();
    expect(ps.models.map((m) => m.name)).toEqual(['alpha']);
    const m = ps.models[0]!;
    expect(m.size).toBe(5 * 2 ** 30);
    expect(m.size_vram).toBe(5 * 2 ** 30);
    const expires = new Date(m.expires_at).getTime();
    expect(expires).toBeGreaterThanOrEqual(before + 600_000 - 5);
    expect(expires).toBeLessThan(Date.now() + 600_000 + 5);
    // Switching models evicts alpha: only one fits the 8 GiB GPU (spec §5.3).
    await client.generate({ model: 'beta', prompt: 'x', stream: false, keep_alive: -1, options: { num_predict: 1 } });
    const after = await client.ps();
    expect(after.models.map((x) => x.name)).toEqual(['beta']);
    // A negative keep_alive is forever: expires_at about 292 years ahead (time.Duration(math.MaxInt64), types.go:1254).
    expect(new Date(after.models[0]!.expires_at).getUTCFullYear()).toBeGreaterThan(2300);
  });

  test('ps asked during a load answers once the load ends (the loading runner holds refMu, sched.go:716, 1757)', async () => {
    const { client, events } = await start();
    const cold = client.generate({ model: 'alpha', prompt: 'x', stream: false });
    while (!events.some((e) => e[1] === 'load_start')) await new Promise((r) => setTimeout(r, 5));
    const ps = await client.ps();
    expect(events.some((e) => e[1] === 'load_end')).toBe(true);
    expect(ps.models.map((m) => m.name)).toEqual(['alpha']);
    await cold;
  });

  test('list, version, embed, load and unload', async () => {
    const { client, h } = await start();
    expect((await client.list()).models.map((m) => m.name)).toEqual(['alpha', 'beta', 'embedder']);
    expect((await client.version()).version).toBe('0.33.0-rc2');
    const e = await client.embed({ model: 'embedder', input: ['one', 'two', 'three'] });
    expect(e.embeddings).toHaveLength(3);
    expect(e.embeddings[0]).toHaveLength(384);
    const load = await raw(h.url, '/api/generate', { model: 'alpha' });
    expect(JSON.parse(load.body)).toMatchObject({ model: 'alpha', response: '', done: true, done_reason: 'load' });
    expect((await client.ps()).models.map((m) => m.name).sort()).toEqual(['alpha', 'embedder']);
    const unload = await raw(h.url, '/api/chat', { model: 'alpha', messages: [], keep_alive: 0 });
    expect(JSON.parse(unload.body)).toMatchObject({ model: 'alpha', message: { role: 'assistant', content: '' }, done: true, done_reason: 'unload' });
    expect(unload.type).toBe('application/json; charset=utf-8');
  });

  test("Ollama's errors: unknown model 404, unit-less keep_alive 400, full queue 503", async () => {
    const { client, h } = await start(TWO_MODELS.replace('OLLAMA_MAX_QUEUE: 512', 'OLLAMA_MAX_QUEUE: 1'));
    await expect(client.generate({ model: 'nope', prompt: 'x' })).rejects.toMatchObject({ status_code: 404, error: "model 'nope' not found" });
    await expect(client.generate({ model: 'alpha', prompt: 'x', keep_alive: '300' as unknown as number })).rejects.toMatchObject({
      status_code: 400, error: 'time: missing unit in duration "300"',
    });
    // Cold requests for two models while the scheduler loads the first: the queue holds one, the rest get 503 (spec §5.1).
    const results = await Promise.allSettled([
      raw(h.url, '/api/generate', { model: 'alpha', prompt: 'x', stream: false }),
      raw(h.url, '/api/generate', { model: 'beta', prompt: 'x', stream: false }),
      raw(h.url, '/api/generate', { model: 'beta', prompt: 'y', stream: false }),
      raw(h.url, '/api/generate', { model: 'beta', prompt: 'z', stream: false }),
    ]);
    const statuses = results.map((r) => (r.status === 'fulfilled' ? r.value.status : 0));
    expect(statuses.filter((s) => s === 200)).toHaveLength(2);
    expect(statuses.filter((s) => s === 503)).toHaveLength(2);
    const busy = results.find((r) => r.status === 'fulfilled' && r.value.status === 503) as PromiseFulfilledResult<{ body: string }>;
    expect(JSON.parse(busy.value.body)).toEqual({ error: 'server busy, please try again.  maximum pending requests exceeded' });
  });

  test('a load that crashes answers 500 (spec scenario 27)', async () => {
    const { client } = await start(TWO_MODELS.replace('load: 0.15s,', 'load: 0.15s, load_fails_after: 0.05s,'));
    await expect(client.generate({ model: 'beta', prompt: 'x', stream: false })).rejects.toMatchObject({ status_code: 500 });
  });
});

describe('the answer moves with its inputs', () => {
  test('more tokens asked → more eval_count and eval_duration; --speed does not change simulated durations', async () => {
    const fast = await start(TWO_MODELS, { speed: 20 });
    const a = await fast.client.generate({ model: 'alpha', prompt: 'x', stream: false, options: { num_predict: 10 } });
    const b = await fast.client.generate({ model: 'alpha', prompt: 'x', stream: false, options: { num_predict: 40 } });
    expect(b.eval_count).toBe(4 * a.eval_count);
    expect(b.eval_duration).toBe(4 * a.eval_duration);
    // At 20× a 0.25 s load still reports as 0.25 s of simulated time.
    expect(a.load_duration).toBeGreaterThanOrEqual(250_000_000);
  });

  test('jitter spreads the durations, seeded: the same scenario seed gives the same draws', async () => {
    const durations = async () => {
      const s = await start(TWO_MODELS, { jitter: 0.2 });
      const out: number[] = [];
      for (let i = 0; i < 3; i++) out.push((await s.client.generate({ model: 'alpha', prompt: 'x', stream: false, options: { num_predict: 40 } })).eval_duration);
      return out;
    };
    const first = await durations();
    expect(new Set(first).size).toBe(3);
    for (const d of first) {
      expect(d).toBeGreaterThanOrEqual(0.8 * 100_000_000);
      expect(d).toBeLessThanOrEqual(1.2 * 100_000_000);
    }
    expect(await durations()).toEqual(first);
  });
});
