/**
 * Spec §6.2 scenarios 13–31: reloads, the 80 % preflight, victim order,
 * head-of-line blocking, the queue limit, load failures and client cancels.
 * Each replays a scenario through the CLI's loader and runner and asserts the
 * exact timeline.
 */
import { describe, expect, test } from 'vitest';
import { before, only } from '../helpers/record.js';
import { DEFAULTS, run1 } from '../helpers/run-yaml.js';

describe('spec §6.2 reloads', () => {
  const reload = `${DEFAULTS}
models: { A: { vram: 10GiB, load: 5s, num_ctx: 8192 } }
warm: [ A ]
`;
  test('scenario 13: an option change queues and marks A; old options use the fast path; A′ loads 71–76 (§4.5)', async () => {
    const r = await run1(`${reload}
workload:
  requests:
    - { at: 0, model: A, duration: 60 }
    - { at: 10, model: A, duration: 5, num_ctx: 16384 }
    - { at: 20, model: A, duration: 10, num_ctx: 8192 }
`);
    expect(r.requests.get('3')).toMatchObject({ admitted: 20, start: 60, end: 70, cold: false });
    expect(r.requests.get('2')).toMatchObject({ admitted: 76, start: 76, end: 81, cold: true });
    expect(before(only(r.events, 'mark', 'unload', 'unloaded', 'load_start', 'load_end'), 300)).toEqual([
      [0, 'load_start', 'A', '', ''], [0, 'load_end', 'A', '', ''],
      [10, 'mark', 'A', '', 'reload'], [70, 'unload', 'A', '', 'reload'], [71, 'unloaded', 'A', '', ''],
      [71, 'load_start', 'A', '2', ''], [76, 'load_end', 'A', '2', ''],
    ]);
  });

  test('scenario 14: automatic vs explicit context — alternating reloads; 200000 and 131072 clamp equal (§4.5)', async () => {
    const alternating = await run1(`${DEFAULTS}
models: { A: { vram: 10GiB, load: 5s, n_ctx_train: 131072 } }
workload:
  requests:
    - { at: 0, model: A, duration: 1 }
    - { at: 100, model: A, duration: 1, num_ctx: 8192 }
    - { at: 200, model: A, duration: 1 }
    - { at: 300, model: A, duration: 1, num_ctx: 8192 }
`);
    expect(alternating.result.summary).toMatchObject({ loads: 4, reloads: 3 });
    const clamped = await run1(`${DEFAULTS}
models: { A: { vram: 10GiB, load: 5s, n_ctx_train: 131072 } }
workload:
  requests:
    - { at: 0, model: A, duration: 1, num_ctx: 200000 }
    - { at: 100, model: A, duration: 1, num_ctx: 131072 }
    - { at: 200, model: A, duration: 1 }
`);
    expect(clamped.result.summary).toMatchObject({ loads: 1, reloads: 0 });
  });

  test('scenario 19: reload starvation — old-option requests always in flight keep the new one waiting (#14407)', async () => {
    const chain = Array.from({ length: 8 }, (_, i) => `    - { at: ${20 + 40 * i}, model: A, duration: 60 }`).join('\n');
    const r = await run1(`${reload}
workload:
  requests:
    - { at: 0, model: A, duration: 60 }
    - { at: 10, model: A, duration: 5, num_ctx: 16384 }
${chain}
`);
    // The old runner serves 9 back-to-back requests (0–540) before the reload can happen.
    expect(before(only(r.events, 'unload'), 600)).toEqual([[540, 'unload', 'A', '', 'reload']]);
    expect(r.requests.get('2')).toMatchObject({ admitted: 546, start: 546, end: 551 });
  });

  test('scenario 29: two names over one blob with different num_ctx reload on every switch (#10948)', async () => {
    const r = await run1(`${DEFAULTS}
models:
  small: { vram: 10GiB, load: 5s, key: blob, num_ctx: 8192 }
  large: { vram: 12GiB, load: 5s, key: blob, num_ctx: 32768 }
workload:
  requests:
    - { at: 0, model: small, duration: 1 }
    - { at: 10, model: large, duration: 1 }
    - { at: 20, model: small, duration: 1 }
    - { at: 30, model: small, duration: 1 }
`);
    expect(before(only(r.events, 'load_start', 'unload'), 300)).toEqual([
      [0, 'load_start', 'small', '1', ''],
      [10, 'unload', 'small', '', 'reload'], [11, 'load_start', 'large', '2', ''],
      [20, 'unload', 'large', '', 'reload'], [21, 'load_start', 'small', '3', ''],
    ]);
    expect(r.requests.get('4')).toMatchObject({ admitted: 30, cold: false });
  });
});

describe('spec §6.2 fit and eviction', () => {
  test('scenario 15: fits alongside — 30 ≤ 0.8 × 60, B loads at 0 with no eviction (§5.2c)', async () => {
    const r = await run1(`${DEFAULTS}
models: { A: { vram: 20GiB, load: 5s }, B: { vram: 30GiB, load: 5s } }
warm: [ A ]
workload: { requests: [ { at: 0, model: B, duration: 10 } ] }
`);
    expect(before(only(r.events, 'mark', 'unload', 'load_start'), 300)).toEqual([
      [0, 'load_start', 'A', '', ''], [0, 'load_start', 'B', '1', ''],
    ]);
  });

  test('scenario 16: the 80 % rule — 35 > 0.8 × 40 evicts idle A at 0; B loads from 1 as the first model', async () => {
    const r = await run1(`${DEFAULTS}
models: { A: { vram: 40GiB, load: 5s }, B: { vram: 35GiB, load: 5s } }
warm: [ A ]
workload: { requests: [ { at: 0, model: B, duration: 10 } ] }
`);
    expect(before(only(r.events, 'mark', 'unload', 'unloaded', 'load_start'), 300).slice(1)).toEqual([
      [0, 'mark', 'A', '', 'evicted'], [0, 'unload', 'A', '', 'evicted'], [1, 'unloaded', 'A', '', ''],
      [1, 'load_start', 'B', '1', ''],
    ]);
  });

  const hol = (r4: string) => `${DEFAULTS}
models:
  A: { vram: 50GiB, load: 5s }
  B: { vram: 40GiB, load: 5s }
  C: { vram: 10GiB, load: 5s }
warm: [ A ]
workload:
  requests:
    - { id: R1, at: 0, model: A, duration: 100 }
    - { id: R2, at: 10, model: B, duration: 10 }
    - { id: R3, at: 20, model: C, duration: 10 }
    - { id: R4, at: 30, model: A, duration: 10${r4} }
`;
  test('scenario 17: busy victim and head-of-line — C waits behind B although it fits (§5.2d)', async () => {
    const r = await run1(hol(''));
    expect(r.requests.get('R4')).toMatchObject({ admitted: 30, start: 100, end: 110 });
    expect(before(only(r.events, 'queued', 'mark', 'unload', 'unloaded', 'load_start', 'load_end'), 300).slice(2)).toEqual([
      [10, 'mark', 'A', '', 'evicted'], [20, 'queued', 'C', 'R3', ''],
      [110, 'unload', 'A', '', 'evicted'], [111, 'unloaded', 'A', '', ''],
      [111, 'load_start', 'B', 'R2', ''], [116, 'load_end', 'B', 'R2', ''],
      [116, 'load_start', 'C', 'R3', ''], [121, 'load_end', 'C', 'R3', ''],
    ]);
  });

  test('scenario 18: resurrection — R4 with "5m" un-marks A; the timer fires at 410 and B loads from 411 (#17408)', async () => {
    const r = await run1(hol(', keep_alive: "5m"'));
    expect(before(only(r.events, 'unload', 'load_start'), 420).slice(1)).toEqual([
      [410, 'unload', 'A', '', 'expired'], [411, 'load_start', 'B', 'R2', ''], [416, 'load_start', 'C', 'R3', ''],
    ]);
  });

  test('scenario 18: resurrection with -1 — B and every later slow-path request wait forever (stuck)', async () => {
    const r = await run1(hol(', keep_alive: -1'));
    expect(r.requests.get('R2')).toMatchObject({ status: 'stuck', end: null });
    expect(r.requests.get('R3')).toMatchObject({ status: 'stuck', end: null });
    expect(r.result.summary).toMatchObject({ ok: 2, stuck: 2 });
  });

  test('scenario 21: not LRU — the shorter keep_alive (B, 5m) is evicted; equal durations → smaller key (§5.3)', async () => {
    const r = await run1(`${DEFAULTS}
server: { OLLAMA_MAX_LOADED_MODELS: 2 }
models: { A: { vram: 1GiB, load: 1s }, B: { vram: 1GiB, load: 1s }, C: { vram: 1GiB, load: 1s } }
warm: [ { model: A, keep_alive: 10m } ]
workload:
  requests:
    - { at: 100, model: B, duration: 1, keep_alive: 5m }
    - { at: 200, model: C, duration: 1 }
`);
    expect(only(r.events, 'mark')).toEqual([[200, 'mark', 'B', '', 'evicted']]);
    const tie = await run1(`${DEFAULTS}
server: { OLLAMA_MAX_LOADED_MODELS: 2 }
models: { A: { vram: 1GiB, load: 1s }, B: { vram: 1GiB, load: 1s }, C: { vram: 1GiB, load: 1s } }
warm: [ A ]
workload:
  requests:
    - { at: 100, model: B, duration: 1 }
    - { at: 200, model: C, duration: 1 }
`);
    expect(only(tie.events, 'mark')).toEqual([[200, 'mark', 'A', '', 'evicted']]);
  });

  test('scenario 22: idle beats busy — idle B ("1h") goes before busy A ("1m"); all busy → A is marked and waited for', async () => {
    const base = `${DEFAULTS}
server: { OLLAMA_MAX_LOADED_MODELS: 2 }
models: { A: { vram: 1GiB, load: 1s }, B: { vram: 1GiB, load: 1s }, C: { vram: 1GiB, load: 1s } }
`;
    const r = await run1(`${base}
warm: [ { model: B, keep_alive: 1h } ]
workload:
  requests:
    - { at: 0, model: A, duration: 100, keep_alive: 1m }
    - { at: 10, model: C, duration: 1 }
`);
    expect(before(only(r.events, 'mark', 'unload'), 100)).toEqual([[10, 'mark', 'B', '', 'evicted'], [10, 'unload', 'B', '', 'evicted']]);
    const allBusy = await run1(`${base}
workload:
  requests:
    - { at: 0, model: A, duration: 100, keep_alive: 1m }
    - { at: 0, model: B, duration: 100, keep_alive: 1h }
    - { at: 10, model: C, duration: 1 }
`);
    expect(before(only(allBusy.events, 'mark', 'unload', 'load_start'), 300).slice(2)).toEqual([
      [10, 'mark', 'A', '', 'evicted'], [101, 'unload', 'A', '', 'evicted'], [102, 'load_start', 'C', '3', ''],
    ]);
  });

  test('scenario 23: auto cap 3 × GPUs — the 4th model evicts one; 6 with 2 GPUs; 3 with none (§2)', async () => {
    const four = (host: string) => `
host: ${host}
models: { A: { vram: 1GiB, load: 1s }, B: { vram: 1GiB, load: 1s }, C: { vram: 1GiB, load: 1s }, D: { vram: 1GiB, load: 1s } }
warm: [ A, B, C ]
workload: { requests: [ { at: 0, model: D, duration: 1 } ] }
`;
    const one = await run1(four('{ gpus: [ { vram: 80GiB } ], unload: 1s }'));
    expect(before(only(one.events, 'mark'), 300)).toEqual([[0, 'mark', 'A', '', 'evicted']]);
    const two = await run1(four('{ gpus: [ { vram: 80GiB }, { vram: 80GiB } ], unload: 1s }'));
    expect(before(only(two.events, 'mark'), 300)).toEqual([]);
    const cpu = await run1(four('{ gpus: [], unload: 1s }'));
    expect(before(only(cpu.events, 'mark', 'unload', 'unloaded', 'load_start'), 300).slice(3)).toEqual([
      [0, 'mark', 'A', '', 'evicted'], [0, 'unload', 'A', '', 'evicted'], [0, 'unloaded', 'A', '', ''],
      [0, 'load_start', 'D', '1', ''],
    ]);
  });

  test('scenario 24: cascade — evict A (signal at 1), 50 > 40 so evict B (signal at 2), C loads from 2', async () => {
    const r = await run1(`${DEFAULTS}
models: { A: { vram: 30GiB, load: 5s }, B: { vram: 30GiB, load: 5s }, C: { vram: 50GiB, load: 5s } }
warm: [ A, B ]
workload: { requests: [ { at: 0, model: C, duration: 10 } ] }
`);
    expect(before(only(r.events, 'unload', 'unloaded', 'load_start'), 300).slice(2)).toEqual([
      [0, 'unload', 'A', '', 'evicted'], [1, 'unloaded', 'A', '', ''],
      [1, 'unload', 'B', '', 'evicted'], [2, 'unloaded', 'B', '', ''],
      [2, 'load_start', 'C', '1', ''],
    ]);
  });

  test('scenario 25: oversize — on an empty GPU a 100 GiB model loads (partly on CPU); others are evicted first', async () => {
    const r = await run1(`${DEFAULTS}
models: { A: { vram: 10GiB, load: 5s }, C: { vram: 100GiB, load: 5s } }
warm: [ A ]
workload: { requests: [ { at: 0, model: C, duration: 10 } ] }
`);
    expect(before(only(r.events, 'unload', 'load_start', 'load_end'), 300).slice(2)).toEqual([
      [0, 'unload', 'A', '', 'evicted'], [1, 'load_start', 'C', '1', ''], [6, 'load_end', 'C', '1', ''],
    ]);
    expect(r.requests.get('1')).toMatchObject({ status: 'ok', end: 16 });
  });

  test('scenario 31: serial loads — C waits for B\'s load although it fits; A is served at once', async () => {
    const r = await run1(`${DEFAULTS}
models: { A: { vram: 10GiB, load: 5s }, B: { vram: 10GiB, load: 60s }, C: { vram: 10GiB, load: 5s } }
warm: [ A ]
workload:
  requests:
    - { at: 0, model: B, duration: 1 }
    - { at: 5, model: C, duration: 1 }
    - { at: 5, model: A, duration: 1 }
`);
    expect(r.requests.get('3')).toMatchObject({ admitted: 5, start: 5, end: 6 });
    expect(only(r.events, 'load_start', 'load_end').slice(2)).toEqual([
      [0, 'load_start', 'B', '1', ''], [60, 'load_end', 'B', '1', ''],
      [60, 'load_start', 'C', '2', ''], [65, 'load_end', 'C', '2', ''],
    ]);
  });
});

describe('spec §6.2 queue, failures and cancels', () => {
  test('scenario 20: queue full — MAX_QUEUE=2: R4 gets 503 at 3; Z is served; R1–R3 run from 30 (§5.1)', async () => {
    const r = await run1(`${DEFAULTS}
server: { OLLAMA_MAX_QUEUE: 2 }
models: { A: { vram: 10GiB, load: 30s }, Z: { vram: 10GiB, load: 5s } }
warm: [ Z ]
workload:
  requests:
    - { at: 0, model: A, duration: 1 }
    - { at: 1, model: A, duration: 1 }
    - { at: 2, model: A, duration: 1 }
    - { at: 3, model: A, duration: 1 }
    - { at: 4, model: Z, duration: 1 }
`);
    expect(r.requests.get('4')).toMatchObject({ end: 3, status: 'rejected', http: 503 });
    expect(r.requests.get('5')).toMatchObject({ admitted: 4, end: 5, status: 'ok' });
    expect(r.requests.get('1')).toMatchObject({ admitted: 30, start: 30, end: 31 });
    expect(r.requests.get('2')).toMatchObject({ admitted: 30, start: 31, end: 32, cold: true });
    expect(r.requests.get('3')).toMatchObject({ admitted: 30, start: 32, end: 33, cold: true });
  });

  test('scenario 27: repeated failure — every queued request makes its own attempt: 500 at 20, 40, 60 (§5.6)', async () => {
    const r = await run1(`${DEFAULTS}
models: { X: { vram: 10GiB, load: 5s, load_fails_after: 20s } }
workload:
  requests:
    - { at: 0, model: X, duration: 1 }
    - { at: 1, model: X, duration: 1 }
    - { at: 2, model: X, duration: 1 }
`);
    expect([...r.requests.values()].map((q) => [q.end, q.status, q.http])).toEqual([
      [20, 'failed', 500], [40, 'failed', 500], [60, 'failed', 500],
    ]);
    expect(r.result.summary).toMatchObject({ loads: 0, load_failures: 3, vram_peak_gib: 10 });
  });

  test('scenario 28: client cancel — R1\'s load aborts at 10, R2 loads 10–70; a request cancelled while queued is dropped with no load', async () => {
    const r = await run1(`${DEFAULTS}
models: { X: { vram: 10GiB, load: 60s } }
workload:
  requests:
    - { at: 0, model: X, duration: 1, timeout: 10 }
    - { at: 5, model: X, duration: 1 }
    - { at: 6, model: X, duration: 1, timeout: 3 }
`);
    expect(r.requests.get('1')).toMatchObject({ end: 10, status: 'cancelled', http: 499 });
    expect(r.requests.get('3')).toMatchObject({ end: 9, status: 'cancelled', http: 499 });
    expect(r.requests.get('2')).toMatchObject({ admitted: 70, start: 70, end: 71 });
    expect(only(r.events, 'load_start', 'load_fail', 'load_end', 'cancel', 'drop')).toEqual([
      [0, 'load_start', 'X', '1', ''], [9, 'cancel', 'X', '3', 'client_timeout'],
      [10, 'cancel', 'X', '1', 'client_timeout'], [10, 'load_fail', 'X', '1', 'client_timeout'],
      [10, 'load_start', 'X', '2', ''], [70, 'load_end', 'X', '2', ''], [70, 'drop', 'X', '3', 'client_timeout'],
    ]);
  });
});
