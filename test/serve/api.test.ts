/** serve's request reading and Ollama's JSON shapes (api/types.go, routes.go at fb30760). */
import { describe, expect, test } from 'vitest';
import { chatResponse, generateResponse, goTime, keepAliveError, psResponse } from '../../src/serve/api.js';
import { BadRequest, parseApiRequest } from '../../src/serve/request.js';
import { ABSENT, FOREVER, INVALID } from '../../src/ollama/index.js';
import { Op } from '../../src/workload/trace.js';

describe('parseApiRequest', () => {
  test('keep_alive as api.Duration reads it; stream on by default; options.num_ctx and num_predict', () => {
    const r = parseApiRequest('generate', JSON.stringify({ model: 'm', prompt: 'abcdefgh', keep_alive: '-1m', options: { num_ctx: 8192, num_predict: 7 } }));
    expect(r).toMatchObject({ model: 'm', keepAlive: FOREVER, numCtx: 8192, numPredict: 7, stream: true, op: Op.generate, promptTokens: 2 });
    expect(parseApiRequest('chat', '{"model":"m","messages":[{"role":"user","content":"x"}],"stream":false}')).toMatchObject({ keepAlive: ABSENT, stream: false, promptTokens: 5 });
    expect(parseApiRequest('generate', '{"model":"m","prompt":"x","keep_alive":"300"}')).toMatchObject({ keepAlive: INVALID, keepAliveError: 'time: missing unit in duration "300"' });
  });

  test('empty prompt = load, with keep_alive 0 = unload; an empty embed loads (no unload shortcut, spec §3)', () => {
    expect(parseApiRequest('generate', '{"model":"m"}').op).toBe(Op.preload);
    expect(parseApiRequest('generate', '{"model":"m","keep_alive":0}').op).toBe(Op.unload);
    expect(parseApiRequest('chat', '{"model":"m","messages":[],"keep_alive":"0"}').op).toBe(Op.unload);
    expect(parseApiRequest('embed', '{"model":"m","input":[],"keep_alive":0}').op).toBe(Op.generate);
  });

  test("bodies Ollama rejects before scheduling", () => {
    expect(() => parseApiRequest('generate', '')).toThrow(BadRequest);
    expect(() => parseApiRequest('generate', '{"prompt":"x"}')).toThrow("model '' not found");
    expect(() => parseApiRequest('embed', '{"model":"m","input":[1]}')).toThrow('invalid input type');
  });
});

describe('JSON shapes', () => {
  test('Go time: RFC 3339 with the zeros of the fraction dropped', () => {
    expect(goTime(Date.UTC(2024, 0, 2, 3, 4, 5, 120))).toBe('2024-01-02T03:04:05.12Z');
    expect(goTime(Date.UTC(2024, 0, 2, 3, 4, 5, 0))).toBe('2024-01-02T03:04:05Z');
  });

  test('field order of GenerateResponse and ChatResponse; zero metrics omitted (omitempty)', () => {
    const m = { totalUs: 3, loadUs: 0, promptEvalCount: 1, promptEvalUs: 1, evalCount: 2, evalUs: 2 };
    expect(generateResponse('m', 0, '', true, 'stop', m)).toBe(
      '{"model":"m","created_at":"1970-01-01T00:00:00Z","response":"","done":true,"done_reason":"stop","total_duration":3000,"prompt_eval_count":1,"prompt_eval_duration":1000,"eval_count":2,"eval_duration":2000}');
    expect(chatResponse('m', 0, 'hi', false, '', null)).toBe('{"model":"m","created_at":"1970-01-01T00:00:00Z","message":{"role":"assistant","content":"hi"},"done":false}');
  });

  test('ps sorts by expires_at, longest first (routes.go:2297)', () => {
    const row = (name: string, expiresAt: number) => ({ name, size: 1, digest: 'd', details: { family: '', parameterSize: '', quantizationLevel: '' }, expiresAt, sizeVram: 1, contextLength: 4096 });
    const body = JSON.parse(psResponse([row('soon', 1000), row('later', 9000)])) as { models: { name: string }[] };
    expect(body.models.map((x) => x.name)).toEqual(['later', 'soon']);
  });

  test('keep_alive errors as Go words them', () => {
    expect(keepAliveError('5x')).toBe('time: invalid duration "5x"');
    expect(keepAliveError(true)).toBe("Unsupported type: 'bool'");
  });
});

describe('token chunks', () => {
  test('the hand-built streaming chunks are the bytes generateResponse and chatResponse make', async () => {
    const { Exchange, tokenText } = await import('../../src/serve/exchange.js');
    const written: string[] = [];
    const res = { headersSent: false, destroyed: false, writeHead() { this.headersSent = true; }, write: (s: string) => written.push(s) };
    const sim = { wallAt: (t: number) => 1_700_000_000_000 + t / 1000 };
    for (const endpoint of ['generate', 'chat'] as const) {
      written.length = 0;
      const api = { endpoint, model: 'm"1', stream: true, op: Op.generate } as never;
      const ex = new Exchange(sim as never, res as never, api, { promptTokens: 1, outputTokens: 3, promptUs: 0, evalUs: 3000 }, [], { add() {}, delete() {} });
      ex.started(0, 3000);
      ex.tick(3000);
      const expected = [1, 2].map((k) => {
        const at = 1_700_000_000_000 + (k * 1000) / 1000;
        return (endpoint === 'chat' ? chatResponse('m"1', at, tokenText(k - 1), false, '', null) : generateResponse('m"1', at, tokenText(k - 1), false, '', null)) + '\n';
      });
      expect(written.join('')).toBe(expected.join(''));
    }
  });
});
