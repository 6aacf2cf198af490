/**
 * Spec §6.2 scenarios 1–12: the keep-alive timer, keep_alive precedence,
 * preload and unload requests. Each replays a scenario file through the same
 * loader and runner as `ollamasim run` and asserts the exact timeline.
 */
import { describe, expect, test } from 'vitest';
import { only } from '../helpers/record.js';
import { DEFAULTS, run1 } from '../helpers/run-yaml.js';

const LIFE = ['load_start', 'load_end', 'start', 'finish', 'mark', 'unload', 'unloaded'];

describe('spec §6.2 keep-alive timer', () => {
  test('scenario 1: default timer — load 0–5, run 5–15, expiry 315, unloaded 316 (§4.3)', async () => {
    const r = await run1(`${DEFAULTS}
models: { A: { vram: 10GiB, load: 5s } }
workload: { requests: [ { at: 0, model: A, duration: 10 } ] }
`);
    expect(r.events).toEqual([
      [0, 'arrive', 'A', '1', ''],
      [0, 'load_start', 'A', '1', ''],
      [5, 'load_end', 'A', '1', ''],
      [5, 'admitted', 'A', '1', 'loaded'],
      [5, 'start', 'A', '1', ''],
      [15, 'finish', 'A', '1', ''],
      [15, 'timer_start', 'A', '', ''],
      [315, 'unload', 'A', '', 'expired'],
      [316, 'unloaded', 'A', '', ''],
    ]);
    expect(r.requests.get('1')).toMatchObject({ admitted: 5, start: 5, end: 15, status: 'ok', http: 200, cold: true });
  });

  test('scenario 2: timer reset — a request at 100 takes the fast path, expiry 410 (§4.3.1)', async () => {
    const r = await run1(`${DEFAULTS}
models: { A: { vram: 10GiB, load: 5s } }
workload: { requests: [ { at: 0, model: A, duration: 10 }, { at: 100, model: A, duration: 10 } ] }
`);
    expect(r.requests.get('2')).toMatchObject({ admitted: 100, start: 100, end: 110, cold: false });
    expect(only(r.events, 'admitted', 'unload')).toEqual([
      [5, 'admitted', 'A', '1', 'loaded'],
      [100, 'admitted', 'A', '2', 'fast_path'],
      [410, 'unload', 'A', '', 'expired'],
    ]);
  });

  test('scenario 3: after expiry — a request at 400 reloads 400–405, runs 405–415, expiry 715', async () => {
    const r = await run1(`${DEFAULTS}
models: { A: { vram: 10GiB, load: 5s } }
workload: { requests: [ { at: 0, model: A, duration: 10 }, { at: 400, model: A, duration: 10 } ] }
`);
    expect(only(r.events, ...LIFE)).toEqual([
      [0, 'load_start', 'A', '1', ''], [5, 'load_end', 'A', '1', ''], [5, 'start', 'A', '1', ''],
      [15, 'finish', 'A', '1', ''], [315, 'unload', 'A', '', 'expired'], [316, 'unloaded', 'A', '', ''],
      [400, 'load_start', 'A', '2', ''], [405, 'load_end', 'A', '2', ''], [405, 'start', 'A', '2', ''],
      [415, 'finish', 'A', '2', ''], [715, 'unload', 'A', '', 'expired'], [716, 'unloaded', 'A', '', ''],
    ]);
    expect(r.requests.get('2')).toMatchObject({ admitted: 405, cold: true });
  });

  test('scenario 4: keep_alive 0 unloads at 15; the next runner starts with the 5m default (§3)', async () => {
    const r = await run1(`${DEFAULTS}
models: { A: { vram: 10GiB, load: 5s } }
workload:
  requests:
    - { at: 0, model: A, duration: 10, keep_alive: 0 }
    - { at: 20, model: A, duration: 10 }
`);
    expect(only(r.events, 'load_start', 'load_end', 'unload')).toEqual([
      [0, 'load_start', 'A', '1', ''], [5, 'load_end', 'A', '1', ''], [15, 'unload', 'A', '', 'expired'],
      [20, 'load_start', 'A', '2', ''], [25, 'load_end', 'A', '2', ''], [335, 'unload', 'A', '', 'expired'],
    ]);
  });

  test('scenario 5: OLLAMA_KEEP_ALIVE=0 — separate requests load each time, overlapping ones share', async () => {
    const r = await run1(`${DEFAULTS}
server: { OLLAMA_KEEP_ALIVE: 0 }
models: { A: { vram: 10GiB, load: 5s } }
workload:
  requests:
    - { at: 0, model: A, duration: 10 }
    - { at: 20, model: A, duration: 10 }
    - { at: 40, model: A, duration: 10 }
    - { at: 42, model: A, duration: 10 }
`);
    expect(only(r.events, 'load_start', 'unload')).toEqual([
      [0, 'load_start', 'A', '1', ''], [15, 'unload', 'A', '', 'expired'],
      [20, 'load_start', 'A', '2', ''], [35, 'unload', 'A', '', 'expired'],
      [40, 'load_start', 'A', '3', ''], [65, 'unload', 'A', '', 'expired'],
    ]);
    expect(r.requests.get('4')).toMatchObject({ admitted: 45, start: 55, end: 65, cold: true });
  });

  test('scenario 6: -1 never expires; absent keep_alive inherits it; "5m" sets expiry 510 (§3)', async () => {
    const r = await run1(`${DEFAULTS}
models: { A: { vram: 10GiB, load: 5s } }
workload:
  requests:
    - { at: 0, model: A, duration: 10, keep_alive: -1 }
    - { at: 100, model: A, duration: 10 }
    - { at: 200, model: A, duration: 10, keep_alive: "5m" }
`);
    expect(only(r.events, 'timer_start', 'unload')).toEqual([
      [210, 'timer_start', 'A', '', ''],
      [510, 'unload', 'A', '', 'expired'],
    ]);
  });

  test('scenario 7: last admitted wins — "1h" then 0 unloads at 65; swapped, expiry 3665 (§3)', async () => {
    const base = `${DEFAULTS}
models: { A: { vram: 10GiB, load: 5s } }
warm: [ A ]
`;
    const a = await run1(`${base}
workload:
  requests:
    - { at: 0, model: A, duration: 60, keep_alive: "1h" }
    - { at: 10, model: A, duration: 5, keep_alive: 0 }
`);
    expect(a.requests.get('2')).toMatchObject({ admitted: 10, start: 60, end: 65 });
    expect(only(a.events, 'unload')).toEqual([[65, 'unload', 'A', '', 'expired']]);
    const b = await run1(`${base}
workload:
  requests:
    - { at: 0, model: A, duration: 60, keep_alive: 0 }
    - { at: 10, model: A, duration: 5, keep_alive: "1h" }
`);
    expect(only(b.events, 'unload')).toEqual([[3665, 'unload', 'A', '', 'expired']]);
  });

  test('scenario 8: preload answers 200 at the end of the load, then the timer runs (expiry 305; never with -1)', async () => {
    const r = await run1(`${DEFAULTS}
models: { A: { vram: 10GiB, load: 5s } }
workload: { requests: [ { at: 0, model: A, op: preload } ] }
`);
    expect(r.requests.get('1')).toMatchObject({ admitted: 5, end: 5, status: 'ok', http: 200, cold: true });
    expect(only(r.events, 'finish', 'timer_start', 'unload')).toEqual([
      [5, 'finish', 'A', '1', 'preload'], [5, 'timer_start', 'A', '', ''], [305, 'unload', 'A', '', 'expired'],
    ]);
    const forever = await run1(`${DEFAULTS}
models: { A: { vram: 10GiB, load: 5s } }
workload: { requests: [ { at: 0, model: A, op: preload, keep_alive: -1 } ] }
`);
    expect(only(forever.events, 'timer_start', 'unload')).toEqual([]);
  });

  test('scenario 9: unload while idle — 200 at once, unload at 50, signal at 51; not loaded → no-op', async () => {
    const r = await run1(`${DEFAULTS}
models: { A: { vram: 10GiB, load: 5s }, B: { vram: 10GiB, load: 5s } }
warm: [ A ]
workload:
  requests:
    - { at: 50, model: A, op: unload }
    - { at: 60, model: B, op: unload }
`);
    expect(r.requests.get('1')).toMatchObject({ end: 50, status: 'ok', http: 200 });
    expect(r.requests.get('2')).toMatchObject({ end: 60, status: 'ok', http: 200 });
    expect(only(r.events, 'mark', 'unload', 'unloaded', 'finish')).toEqual([
      [50, 'mark', 'A', '', 'unload_request'], [50, 'unload', 'A', '', 'unload_request'],
      [50, 'finish', 'A', '1', 'unload_request'], [51, 'unloaded', 'A', '', ''],
      [60, 'finish', 'B', '2', 'no_op'],
    ]);
  });

  test('scenario 9: an empty request with keep_alive 0 is the unload shortcut even when written as a preload (§3)', async () => {
    const r = await run1(`${DEFAULTS}
models: { A: { vram: 10GiB, load: 5s } }
warm: [ A ]
workload: { requests: [ { at: 50, model: A, op: preload, keep_alive: 0 } ] }
`);
    expect(r.requests.get('1')).toMatchObject({ end: 50, http: 200 });
    expect(only(r.events, 'unload', 'load_start')).toEqual([[0, 'load_start', 'A', '', ''], [50, 'unload', 'A', '', 'unload_request']]);
  });

  const busy = `${DEFAULTS}
models: { A: { vram: 10GiB, load: 5s } }
warm: [ A ]
`;
  test('scenario 10: unload while busy — 200 at 30, unload when the request ends at 60 (§4.3.4)', async () => {
    const r = await run1(`${busy}
workload: { requests: [ { at: 0, model: A, duration: 60 }, { at: 30, model: A, op: unload } ] }
`);
    expect(r.requests.get('2')).toMatchObject({ end: 30, http: 200 });
    expect(only(r.events, 'mark', 'unload')).toEqual([
      [30, 'mark', 'A', '', 'unload_request'], [60, 'unload', 'A', '', 'unload_request'],
    ]);
  });

  test('scenario 10b: a marked runner still serves the fast path; unload at 70', async () => {
    const r = await run1(`${busy}
workload:
  requests:
    - { at: 0, model: A, duration: 60 }
    - { at: 30, model: A, op: unload }
    - { at: 40, model: A, duration: 10 }
`);
    expect(r.requests.get('3')).toMatchObject({ admitted: 40, start: 60, end: 70, cold: false });
    expect(only(r.events, 'unload')).toEqual([[70, 'unload', 'A', '', 'unload_request']]);
  });

  test('scenario 10c: a non-zero keep_alive clears the mark (resurrection) — no unload, expiry 370', async () => {
    const r = await run1(`${busy}
workload:
  requests:
    - { at: 0, model: A, duration: 60 }
    - { at: 30, model: A, op: unload }
    - { at: 40, model: A, duration: 10, keep_alive: "5m" }
`);
    expect(only(r.events, 'unload')).toEqual([[370, 'unload', 'A', '', 'expired']]);
  });

  test('scenario 11: unload during load is a no-op; A runs 30–40, expiry 340', async () => {
    const r = await run1(`${DEFAULTS}
models: { A: { vram: 10GiB, load: 30s } }
workload: { requests: [ { at: 0, model: A, duration: 10 }, { at: 10, model: A, op: unload } ] }
`);
    expect(r.requests.get('2')).toMatchObject({ end: 10, http: 200 });
    expect(r.requests.get('1')).toMatchObject({ start: 30, end: 40 });
    expect(only(r.events, 'mark', 'unload')).toEqual([[340, 'unload', 'A', '', 'expired']]);
  });

  test('scenario 12: only keep_alive differs — same runner, unload at 10', async () => {
    const r = await run1(`${busy}
workload: { requests: [ { at: 0, model: A, duration: 10, keep_alive: 0 } ] }
`);
    expect(only(r.events, 'load_start', 'admitted', 'unload')).toEqual([
      [0, 'load_start', 'A', '', ''], [0, 'admitted', 'A', '1', 'fast_path'], [10, 'unload', 'A', '', 'expired'],
    ]);
  });
});
