/**
 * What Ollama does when memory runs short (spec §5.2c, §5.4–5.6): loads that
 * run out of memory and their one retry, memory other processes hold, loads
 * that hang. Replayed through the CLI's loader and runner; the sched.go lines
 * each rule mirrors are cited in its file (src/ollama/load-oom.ts,
 * evict-all-and-wait.ts, reserved-memory.ts, load-stall.ts).
 */
import { describe, expect, test } from 'vitest';
import { loadScenario } from '../../src/io/load-scenario.js';
import { schedulerConfig } from '../../src/sim/world.js';
import { simulate } from '../../src/sim/run.js';
import { EventKind, REASON_NAMES } from '../../src/events/index.js';
import { before, only } from '../helpers/record.js';
import { run1, runYaml } from '../helpers/run-yaml.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const H24 = `host: { gpus: [ { vram: 24GiB } ], unload: 1s }\n`;

describe('load OOM: evictAllAndWait (sched.go:316-326, 1586-1630)', () => {
  test('a busy runner is marked and the retry waits until its request ends; idle ones go at once; every unload is waited for', async () => {
    const r = await run1(`${H24}
models:
  E: { vram: 6GiB, load: 1s }
  F: { vram: 6GiB, load: 1s }
  X: { vram: 16GiB, p: 4GiB, load: 5s, num_ctx: 8192 }
warm: [ E, F ]
workload:
  requests:
    - { at: 0, model: E, duration: 60 }
    - { at: 1, model: X, duration: 1 }
`);
    expect(before(only(r.events, 'load_start', 'load_end', 'load_fail', 'mark', 'unload', 'unloaded'), 100).slice(4)).toEqual([
      [1, 'load_start', 'X', '2', ''], [6, 'load_fail', 'X', '2', 'oom'],
      [6, 'mark', 'E', '', 'evict_all'], [6, 'mark', 'F', '', 'evict_all'], [6, 'unload', 'F', '', 'evict_all'],
      [7, 'unloaded', 'F', '', ''],
      [60, 'unload', 'E', '', 'evict_all'], [61, 'unloaded', 'E', '', ''],
      [61, 'load_start', 'X', '2', ''], [66, 'load_end', 'X', '2', ''],
    ]);
    expect(r.requests.get('2')).toMatchObject({ status: 'ok', start: 66 });
    expect(r.result.summary).toMatchObject({ evictions: 2, load_ooms: 1, failed_500: 0 });
  });

  test('a marked runner still serves the fast path while the retry waits (spec §4.3.4)', async () => {
    const r = await run1(`${H24}
models:
  E: { vram: 10GiB, load: 1s }
  X: { vram: 20GiB, p: 4GiB, load: 5s, num_ctx: 8192 }
warm: [ E ]
workload:
  requests:
    - { at: 0, model: E, duration: 20 }
    - { at: 1, model: X, duration: 1 }
    - { at: 10, model: E, duration: 20 }
`);
    expect(r.requests.get('3')).toMatchObject({ admitted: 10, start: 20, end: 40, status: 'ok' });
    expect(before(only(r.events, 'unload', 'load_start'), 100).slice(1)).toEqual([
      [1, 'load_start', 'X', '2', ''], [40, 'unload', 'E', '', 'evict_all'], [41, 'load_start', 'X', '2', ''],
    ]);
  });

  test('a client that leaves during the evict-all wait still causes the evictions; its retry then aborts (spec §9.6)', async () => {
    const r = await run1(`${H24}
models:
  E: { vram: 10GiB, load: 1s }
  X: { vram: 20GiB, p: 4GiB, load: 5s, num_ctx: 8192 }
warm: [ E ]
workload:
  requests:
    - { at: 0, model: E, duration: 20 }
    - { at: 1, model: X, duration: 1, timeout: 10 }
`);
    expect(before(only(r.events, 'load_start', 'load_fail', 'unload', 'cancel'), 100).slice(1)).toEqual([
      [1, 'load_start', 'X', '2', ''], [6, 'load_fail', 'X', '2', 'oom'], [11, 'cancel', 'X', '2', 'client_timeout'],
      [20, 'unload', 'E', '', 'evict_all'], [21, 'load_start', 'X', '2', ''], [21, 'load_fail', 'X', '2', 'client_timeout'],
    ]);
    expect(r.requests.get('2')).toMatchObject({ status: 'cancelled', http: 499 });
  });

  test('an unloaded signal buffered while the failed load ran counts toward the wait (spec §9.1): X retries at once beside busy E, and fits', async () => {
    const r = await run1(`${H24}
models:
  E: { vram: 6GiB, load: 1s }
  G: { vram: 6GiB, load: 1s }
  X: { vram: 16GiB, p: 4GiB, load: 5s, num_ctx: 8192 }
warm: [ E, { model: G, keep_alive: 2s } ]
workload:
  requests:
    - { at: 0, model: E, duration: 60 }
    - { at: 1, model: X, duration: 1 }
`);
    expect(before(only(r.events, 'load_start', 'load_end', 'load_fail', 'mark', 'unload', 'unloaded'), 100).slice(4)).toEqual([
      [1, 'load_start', 'X', '2', ''], [2, 'unload', 'G', '', 'expired'], [3, 'unloaded', 'G', '', ''],
      [6, 'load_fail', 'X', '2', 'oom'], [6, 'mark', 'E', '', 'evict_all'],
      [6, 'load_start', 'X', '2', ''], [11, 'load_end', 'X', '2', ''], [60, 'unload', 'E', '', 'evict_all'], [61, 'unloaded', 'E', '', ''],
    ]);
  });

  test('failures are not cached (spec §5.6): each queued request for the model makes its own attempt and has its own retry', async () => {
    const r = await run1(`${H24}
models: { X: { vram: 30GiB, p: 4GiB, load: 5s } }
workload:
  requests:
    - { at: 0, model: X, duration: 1 }
    - { at: 1, model: X, duration: 1 }
`);
    // Alone, an automatic 32768 is cut to 4096 and retried at once; a model given by size keeps its 30 GiB, so it fails again.
    expect(only(r.events, 'load_start', 'load_fail', 'fail')).toEqual([
      [0, 'load_start', 'X', '1', ''], [5, 'load_fail', 'X', '1', 'oom'],
      [5, 'load_start', 'X', '1', 'context_reduced'], [10, 'load_fail', 'X', '1', 'oom'], [10, 'fail', 'X', '1', 'oom'],
      [10, 'load_start', 'X', '2', ''], [15, 'load_fail', 'X', '2', 'oom'],
      [15, 'load_start', 'X', '2', 'context_reduced'], [20, 'load_fail', 'X', '2', 'oom'], [20, 'fail', 'X', '2', 'oom'],
    ]);
    expect(r.result.summary).toMatchObject({ load_ooms: 4, failed_load_oom: 2, failed_500: 2 });
  });

  test('an explicit num_gpu that puts more on the GPU than is free runs out of memory (no pre-flight to stop it)', async () => {
    const r = await run1(`${H24}
models: { A: { vram: 20GiB, load: 1s }, B: { vram: 10GiB, load: 2s, num_gpu: 32, layers: 32, num_ctx: 8192 } }
warm: [ A ]
workload: { requests: [ { at: 0, model: B, duration: 1 } ] }
`);
    expect(only(r.events, 'load_start', 'load_fail', 'mark').slice(1)).toEqual([
      [0, 'load_start', 'B', '1', ''], [2, 'load_fail', 'B', '1', 'oom'], [2, 'mark', 'A', '', 'evict_all'], [3, 'load_start', 'B', '1', ''],
    ]);
  });

  test('without the retry (an Ollama before v0.30.0, SchedulerConfig.loadOomRetry false) the first OOM is a 500', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ollamasim-'));
    const file = join(dir, 's.yaml');
    writeFileSync(file, `${H24}
models: { E: { vram: 10GiB, load: 1s }, X: { vram: 20GiB, p: 4GiB, load: 5s } }
warm: [ E ]
workload: { requests: [ { at: 0, model: X, duration: 1 } ] }
`);
    const sc = await loadScenario(file);
    const c = sc.candidates[0]!;
    const events: string[] = [];
    simulate({
      trace: sc.trace, sched: { ...schedulerConfig(c), loadOomRetry: false }, clientKeepAlive: new Float64Array([NaN, NaN]),
      warm: c.warm, horizon: sc.horizon, requests: { done: () => {} },
      events: { event: (t, kind, _m, _r, reason) => { if (kind === EventKind.load_fail || kind === EventKind.fail || kind === EventKind.mark) events.push(`${t / 1e6} ${kind} ${REASON_NAMES[reason]}`); } },
    });
    expect(events).toEqual([`5 ${EventKind.load_fail} oom`, `5 ${EventKind.fail} oom`]);
  });
});

describe('memory other processes hold (reserved; sched.go:1295-1335)', () => {
  test('a `reserve` fault takes memory mid-run: the same load that fitted alongside now evicts; freeing it restores that', async () => {
    const r = await run1(`${H24}
models: { A: { vram: 10GiB, load: 1s }, B: { vram: 8GiB, load: 1s } }
faults: [ { kind: reserve, at: 50, gpu: 0, vram: 6GiB }, { kind: reserve, at: 150, vram: 0 } ]
workload:
  requests:
    - { at: 0, model: A, duration: 1, keep_alive: -1 }
    - { at: 10, model: B, duration: 1, keep_alive: 0 }
    - { at: 100, model: B, duration: 1, keep_alive: 0 }
    - { at: 200, model: B, duration: 1, keep_alive: 0 }
`);
    expect(only(r.events, 'mark', 'fault')).toEqual([
      [50, 'fault', 'A', '', 'reserved'], [100, 'mark', 'A', '', 'evicted'], [150, 'fault', 'A', '', 'reserved'],
    ]);
  });

  test('memory taken while a load runs makes that load run out of memory', async () => {
    const r = await run1(`${H24}
models: { A: { vram: 10GiB, load: 1s }, X: { vram: 12GiB, p: 8GiB, load: 10s, num_ctx: 8192 } }
warm: [ A ]
faults: [ { kind: reserve, at: 5, vram: 4GiB } ]
workload: { requests: [ { at: 0, model: X, duration: 1 } ] }
`);
    expect(only(r.events, 'load_fail', 'mark', 'load_end').slice(1)).toEqual([
      [10, 'load_fail', 'X', '1', 'oom'], [10, 'mark', 'A', '', 'evict_all'], [21, 'load_end', 'X', '1', ''],
    ]);
  });

  test('reserved memory makes the first model partly offloaded where it fitted before', async () => {
    const all = await runYaml(`host: { gpus: [ { vram: 24GiB } ] }
models: { A: { vram: 23GiB, load: 1s } }
workload: { requests: [ { at: 0, model: A, duration: 1 } ] }
candidates:
  - { name: alone }
  - { name: desktop, host: { reserved: 2GiB } }
`);
    expect(all.get('alone')!.result.summary.vram_peak_gib).toBe(23);
    expect(all.get('desktop')!.result.summary.vram_peak_gib).toBe(22);
  });

  test('reserved memory larger than the GPU, or a reserve fault on a GPU the host lacks, is an input error at its line', async () => {
    await expect(runYaml(`host: { gpus: [ { vram: 24GiB, reserved: 30GiB } ] }
models: { A: { vram: 2GiB, load: 1s } }
workload: { requests: [] }
`)).rejects.toThrow(/:1: host.gpus\[0\].reserved: 30GiB is more than the GPU's memory/);
    await expect(runYaml(`${H24}
models: { A: { vram: 2GiB, load: 1s } }
faults: [ { kind: reserve, at: 5, gpu: 1, vram: 1GiB } ]
workload: { requests: [] }
`)).rejects.toThrow(/:4: faults\[0\].gpu: GPU 1 does not exist \(the host has 1 GPU, numbered from 0\)/);
    await expect(runYaml(`${H24}
models: { A: { vram: 2GiB, load: 1s, num_gpu: 4 } }
workload: { requests: [] }
`)).rejects.toThrow(/models.A.num_gpu: num_gpu above 0 needs the model's layer count \(add layers: N/);
  });
});

describe('loads that hang: `load_stall` and OLLAMA_LOAD_TIMEOUT (llm/llama_server.go:1281-1337)', () => {
  const yaml = (timeout: string) => `${H24}
server: { OLLAMA_LOAD_TIMEOUT: ${timeout} }
models: { A: { vram: 4GiB, load: 5s }, B: { vram: 4GiB, load: 1s }, C: { vram: 4GiB, load: 1s } }
warm: [ B ]
faults: [ { kind: load_stall, model: A, from: 0, until: 100 } ]
workload:
  requests:
    - { at: 0, model: A, duration: 1 }
    - { at: 10, model: B, duration: 1 }
    - { at: 10, model: C, duration: 1 }
    - { at: 200, model: A, duration: 1 }
`;

  test('a stalled load fails with 500 after OLLAMA_LOAD_TIMEOUT; the slow path waits behind it, the fast path flows', async () => {
    const r = await run1(yaml('30s'));
    expect(only(r.events, 'load_start', 'load_end', 'load_fail', 'fail').slice(2)).toEqual([
      [0, 'load_start', 'A', '1', ''], [30, 'load_fail', 'A', '1', 'load_timeout'], [30, 'fail', 'A', '1', 'load_timeout'],
      [30, 'load_start', 'C', '3', ''], [31, 'load_end', 'C', '3', ''],
      [200, 'load_start', 'A', '4', ''], [205, 'load_end', 'A', '4', ''],
    ]);
    expect(r.requests.get('2')).toMatchObject({ admitted: 10, end: 11, status: 'ok' });
    expect(r.requests.get('1')).toMatchObject({ status: 'failed', http: 500, end: 30 });
    expect(r.result.summary).toMatchObject({ failed_load: 1, failed_load_timeout: 1 });
  });

  test('OLLAMA_LOAD_TIMEOUT ≤ 0 waits forever: the stalled load and every slow-path request behind it are stuck', async () => {
    const r = await run1(yaml('"0"'));
    expect(r.requests.get('1')!.status).toBe('stuck');
    expect(r.requests.get('3')!.status).toBe('stuck');
    expect(r.requests.get('4')!.status).toBe('stuck');
    expect(r.requests.get('2')!.status).toBe('ok');
  });
});

describe('NUM_PARALLEL forced to 1 (sched.go:505-510)', () => {
  test('a model of a single-slot family runs one request at a time whatever OLLAMA_NUM_PARALLEL says', async () => {
    const yaml = (family: string) => `${H24}
server: { OLLAMA_NUM_PARALLEL: 4 }
models: { A: { vram: 4GiB, load: 1s${family} } }
warm: [ A ]
workload:
  requests:
    - { at: 0, model: A, duration: 10 }
    - { at: 0, model: A, duration: 10 }
`;
    expect((await run1(yaml(', family: qwen3vl'))).requests.get('2')!.start).toBe(10);
    expect((await run1(yaml(', family: llama'))).requests.get('2')!.start).toBe(0);
  });
});
