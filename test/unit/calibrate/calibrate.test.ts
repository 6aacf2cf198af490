/**
 * Calibration from recorded requests, each rule on a hand-made recording whose
 * answer is known: loads cold and warm, the eviction wait taken out, rates of
 * requests alone, the per-stream slowdown where requests overlapped.
 */
import { describe, expect, test } from 'vitest';
import { calibrate } from '../../../src/calibrate/calibrate.js';
import { validate } from '../../../src/calibrate/validate.js';
import type { ObservedDocument, RecordedRequest } from '../../../src/record/recorder.js';

let next = 1;
function req(model: string, at: number, o: { load?: number; prompt?: number; output?: number; decode?: number; prefill?: number; op?: 'generate' | 'unload'; status?: number } = {}): RecordedRequest {
  const prompt = o.prompt ?? 100;
  const output = o.output ?? 50;
  const pe = prompt / (o.prefill ?? 1000);
  const ev = output / (o.decode ?? 100);
  const load = o.load ?? 0;
  return {
    id: next++, at, end: at + load + pe + ev, wall: '', method: 'POST', endpoint: '/api/generate', op: o.op ?? 'generate', model,
    options: {}, stream: false, status: o.status ?? 200, outcome: 'ok', bytes: 10,
    response: {
      total_duration: (load + pe + ev) * 1e9, ...(load > 0 ? { load_duration: load * 1e9 } : {}),
      prompt_eval_count: prompt, prompt_eval_duration: pe * 1e9, eval_count: output, eval_duration: ev * 1e9,
    },
  };
}

const observed = (residency: ObservedDocument['residency'] = []): ObservedDocument => ({
  format: 'ollamasim-observed/1', upstream: '', started_at: '', updated_s: 0, version: '0.33.0', versions: [], poll_every_s: 1, polls: 0,
  poll_failures: 0, residency, models: {}, upstream_events: [], requests: { total: 0, by_endpoint: {}, by_op: {}, by_status: {}, by_outcome: {} },
});

describe('calibrate', () => {
  test('the first load is cold, later ones warm; rates from requests alone', () => {
    const r = { decode: 80, prefill: 900 };
    const rs = [req('a', 0, { load: 4, ...r }), req('a', 10, r), req('a', 20, { load: 1.5, ...r }), req('a', 30, { load: 1.7, ...r }), req('a', 40, { load: 1.6, ...r })];
    const c = calibrate(rs, observed());
    const a = c.models[0]!;
    expect(a.coldLoad!.median).toBeCloseTo(4);
    expect(a.warmLoad!.median).toBeCloseTo(1.6);
    expect(a.decode!.median).toBeCloseTo(80);
    expect(a.prefill!.median).toBeCloseTo(900);
    expect(a.alone).toBe(5);
  });

  test('a load that first waited for an eviction: the wait comes out as the unload time, and out of the load', () => {
    // b loads onto free memory in 2 s; a loads in 3 s onto free memory; every later switch waits 0.5 s for the other's unload.
    const rs = [req('a', 0, { load: 3 }), req('b', 100, { load: 2.5 }), req('a', 200, { load: 3.5 }), req('b', 300, { load: 2.5 }), req('a', 400, { load: 3.5 })];
    const c = calibrate(rs, observed());
    // b never loaded onto free memory, a did once: U = 3.5 − 3.
    expect(c.unload).toBeCloseTo(0.5);
    const [a, b] = c.models;
    expect(a!.warmLoad!.median).toBeCloseTo(3);
    expect(b!.coldLoad!.median).toBeCloseTo(2);
    expect(b!.afterEviction!.n).toBe(2);
  });

  test('no eviction when /api/ps saw the other model unloaded first', () => {
    const rs = [req('a', 0, { load: 3 }), req('b', 100, { load: 2 }), req('b', 200, { load: 2 })];
    const c = calibrate(rs, observed([{ t: 50, event: 'unloaded', model: 'a' }]));
    expect(c.models.find((m) => m.model === 'b')!.afterEviction).toBeNull();
  });

  test('overlapping requests: the per-stream slowdown exponent, not the rate', () => {
    const rs: RecordedRequest[] = [];
    for (let k = 0; k < 4; k++) rs.push(req('a', k * 100, { decode: 100 }));
    // Pairs at once at 100 × 2^-0.5 tok/s each, triples at 100 × 3^-0.5.
    for (let k = 0; k < 3; k++) for (const n of [2, 3]) for (let j = 0; j < n; j++) rs.push(req('a', 1000 + k * 100 + n * 20, { decode: 100 * n ** -0.5 }));
    const c = calibrate(rs, observed());
    expect(c.models[0]!.decode!.median).toBeCloseTo(100);
    expect(c.models[0]!.parallelExponent!).toBeCloseTo(0.5, 1);
  });
});

describe('validate', () => {
  test('loads matched by request, unloads within a poll, errors per model with floors', () => {
    const rs = [req('a', 0, { load: 2 }), req('a', 10), req('a', 20)];
    const sim = rs.map((r, i) => ({ id: String(r.id), model: 'a', cold: i === 0, ok: true, latency: (r.end - r.at) * (i === 2 ? 1.5 : 1), ttft: 0 }));
    const v = validate(rs, observed([{ t: 30, event: 'unloaded', model: 'a' }]), sim, [{ model: 'a', t: 29.4 }]);
    expect(v.loads).toEqual({ observed: 1, predicted: 1, matched: 1, missing: [], extra: [] });
    expect(v.unloads.matched).toBe(1);
    // Observed p50 0.6 s, replayed 0.9 s: 50 %.
    expect(v.worst!.figure).toBe('latency_p50_s');
    expect(v.worst!.error).toBeCloseTo(0.5);
    // An unload long before the poll window is not a match.
    const late = validate(rs, observed([{ t: 30, event: 'unloaded', model: 'a' }]), sim, [{ model: 'a', t: 20 }]);
    expect(late.unloads.unmatched).toEqual([{ model: 'a', t: 30 }]);
  });
});
