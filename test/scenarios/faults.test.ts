/**
 * Faults that happen in real deployments (issue "Trust"): a server restart,
 * a runtime OOM (spec §5.6, scenario 32), loads that crash for a period, and
 * clients that retry. Replayed through the CLI's loader and runner.
 */
import { describe, expect, test } from 'vitest';
import { before, only } from '../helpers/record.js';
import { DEFAULTS, run1 } from '../helpers/run-yaml.js';

const MODELS = `
models: { A: { vram: 10GiB, load: 5s }, B: { vram: 10GiB, load: 30s }, C: { vram: 10GiB, load: 5s } }
`;

describe('faults', () => {
  test('restart: running requests fail with 500 and runners are gone at once; the next request pays a cold start', async () => {
    const r = await run1(`${DEFAULTS}${MODELS}
warm: [ A ]
faults: [ { kind: restart, at: 50 } ]
workload:
  requests:
    - { at: 0, model: A, duration: 100 }
    - { at: 10, model: B, duration: 20 }
    - { at: 20, model: C, duration: 10 }
    - { at: 60, model: A, duration: 10 }
`);
    for (const id of ['1', '2', '3']) expect(r.requests.get(id)).toMatchObject({ end: 50, status: 'failed', http: 500 });
    expect(r.requests.get('4')).toMatchObject({ admitted: 65, start: 65, end: 75, status: 'ok', cold: true });
    expect(r.result.summary).toMatchObject({ failed_restart: 3, failed_500: 3, ok: 1 });
    expect(before(only(r.events, 'fault', 'unload', 'unloaded'), 60)).toEqual([
      [50, 'fault', 'A', '', 'restart'],
      [50, 'unload', 'A', '', 'restart'], [50, 'unloaded', 'A', '', 'restart'],
      [50, 'unload', 'B', '', 'restart'], [50, 'unloaded', 'B', '', 'restart'],
      [50, 'unload', 'C', '', 'restart'], [50, 'unloaded', 'C', '', 'restart'],
    ]);
  });

  test('scenario 32, runtime OOM: the request fails with 500 and every runner is marked — idle ones unload now, busy ones at completion', async () => {
    const r = await run1(`${DEFAULTS}${MODELS}
server: { OLLAMA_NUM_PARALLEL: 2 }
warm: [ A, C ]
faults: [ { kind: runtime_oom, at: 50, model: A } ]
workload:
  requests:
    - { at: 0, model: A, duration: 100 }
    - { at: 10, model: A, duration: 100 }
`);
    expect(r.requests.get('1')).toMatchObject({ end: 50, status: 'failed', http: 500 });
    expect(r.requests.get('2')).toMatchObject({ end: 110, status: 'ok' });
    expect(before(only(r.events, 'mark', 'unload'), 200)).toEqual([
      [50, 'mark', 'A', '', 'runtime_oom'], [50, 'mark', 'C', '', 'runtime_oom'], [50, 'unload', 'C', '', 'runtime_oom'],
      [110, 'unload', 'A', '', 'runtime_oom'],
    ]);
    expect(r.result.summary.failed_runtime_oom).toBe(1);
  });

  test('a period when loads crash: every load started in it fails after `after`; later ones succeed', async () => {
    const r = await run1(`${DEFAULTS}${MODELS}
faults: [ { kind: load_crash, model: A, from: 100, until: 200, after: 5s } ]
workload:
  requests:
    - { at: 110, model: A, duration: 1, keep_alive: 0 }
    - { at: 250, model: A, duration: 1 }
`);
    expect(r.requests.get('1')).toMatchObject({ end: 115, status: 'failed', http: 500 });
    expect(r.requests.get('2')).toMatchObject({ start: 255, status: 'ok' });
    expect(r.result.summary).toMatchObject({ failed_load: 1, load_failures: 1 });
  });

  test('client retries with exponential backoff recover a request; latency counts from the first send', async () => {
    const r = await run1(`${DEFAULTS}${MODELS}
retry: { attempts: 3, backoff: 10s }
faults: [ { kind: load_crash, model: A, from: 0, until: 30, after: 5s } ]
workload: { requests: [ { at: 0, model: A, duration: 1 } ] }
`);
    expect(only(r.events, 'retry', 'load_start', 'load_fail', 'load_end')).toEqual([
      [0, 'load_start', 'A', '1', ''], [5, 'load_fail', 'A', '1', 'load_failed'], [5, 'retry', 'A', '1', ''],
      [15, 'load_start', 'A', '1', ''], [20, 'load_fail', 'A', '1', 'load_failed'], [20, 'retry', 'A', '1', ''],
      [40, 'load_start', 'A', '1', ''], [45, 'load_end', 'A', '1', ''],
    ]);
    expect(r.requests.get('1')).toMatchObject({ arrival: 0, start: 45, end: 46, status: 'ok' });
    expect(r.result.summary).toMatchObject({ ok: 1, failed_500: 0, failed_load: 2, retries: 2, latency_p50_s: 46 });
  });

  test('without attempts left the failure stands', async () => {
    const r = await run1(`${DEFAULTS}${MODELS}
retry: { attempts: 2, backoff: 1s }
faults: [ { kind: load_crash, model: A, after: 5s } ]
workload: { requests: [ { at: 0, model: A, duration: 1 } ] }
`);
    expect(r.requests.get('1')).toMatchObject({ end: 11, status: 'failed', http: 500 });
    expect(r.result.summary).toMatchObject({ failed_500: 1, retries: 1 });
  });
});

test('restart while a load runs and requests are queued: the load is abandoned, the queue dropped', async () => {
  const r = await run1(`${DEFAULTS}${MODELS}
faults: [ { kind: restart, at: 20 } ]
workload:
  requests:
    - { at: 0, model: B, duration: 1 }
    - { at: 10, model: C, duration: 1 }
    - { at: 30, model: C, duration: 1 }
`);
  expect(r.requests.get('1')).toMatchObject({ end: 20, status: 'failed', http: 500 });
  expect(r.requests.get('2')).toMatchObject({ end: 20, status: 'failed', http: 500 });
  expect(r.requests.get('3')).toMatchObject({ start: 35, status: 'ok' });
  expect(only(r.events, 'load_start', 'load_end')).toEqual([
    [0, 'load_start', 'B', '1', ''], [30, 'load_start', 'C', '3', ''], [35, 'load_end', 'C', '3', ''],
  ]);
});
