/**
 * Ollama's own scheduler tests as ours: every test function of server/sched_test.go
 * at the spec's commit (fb30760) whose behaviour a user can observe, replayed as a
 * timeline through the CLI's loader and runner, named after it and citing the
 * server/sched.go lines it rests on. The functions with no observable counterpart
 * are listed, each with the reason, in the README ("How we keep it honest").
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { before, only } from '../helpers/record.js';
import { DEFAULTS, run1, runYaml } from '../helpers/run-yaml.js';

const H24 = `host: { gpus: [ { vram: 24GiB } ], unload: 1s }\n`;

describe('load (sched.go:496-755)', () => {
  test('TestSchedLoad: a load that fails gets 500 and leaves nothing loaded; a load that succeeds admits its request (refCount 1) (sched.go:627-673, 731-751)', async () => {
    const r = await run1(`${H24}
models: { A: { vram: 4GiB, load: 5s } }
faults: [ { kind: load_crash, model: A, from: 0, until: 10, after: 2s } ]
workload:
  requests:
    - { at: 0, model: A, duration: 1 }
    - { at: 20, model: A, duration: 1 }
`);
    expect(only(r.events, 'load_start', 'load_end', 'load_fail', 'fail', 'admitted')).toEqual([
      [0, 'load_start', 'A', '1', ''], [2, 'load_fail', 'A', '1', 'load_failed'], [2, 'fail', 'A', '1', 'load_failed'],
      [20, 'load_start', 'A', '2', ''], [25, 'load_end', 'A', '2', ''], [25, 'admitted', 'A', '2', 'loaded'],
    ]);
    expect(r.requests.get('1')).toMatchObject({ status: 'failed', http: 500, end: 2 });
  });

  test('TestSchedLoadStoresEffectiveContextLength: the runner keeps the context llama-server runs (clamped to training); explicit requests matching it do not reload (sched.go:690-695, 1398-1401)', async () => {
    const r = await run1(`${DEFAULTS}
models: { A: { vram: 4GiB, load: 1s, n_ctx_train: 8192 } }
workload:
  requests:
    - { at: 0, model: A, duration: 1 }
    - { at: 10, model: A, duration: 1, num_ctx: 8192 }
    - { at: 20, model: A, duration: 1, num_ctx: 16384 }
    - { at: 30, model: A, duration: 1, num_ctx: 4096 }
`);
    expect(only(r.events, 'load_start', 'mark')).toEqual([
      [0, 'load_start', 'A', '1', ''], [30, 'mark', 'A', '', 'reload'], [31, 'load_start', 'A', '4', ''],
    ]);
  });

  test('TestSchedLoadStoresEffectiveExplicitContextLength: an explicit 200000 runs at the trained 131072, and 131072 then reuses it (sched.go:690-695, 161-167)', async () => {
    const r = await run1(`${DEFAULTS}
models: { A: { vram: 4GiB, load: 1s, n_ctx_train: 131072 } }
workload:
  requests:
    - { at: 0, model: A, duration: 1, num_ctx: 200000 }
    - { at: 10, model: A, duration: 1, num_ctx: 131072 }
`);
    expect(only(r.events, 'load_start', 'mark')).toEqual([[0, 'load_start', 'A', '1', '']]);
    expect(r.requests.get('2')).toMatchObject({ admitted: 10, cold: false });
  });

  test('TestSchedVisionContextFloor: a vision model runs at least 2048 of context, so 1024 and 2048 share a runner; a text model reloads (sched.go:174-177)', async () => {
    const yaml = (vision: string) => `${DEFAULTS}
models: { V: { vram: 4GiB, load: 1s${vision} } }
workload:
  requests:
    - { at: 0, model: V, duration: 1, num_ctx: 1024 }
    - { at: 10, model: V, duration: 1, num_ctx: 2048 }
`;
    expect(only((await run1(yaml(', vision: true'))).events, 'load_start', 'mark')).toEqual([[0, 'load_start', 'V', '1', '']]);
    expect(only((await run1(yaml(''))).events, 'load_start', 'mark')).toEqual([
      [0, 'load_start', 'V', '1', ''], [10, 'mark', 'V', '', 'reload'], [11, 'load_start', 'V', '2', ''],
    ]);
  });
});

describe('requests, reloads and the queue (sched.go:169-365)', () => {
  test('TestSchedRequestsSameModelSameRequest: only keep_alive differs — the same runner, no reload (sched.go:1381-1431)', async () => {
    const r = await run1(`${DEFAULTS}
models: { A: { vram: 10GiB, load: 5s } }
workload:
  requests:
    - { at: 0, model: A, duration: 1, keep_alive: 5m }
    - { at: 10, model: A, duration: 1, keep_alive: 0 }
`);
    expect(only(r.events, 'load_start', 'mark', 'unload')).toEqual([[0, 'load_start', 'A', '1', ''], [11, 'unload', 'A', '', 'expired']]);
  });

  test('TestSchedRequestsSimpleReloadSameModel: a load-time option change reloads after the in-flight request (sched.go:255-258, 337-358)', async () => {
    const r = await run1(`${DEFAULTS}
models: { A: { vram: 10GiB, load: 5s, num_ctx: 8192 } }
workload:
  requests:
    - { at: 0, model: A, duration: 60 }
    - { at: 10, model: A, duration: 5, num_ctx: 16384 }
`);
    expect(before(only(r.events, 'load_start', 'mark', 'unload', 'unloaded'), 100)).toEqual([
      [0, 'load_start', 'A', '1', ''], [10, 'mark', 'A', '', 'reload'], [65, 'unload', 'A', '', 'reload'],
      [66, 'unloaded', 'A', '', ''], [66, 'load_start', 'A', '2', ''],
    ]);
  });

  test('TestSchedRequestsMultipleLoadedModels: fits alongside; CPU-only unchecked; at the cap a new model loads after an eviction (sched.go:265-329)', async () => {
    const r = await run1(`${DEFAULTS}
server: { OLLAMA_MAX_LOADED_MODELS: 3 }
models:
  A: { vram: 20GiB, load: 1s }
  B: { vram: 30GiB, load: 1s }
  C: { vram: 100GiB, load: 1s, num_gpu: 0 }
  D: { vram: 10GiB, load: 1s }
workload:
  requests:
    - { at: 0, model: A, duration: 1 }
    - { at: 10, model: B, duration: 1 }
    - { at: 20, model: C, duration: 1 }
    - { at: 30, model: D, duration: 1 }
`);
    expect(before(only(r.events, 'load_start', 'mark', 'unloaded'), 100)).toEqual([
      [0, 'load_start', 'A', '1', ''], [10, 'load_start', 'B', '2', ''], [20, 'load_start', 'C', '3', ''],
      [30, 'mark', 'A', '', 'evicted'], [31, 'unloaded', 'A', '', ''], [31, 'load_start', 'D', '4', ''],
    ]);
  });

  test('TestSchedGetRunner: with OLLAMA_MAX_QUEUE 1 the request after the queued one gets 503 "server busy" (sched.go:204-208)', async () => {
    const r = await run1(`${DEFAULTS}
server: { OLLAMA_MAX_QUEUE: 1 }
models: { A: { vram: 10GiB, load: 30s } }
workload:
  requests:
    - { at: 0, model: A, duration: 1 }
    - { at: 1, model: A, duration: 1 }
    - { at: 2, model: A, duration: 1 }
`);
    expect(only(r.events, 'queued', 'rejected')).toEqual([[1, 'queued', 'A', '2', ''], [2, 'rejected', 'A', '3', 'queue_full']]);
    expect(r.requests.get('3')).toMatchObject({ status: 'rejected', http: 503, end: 2 });
  });

  test('TestSchedGetRunnerUsesDigestKeyWhenModelPathEmpty: distinct models have distinct keys, so each gets its own runner (sched.go:107-127)', async () => {
    const r = await run1(`${DEFAULTS}
models: { A: { vram: 10GiB, load: 1s, key: sha-a }, B: { vram: 10GiB, load: 1s, key: sha-b } }
workload:
  requests:
    - { at: 0, model: A, duration: 1 }
    - { at: 10, model: B, duration: 1 }
`);
    expect(only(r.events, 'load_start', 'mark')).toEqual([[0, 'load_start', 'A', '1', ''], [10, 'load_start', 'B', '2', '']]);
  });

  test('TestSchedGetRunnerReusesSameDigestWhenModelPathEmpty: two names over one key share the runner on the fast path (sched.go:197-202)', async () => {
    const r = await run1(`${DEFAULTS}
models: { A: { vram: 10GiB, load: 1s, key: sha-a }, A2: { vram: 10GiB, load: 1s, key: sha-a } }
workload:
  requests:
    - { at: 0, model: A, duration: 1 }
    - { at: 10, model: A2, duration: 1 }
`);
    expect(only(r.events, 'load_start', 'admitted')).toEqual([
      [0, 'load_start', 'A', '1', ''], [1, 'admitted', 'A', '1', 'loaded'], [10, 'admitted', 'A2', '2', 'fast_path'],
    ]);
  });

  test('TestSchedAlreadyCanceled: a request whose client left while it was queued is dropped with no load (sched.go:237-240)', async () => {
    const r = await run1(`${DEFAULTS}
models: { B: { vram: 10GiB, load: 30s }, C: { vram: 10GiB, load: 1s } }
workload:
  requests:
    - { at: 0, model: B, duration: 1 }
    - { at: 1, model: C, duration: 1, timeout: 5 }
`);
    expect(only(r.events, 'load_start', 'cancel', 'drop')).toEqual([
      [0, 'load_start', 'B', '1', ''], [6, 'cancel', 'C', '2', 'client_timeout'], [30, 'drop', 'C', '2', 'client_timeout'],
    ]);
  });
});

describe('expiry and unload (sched.go:367-492, 1713-1731)', () => {
  test('TestSchedExpireRunner: an unload asked while the runner is busy happens when its request ends (sched.go:1713-1731, 414-427)', async () => {
    const r = await run1(`${DEFAULTS}
models: { A: { vram: 10GiB, load: 1s } }
warm: [ A ]
workload:
  requests:
    - { at: 0, model: A, duration: 60 }
    - { at: 30, model: A, op: unload }
`);
    expect(only(r.events, 'mark', 'unload')).toEqual([[30, 'mark', 'A', '', 'unload_request'], [60, 'unload', 'A', '', 'unload_request']]);
  });

  test('TestSchedUseLoadedRunner: admission adds to refCount and the request\'s keep_alive overwrites the runner\'s (sched.go:475-492)', async () => {
    const r = await run1(`${DEFAULTS}
models: { A: { vram: 10GiB, load: 1s } }
warm: [ A ]
workload:
  requests:
    - { at: 0, model: A, duration: 60, keep_alive: 1h }
    - { at: 10, model: A, duration: 5, keep_alive: 0 }
`);
    expect(only(r.events, 'admitted', 'unload')).toEqual([
      [0, 'admitted', 'A', '1', 'fast_path'], [10, 'admitted', 'A', '2', 'fast_path'], [65, 'unload', 'A', '', 'expired'],
    ]);
  });

  test('TestSchedRuntimeOOMExpiresLoadedRunners: an inference OOM marks every runner (sched.go:1632-1661)', async () => {
    const r = await run1(`${DEFAULTS}
models: { A: { vram: 10GiB, load: 1s }, C: { vram: 10GiB, load: 1s } }
warm: [ { model: A, keep_alive: 1h }, { model: C, keep_alive: 1h } ]
faults: [ { kind: runtime_oom, at: 50, model: A } ]
workload: { requests: [ { at: 0, model: A, duration: 100 } ] }
`);
    expect(only(r.events, 'mark', 'unload', 'fail')).toEqual([
      [50, 'fail', 'A', '1', 'runtime_oom'], [50, 'mark', 'A', '', 'runtime_oom'], [50, 'unload', 'A', '', 'runtime_oom'],
      [50, 'mark', 'C', '', 'runtime_oom'], [50, 'unload', 'C', '', 'runtime_oom'],
    ]);
  });
});

describe('free memory and eviction (sched.go:547-561, 1295-1335, 1663-1693)', () => {
  const fourAndEight = (extra: string, c: string) => `${H24}${extra}
models: { A: { vram: 8GiB, load: 1s }, B: { vram: 4GiB, load: 1s }, C: { vram: ${c}, load: 1s } }
warm: [ A, B ]
workload: { requests: [ { at: 0, model: C, duration: 1 } ] }
`;

  test('TestSchedulerTracksMultipleLoadedRunners: free = 24 − 8 − 4 = 12 GiB, so 9.6 GiB fits at 80 % and 9.7 GiB evicts (sched.go:1295-1335)', async () => {
    expect(only((await run1(fourAndEight('', '9.6GiB'))).events, 'mark')).toEqual([]);
    expect(only((await run1(fourAndEight('', '9.7GiB'))).events, 'mark')).toEqual([[0, 'mark', 'A', '', 'evicted']]);
  });

  test('TestSchedUpdateFreeSpace: free is the smaller of reported free and total − loaded — 2 GiB held by a desktop leaves 10 GiB, and 9.6 GiB now evicts (sched.go:1326-1331)', async () => {
    const desktop = fourAndEight('', '9.6GiB').replace('vram: 24GiB }', 'vram: 24GiB, reserved: 2GiB }');
    expect(only((await run1(desktop)).events, 'mark')).toEqual([[0, 'mark', 'A', '', 'evicted']]);
    const small = fourAndEight('', '8GiB').replace('vram: 24GiB }', 'vram: 24GiB, reserved: 2GiB }');
    expect(only((await run1(small)).events, 'mark')).toEqual([]);
  });

  test('TestSchedLlamaServerEvictsWhenVRAMInsufficient: with almost nothing free the pre-flight evicts before spawning (sched.go:547-561)', async () => {
    const r = await run1(`host: { gpus: [ { vram: 24GiB, reserved: 22GiB } ], unload: 1s }
models: { E: { vram: 1GiB, load: 1s }, B: { vram: 2GiB, load: 1s } }
warm: [ E ]
workload: { requests: [ { at: 0, model: B, duration: 1 } ] }
`);
    expect(only(r.events, 'mark', 'load_start')).toEqual([
      [0, 'load_start', 'E', '', ''], [0, 'mark', 'E', '', 'evicted'], [1, 'load_start', 'B', '1', ''],
    ]);
  });

  test('TestSchedLlamaServerExplicitPartialNumGPUSkipsFullFitEviction: num_gpu 1 skips the pre-flight — no eviction (sched.go:547, 785-791)', async () => {
    const r = await run1(`host: { gpus: [ { vram: 24GiB, reserved: 22GiB } ], unload: 1s }
models: { E: { vram: 1GiB, load: 1s }, B: { vram: 2GiB, load: 1s, num_gpu: 1, layers: 32 } }
warm: [ E ]
workload: { requests: [ { at: 0, model: B, duration: 1 } ] }
`);
    expect(only(r.events, 'mark', 'load_start', 'load_end', 'load_fail')).toEqual([
      [0, 'load_start', 'E', '', ''], [0, 'load_end', 'E', '', ''], [0, 'load_start', 'B', '1', ''], [1, 'load_end', 'B', '1', ''],
    ]);
  });

  test('explicitPartialGPUOffload is 0 < num_gpu < layers + 1: num_gpu equal to the layer count still skips the pre-flight; above it the automatic rules evict (sched.go:785-791)', async () => {
    const yaml = (numGpu: number) => `${H24}
models: { A: { vram: 12GiB, load: 1s }, B: { vram: 10GiB, load: 1s, num_gpu: ${numGpu}, layers: 32 } }
warm: [ A ]
workload: { requests: [ { at: 0, model: B, duration: 1 } ] }
`;
    expect(only((await run1(yaml(32))).events, 'mark', 'load_fail')).toEqual([]);
    expect(only((await run1(yaml(33))).events, 'mark')).toEqual([[0, 'mark', 'A', '', 'evicted']]);
  });

  test('TestSchedLlamaServerFitsAlongside: predicted within 80 % of free loads beside the others (sched.go:562-569)', async () => {
    const r = await run1(`${DEFAULTS}
models: { A: { vram: 20GiB, load: 1s }, B: { vram: 30GiB, load: 1s } }
warm: [ A ]
workload: { requests: [ { at: 0, model: B, duration: 1 } ] }
`);
    expect(only(r.events, 'mark', 'load_start')).toEqual([[0, 'load_start', 'A', '', ''], [0, 'load_start', 'B', '1', '']]);
  });

  test('TestSchedLlamaServerPredictionUsesTotalParallelContext: P counts num_ctx × NUM_PARALLEL, so 2 slots evict where 1 fits (sched.go:535-536, 793-795)', async () => {
    const all = await runYaml(`${H24}
models: { A: { vram: 9GiB, load: 1s }, llama3.1:8b: { num_ctx: 32768 } }
warm: [ A ]
workload: { requests: [ { at: 0, model: llama3.1:8b, duration: 1 } ] }
candidates:
  - { name: one slot, server: { OLLAMA_NUM_PARALLEL: 1 } }
  - { name: two slots, server: { OLLAMA_NUM_PARALLEL: 2 } }
`);
    expect(only(all.get('one slot')!.events, 'mark')).toEqual([]);
    expect(only(all.get('two slots')!.events, 'mark')).toEqual([[0, 'mark', 'A', '', 'evicted']]);
  });

  test('TestAutomaticGenerationBatch: OLLAMA_FLASH_ATTENTION=false on CUDA takes the 512 branch — no 768 MiB surcharge, so a 12 GiB model then fits beside the 8B (sched.go:822-857)', async () => {
    const all = await runYaml(`${H24}
models: { llama3.1:8b: {}, B: { vram: 12GiB, load: 1s } }
workload:
  requests:
    - { at: 0, model: llama3.1:8b, duration: 1 }
    - { at: 100, model: B, duration: 1 }
candidates:
  - { name: auto }
  - { name: no flash attention, server: { OLLAMA_FLASH_ATTENTION: false } }
`);
    expect(only(all.get('auto')!.events, 'mark')).toEqual([[100, 'mark', 'llama3.1:8b', '', 'evicted']]);
    expect(only(all.get('no flash attention')!.events, 'mark')).toEqual([]);
    // Both models resident at once: 8.56 GiB for the 8B (P without surcharge) + 12 GiB.
    expect(all.get('no flash attention')!.result.summary.vram_peak_gib).toBeCloseTo(20.56, 2);
  });

  test('TestAvailableMemoryForLoadUsesWorstSharedMemoryMeasurement: on unified memory free system RAM caps the GPU, and the clamp alone evicts (sched.go:928-950, 1119-1125)', async () => {
    const yaml = (host: string) => `
host: ${host}
models: { A: { vram: 20GiB, load: 1s }, B: { vram: 17GiB, load: 1s } }
warm: [ A ]
workload: { requests: [ { at: 0, model: B, duration: 1 } ] }
`;
    expect(only((await run1(yaml('{ gpus: [ { vram: 96GiB } ], ram: 40GiB, unified: true }'))).events, 'mark')).toEqual([[0, 'mark', 'A', '', 'evicted']]);
    expect(only((await run1(yaml('{ gpus: [ { vram: 96GiB } ], ram: 40GiB }'))).events, 'mark')).toEqual([]);
  });

  test('TestSelectLlamaServerPlacement: the single GPU with the most free memory — A on GPU0, B on GPU1, both stay (sched.go:972-1031, 1060-1076)', async () => {
    const r = await run1(`host: { gpus: [ { vram: 80GiB }, { vram: 80GiB } ], unload: 1s }
models: { A: { vram: 50GiB, load: 1s }, B: { vram: 50GiB, load: 1s } }
workload:
  requests:
    - { at: 0, model: A, duration: 1 }
    - { at: 10, model: B, duration: 1 }
`);
    expect(only(r.events, 'mark')).toEqual([]);
    expect(r.result.summary.vram_peak_gib).toBe(100);
  });

  test('TestSchedFindRunnerToUnload: idle runners go first, then the shortest keep_alive (sched.go:1663-1693)', async () => {
    const r = await run1(`${DEFAULTS}
server: { OLLAMA_MAX_LOADED_MODELS: 2 }
models: { A: { vram: 1GiB, load: 1s }, B: { vram: 1GiB, load: 1s }, C: { vram: 1GiB, load: 1s } }
warm: [ { model: B, keep_alive: 1h } ]
workload:
  requests:
    - { at: 0, model: A, duration: 100, keep_alive: 1m }
    - { at: 10, model: C, duration: 1 }
`);
    expect(before(only(r.events, 'mark'), 100)).toEqual([[10, 'mark', 'B', '', 'evicted']]);
  });

  test('TestRunnerCanBeEvicted: a single idle runner is the victim (sched.go:1680-1689)', async () => {
    const r = await run1(`${H24}
models: { A: { vram: 21GiB, load: 1s }, B: { vram: 10GiB, load: 1s } }
warm: [ A ]
workload: { requests: [ { at: 0, model: B, duration: 1 } ] }
`);
    expect(before(only(r.events, 'mark', 'unload'), 100)).toEqual([[0, 'mark', 'A', '', 'evicted'], [0, 'unload', 'A', '', 'evicted']]);
  });

  test('TestSchedLlamaServerEvictsExistingOnPending: a loaded llama-server runner is evicted for a pending model that does not fit (sched.go:328, 337-358)', async () => {
    const r = await run1(`${H24}
models: { A: { vram: 12GiB, load: 1s }, B: { vram: 12GiB, load: 1s } }
workload:
  requests:
    - { at: 0, model: A, duration: 10 }
    - { at: 5, model: B, duration: 1 }
`);
    expect(before(only(r.events, 'mark', 'unload', 'load_start'), 100)).toEqual([
      [0, 'load_start', 'A', '1', ''], [5, 'mark', 'A', '', 'evicted'], [11, 'unload', 'A', '', 'evicted'], [12, 'load_start', 'B', '2', ''],
    ]);
  });
});

describe('reload rules (sched.go:1381-1431)', () => {
  test('TestSchedNeedsReload: num_gpu -1 matches any runner; another explicit num_gpu reloads (sched.go:1408-1411, 1425)', async () => {
    const r = await run1(`${DEFAULTS}
models:
  A20: { tag: llama3.1:8b, key: blob, num_gpu: 20, num_ctx: 4096 }
  Aauto: { tag: llama3.1:8b, key: blob, num_ctx: 4096 }
  A99: { tag: llama3.1:8b, key: blob, num_gpu: 99, num_ctx: 4096 }
workload:
  requests:
    - { at: 0, model: A20, duration: 1 }
    - { at: 30, model: Aauto, duration: 1 }
    - { at: 60, model: A99, duration: 1 }
`);
    expect(only(r.events, 'load_start', 'mark')).toEqual([
      [0, 'load_start', 'A20', '1', ''], [60, 'mark', 'A20', '', 'reload'], [61, 'load_start', 'A99', '3', ''],
    ]);
  });

  test('TestSchedNeedsReloadIgnoresAutomaticNumCtxClamp: two automatic requests never reload, whatever the clamp (sched.go:1399-1401)', async () => {
    const r = await run1(`${DEFAULTS}
models: { A: { vram: 4GiB, load: 1s, n_ctx_train: 8192 } }
workload:
  requests:
    - { at: 0, model: A, duration: 1 }
    - { at: 10, model: A, duration: 1 }
`);
    expect(only(r.events, 'load_start', 'mark')).toEqual([[0, 'load_start', 'A', '1', '']]);
  });

  test('TestSchedNeedsReloadUsesEffectiveExplicitContext: explicit contexts compare after the clamp — 200000 matches a 131072 runner (sched.go:1398)', async () => {
    const r = await run1(`${DEFAULTS}
models: { A: { vram: 4GiB, load: 1s, n_ctx_train: 131072 } }
workload:
  requests:
    - { at: 0, model: A, duration: 1, num_ctx: 131072 }
    - { at: 10, model: A, duration: 1, num_ctx: 200000 }
    - { at: 20, model: A, duration: 1, num_ctx: 65536 }
`);
    expect(only(r.events, 'load_start', 'mark')).toEqual([
      [0, 'load_start', 'A', '1', ''], [20, 'mark', 'A', '', 'reload'], [21, 'load_start', 'A', '3', ''],
    ]);
  });
});

/**
 * The load-OOM retry (sched.go:640-672, 296-326, 757-783, 917-926, 1586-1630):
 * the model's actual footprint exceeds what is free on its GPU although its
 * estimate passed the pre-flight, so llama-server fails at the end of its load.
 */
describe('load OOM and its one retry (spec §5.6)', () => {
  test('TestSchedLoadCrashTriggersEvictAllAndRetry: the first OOM evicts every other model and retries; a second OOM is a 500 (sched.go:665-669, 316-326, 1590-1630)', async () => {
    const r = await run1(`${H24}
models:
  E: { vram: 10GiB, load: 1s }
  X: { vram: 30GiB, p: 4GiB, load: 5s, num_ctx: 8192 }
warm: [ E ]
workload: { requests: [ { at: 0, model: X, duration: 1 } ] }
`);
    expect(only(r.events, 'load_start', 'load_fail', 'mark', 'unload', 'unloaded', 'fail')).toEqual([
      [0, 'load_start', 'E', '', ''],
      [0, 'load_start', 'X', '1', ''], [5, 'load_fail', 'X', '1', 'oom'],
      [5, 'mark', 'E', '', 'evict_all'], [5, 'unload', 'E', '', 'evict_all'], [6, 'unloaded', 'E', '', ''],
      [6, 'load_start', 'X', '1', ''], [11, 'load_fail', 'X', '1', 'oom'], [11, 'fail', 'X', '1', 'oom'],
    ]);
    expect(r.result.summary).toMatchObject({ failed_500: 1, failed_load: 1, failed_load_oom: 1, load_ooms: 2, evictions: 1 });
  });

  test('…and when the actual footprint fits on the emptied GPU the retry succeeds', async () => {
    const r = await run1(`${H24}
models:
  E: { vram: 10GiB, load: 1s }
  X: { vram: 20GiB, p: 4GiB, load: 5s, num_ctx: 8192 }
warm: [ E ]
workload: { requests: [ { at: 0, model: X, duration: 1 } ] }
`);
    expect(only(r.events, 'load_start', 'load_end', 'load_fail', 'mark')).toEqual([
      [0, 'load_start', 'E', '', ''], [0, 'load_end', 'E', '', ''],
      [0, 'load_start', 'X', '1', ''], [5, 'load_fail', 'X', '1', 'oom'], [5, 'mark', 'E', '', 'evict_all'],
      [6, 'load_start', 'X', '1', ''], [11, 'load_end', 'X', '1', ''],
    ]);
    expect(r.requests.get('1')).toMatchObject({ status: 'ok', start: 11, end: 12, cold: true });
  });

  test('TestSchedLoadOOMReducesAutomaticContextBeforeRetry: an automatic 131072 is cut to 32768 for the retry, after evicting the others; the runner keeps it (sched.go:649-662, 757-783)', async () => {
    const r = await run1(`${DEFAULTS}
models:
  E: { vram: 50GiB, load: 1s }
  llama3.1:8b: { p: auto, vram: 40GiB }
warm: [ E ]
workload:
  requests:
    - { at: 0, model: llama3.1:8b, duration: 1 }
    - { at: 100, model: llama3.1:8b, duration: 1 }
`);
    const loads = only(r.events, 'load_start', 'load_end', 'load_fail', 'mark');
    expect(loads.map(([t, e, m, id, why]) => [e, m, id, why])).toEqual([
      ['load_start', 'E', '', ''], ['load_end', 'E', '', ''],
      ['load_start', 'llama3.1:8b', '1', ''], ['load_fail', 'llama3.1:8b', '1', 'oom'], ['mark', 'E', '', 'evict_all'],
      ['load_start', 'llama3.1:8b', '1', 'context_reduced'], ['load_end', 'llama3.1:8b', '1', ''],
    ]);
    // The later automatic request uses the reduced runner as it is: fast path, no reload.
    expect(r.requests.get('2')).toMatchObject({ admitted: 100, cold: false });
  });

  test('TestSchedLoadOOMKeepsExplicitContextBeforeRetry: an explicit context is kept, but the eviction and the retry still happen (sched.go:665-669)', async () => {
    const r = await run1(`${DEFAULTS}
models:
  E: { vram: 50GiB, load: 1s }
  llama3.1:8b: { p: auto, vram: 40GiB, num_ctx: 131072 }
warm: [ E ]
workload: { requests: [ { at: 0, model: llama3.1:8b, duration: 1 } ] }
`);
    expect(only(r.events, 'load_start', 'load_fail', 'mark').map(([, e, m, id, why]) => [e, m, id, why])).toEqual([
      ['load_start', 'E', '', ''],
      ['load_start', 'llama3.1:8b', '1', ''], ['load_fail', 'llama3.1:8b', '1', 'oom'], ['mark', 'E', '', 'evict_all'],
      ['load_start', 'llama3.1:8b', '1', ''],
    ]);
    expect(r.requests.get('1')!.status).toBe('ok');
  });

  test('TestSchedFirstLoadOOMReducesAutomaticContextAndRetries: alone, an automatic context is cut and the load retried at once — and succeeds at the smaller size (sched.go:297-305, 649-662)', async () => {
    const r = await run1(`${DEFAULTS}
models: { llama3.1:8b: { p: auto, vram: 82GiB } }
workload:
  requests:
    - { at: 0, model: llama3.1:8b, duration: 1 }
`);
    const ev = only(r.events, 'load_start', 'load_end', 'load_fail', 'mark');
    expect(ev.map(([, e, m, id, why]) => [e, m, id, why])).toEqual([
      ['load_start', 'llama3.1:8b', '1', ''], ['load_fail', 'llama3.1:8b', '1', 'oom'],
      ['load_start', 'llama3.1:8b', '1', 'context_reduced'], ['load_end', 'llama3.1:8b', '1', ''],
    ]);
    expect(ev[1]![0]).toBe(ev[2]![0]); // no eviction, no wait: straight back to the load
    expect(r.requests.get('1')!.status).toBe('ok');
  });

  test('TestSchedLoadCrashNoOtherModelsFailsFast: alone with an explicit context there is no retry: 500 at once (sched.go:649-671)', async () => {
    const r = await run1(`${H24}
models: { X: { vram: 30GiB, p: 4GiB, load: 5s, num_ctx: 8192 } }
workload: { requests: [ { at: 0, model: X, duration: 1 } ] }
`);
    expect(only(r.events, 'load_start', 'load_fail', 'fail')).toEqual([
      [0, 'load_start', 'X', '1', ''], [5, 'load_fail', 'X', '1', 'oom'], [5, 'fail', 'X', '1', 'oom'],
    ]);
  });

  test('TestSchedLoadNonOOMWithOtherModelsFailsFast: a crash that is not an OOM fails at once, with no eviction (sched.go:649, 665, 671)', async () => {
    const r = await run1(`${H24}
models: { E: { vram: 10GiB, load: 1s }, X: { vram: 4GiB, load: 5s } }
warm: [ E ]
faults: [ { kind: load_crash, model: X, after: 2s } ]
workload: { requests: [ { at: 0, model: X, duration: 1 } ] }
`);
    expect(only(r.events, 'load_start', 'load_fail', 'fail', 'mark')).toEqual([
      [0, 'load_start', 'E', '', ''], [0, 'load_start', 'X', '1', ''], [2, 'load_fail', 'X', '1', 'load_failed'], [2, 'fail', 'X', '1', 'load_failed'],
    ]);
  });
});

/** Every test function of server/sched_test.go at fb30760 (git show fb30760:server/sched_test.go | grep '^func Test'). */
const SCHED_TEST_GO = [
  'TestAutomaticGenerationBatch', 'TestAvailableMemoryForLoadUsesWorstSharedMemoryMeasurement',
  'TestDisableMmapDefaultReason', 'TestDisableMmapForHostPressure', 'TestMain', 'TestResolveContextShift',
  'TestRunnerCanBeEvicted', 'TestSchedAlreadyCanceled', 'TestSchedExpireRunner', 'TestSchedFindRunnerToUnload',
  'TestSchedFirstLoadOOMReducesAutomaticContextAndRetries', 'TestSchedGetRunner',
  'TestSchedGetRunnerReusesSameDigestWhenModelPathEmpty', 'TestSchedGetRunnerUsesDigestKeyWhenModelPathEmpty',
  'TestSchedInit', 'TestSchedLlamaServerEvictsExistingOnPending',
  'TestSchedLlamaServerEvictsWhenVRAMInsufficient',
  'TestSchedLlamaServerExplicitPartialNumGPUSkipsFullFitEviction', 'TestSchedLlamaServerFitsAlongside',
  'TestSchedLlamaServerPredictionUsesTotalParallelContext', 'TestSchedLoad',
  'TestSchedLoadCrashNoOtherModelsFailsFast', 'TestSchedLoadCrashTriggersEvictAllAndRetry',
  'TestSchedLoadNonOOMWithOtherModelsFailsFast', 'TestSchedLoadOOMKeepsExplicitContextBeforeRetry',
  'TestSchedLoadOOMReducesAutomaticContextBeforeRetry', 'TestSchedLoadStoresEffectiveContextLength',
  'TestSchedLoadStoresEffectiveExplicitContextLength', 'TestSchedNeedsReload',
  'TestSchedNeedsReloadIgnoresAutomaticNumBatchDerivation', 'TestSchedNeedsReloadIgnoresAutomaticNumCtxClamp',
  'TestSchedNeedsReloadIgnoresAutomaticUseMMapDefault',
  'TestSchedNeedsReloadUsesEffectiveAutomaticContextShift', 'TestSchedNeedsReloadUsesEffectiveExplicitContext',
  'TestSchedPrematureExpired', 'TestSchedRequestsMultipleLoadedModels',
  'TestSchedRequestsSameModelSameRequest', 'TestSchedRequestsSimpleReloadSameModel',
  'TestSchedRuntimeOOMExpiresLoadedRunners', 'TestSchedUnload', 'TestSchedUnloadAllRunners',
  'TestSchedUpdateFreeSpace', 'TestSchedUseLoadedRunner', 'TestSchedVisionContextFloor',
  'TestSchedulerTracksMultipleLoadedRunners', 'TestSelectLlamaServerPlacement',
];

test('every sched_test.go test function is a timeline above or a row of the README\'s "How we keep it honest" table', () => {
  const self = readFileSync(import.meta.filename, 'utf8');
  const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
  expect(SCHED_TEST_GO).toHaveLength(46);
  const missing = SCHED_TEST_GO.filter((name) => !self.includes(`test('${name}:`) && !readme.includes(`| \`${name}\` |`));
  expect(missing).toEqual([]);
  // …and not both: a function with a timeline needs no excuse.
  expect(SCHED_TEST_GO.filter((name) => self.includes(`test('${name}:`) && readme.includes(`| \`${name}\` |`))).toEqual([]);
});
