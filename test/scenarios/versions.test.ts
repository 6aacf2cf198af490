/**
 * Ollama versions (spec §10, src/ollama/versions.ts): the spec scenarios whose
 * outcome differs by version, one expectation per version they differ on. Each
 * rule variant cites the Ollama lines of its version; where §10 and the source
 * disagree the source won (README "Ollama versions").
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadScenario } from '../../src/io/load-scenario.js';
import { explainScenario } from '../../src/sim/explain.js';
import { before, only } from '../helpers/record.js';
import { DEFAULTS, runYaml } from '../helpers/run-yaml.js';

/** One candidate per version, named by it. */
const versions = (...v: string[]) => `\ncandidates:\n${v.map((x) => `  - { name: "${x}", server: { version: "${x}" } }`).join('\n')}\n`;
const req = (r: { requests: Map<string, { admitted: number | null; start: number | null; end: number | null }> }, id: string) => {
  const q = r.requests.get(id)!;
  return [q.admitted, q.start, q.end];
};

describe('the fast path (0.11.5 sched.go:104-115; absent in E1, 0.6.8 sched.go:97-101)', () => {
  // A hot model C, loaded and busy with one of its two slots, while B must evict A (busy until 30).
  const world = `${DEFAULTS}
server: { OLLAMA_NUM_PARALLEL: 2 }
models:
  A: { vram: 40GiB, load: 5s }
  B: { vram: 40GiB, load: 5s }
  C: { vram: 10GiB, load: 5s }
warm: [ A, C ]
workload:
  requests:
    - { id: C1, at: 0, model: C, duration: 100 }
    - { id: A1, at: 0, model: A, duration: 30 }
    - { id: B1, at: 1, model: B, duration: 1 }
    - { id: C2, at: 5, model: C, duration: 1 }
`;
  test('E1: the hot model\'s request waits behind B\'s eviction, and is served while B loads (0.6.8 :297-298, :448-476)', async () => {
    const all = await runYaml(world + versions('0.6.8', '0.11.4', '0.11.5', '0.20.0', '0.32.15'));
    for (const v of ['0.6.8', '0.11.4']) {
      const r = all.get(v)!;
      expect(req(r, 'C2')).toEqual([31, 31, 32]);
      expect(only(r.events, 'queued', 'load_start', 'admitted').filter((e) => e[0] > 0 && e[0] < 40)).toEqual([
        [5, 'queued', 'C', 'C2', ''], [31, 'load_start', 'B', 'B1', ''], [31, 'admitted', 'C', 'C2', 'pending'], [36, 'admitted', 'B', 'B1', 'loaded'],
      ]);
    }
    for (const v of ['0.11.5', '0.20.0', '0.32.15']) expect(req(all.get(v)!, 'C2')).toEqual([5, 5, 6]);
    for (const v of all.values()) expect(req(v, 'B1')).toEqual([36, 36, 37]);
  });

  test('E1: MAX_QUEUE counts every request — the loaded model\'s second request is a 503; E2/E3 serve both', async () => {
    const all = await runYaml(`${world.replace('OLLAMA_NUM_PARALLEL: 2', 'OLLAMA_NUM_PARALLEL: 2, OLLAMA_MAX_QUEUE: 1').replace('    - { id: C2, at: 5, model: C, duration: 1 }', '    - { id: C2, at: 5, model: C, duration: 1 }\n    - { id: C3, at: 6, model: C, duration: 1 }')}${versions('0.6.8', '0.20.0')}`);
    expect(all.get('0.6.8')!.requests.get('C3')).toMatchObject({ status: 'rejected', http: 503 });
    expect(all.get('0.20.0')!.requests.get('C3')).toMatchObject({ status: 'ok', admitted: 6 });
  });
});

describe('E1 asynchronous load: a new model whose GPU is loading is re-queued 250 ms later (0.6.8 sched.go:246-273)', () => {
  test('C waits for B\'s load, then 250 ms more in E1; E2 and E3 load it as soon as B is in', async () => {
    const all = await runYaml(`${DEFAULTS}
models:
  B: { vram: 40GiB, load: 5s }
  C: { vram: 10GiB, load: 5s }
workload:
  requests:
    - { id: B1, at: 0, model: B, duration: 1 }
    - { id: C1, at: 1, model: C, duration: 1 }
${versions('0.6.8', '0.11.4', '0.11.5', '0.32.15')}`);
    for (const v of ['0.6.8', '0.11.4']) {
      expect(only(all.get(v)!.events, 'queued', 'load_start')).toEqual([
        [0, 'load_start', 'B', 'B1', ''], [1, 'queued', 'C', 'C1', ''], [5.25, 'queued', 'C', 'C1', 'requeued'], [5.25, 'load_start', 'C', 'C1', ''],
      ]);
    }
    for (const v of ['0.11.5', '0.32.15']) expect(only(all.get(v)!.events, 'load_start')[1]).toEqual([5, 'load_start', 'C', 'C1', '']);
  });
});

describe('E1 with two GPUs: the fit leaves out only the GPUs that were loading (0.6.8 sched.go:246-273, :526-543)', () => {
  const two = (extra: string) => `
host: { gpus: [ { vram: 80GiB }, { vram: 80GiB } ], unload: 1s }
models:
  B: { vram: 40GiB, load: 5s }
  C: { vram: 10GiB, load: 5s }
  A: { vram: 75GiB, load: 5s }
${extra}
workload:
  requests:
    - { id: B1, at: 0, model: B, duration: 1 }
    - { id: C1, at: 1, model: C, duration: 1 }
${versions('0.6.8')}`;
  test('C fits on the GPU B is not loading on: it loads there as soon as B is up, no re-queue', async () => {
    const r = [...(await runYaml(two(''))).values()][0]!;
    expect(only(r.events, 'queued', 'load_start')).toEqual([
      [0, 'load_start', 'B', 'B1', ''], [1, 'queued', 'C', 'C1', ''], [5, 'load_start', 'C', 'C1', ''],
    ]);
  });
  test('with the other GPU full (A warm on it), C does not fit there: re-queued 250 ms', async () => {
    const r = [...(await runYaml(two('warm: [ A ]'))).values()][0]!;
    expect(only(r.events, 'queued', 'load_start').slice(1)).toEqual([
      [0, 'load_start', 'B', 'B1', ''], [1, 'queued', 'C', 'C1', ''], [5.25, 'queued', 'C', 'C1', 'requeued'], [5.25, 'load_start', 'C', 'C1', ''],
    ]);
  });
});

describe('E3 pathologies that need the fast path are absent in E1 (spec §10.1)', () => {
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
  test('resurrection (#17408, scenario 18): on 0.32.15 B loads at 411; on 0.6.8 R4 queues behind B, so B loads at 101', async () => {
    const all = await runYaml(hol(', keep_alive: "5m"') + versions('0.6.8', '0.32.15'));
    expect(only(all.get('0.32.15')!.events, 'load_start')[1]).toEqual([411, 'load_start', 'B', 'R2', '']);
    expect(before(only(all.get('0.6.8')!.events, 'load_start'), 200).slice(1)).toEqual([
      [101, 'load_start', 'B', 'R2', ''], [117, 'load_start', 'A', 'R4', ''], [122.25, 'load_start', 'C', 'R3', ''],
    ]);
    const stuck = await runYaml(hol(', keep_alive: -1') + versions('0.6.8', '0.32.15'));
    expect(stuck.get('0.32.15')!.result.summary).toMatchObject({ stuck: 2 });
    expect(stuck.get('0.6.8')!.result.summary).toMatchObject({ stuck: 0, ok: 4 });
  });

  test('reload starvation (#14407, scenario 19): on 0.32.15 the new-option request waits until 546; on 0.6.8 it reloads at 61', async () => {
    const chain = Array.from({ length: 8 }, (_, i) => `    - { at: ${20 + 40 * i}, model: A, duration: 60 }`).join('\n');
    const all = await runYaml(`${DEFAULTS}
models: { A: { vram: 10GiB, load: 5s, num_ctx: 8192 } }
warm: [ A ]
workload:
  requests:
    - { at: 0, model: A, duration: 60 }
    - { at: 10, model: A, duration: 5, num_ctx: 16384 }
${chain}
${versions('0.6.8', '0.32.15')}`);
    expect(all.get('0.32.15')!.requests.get('2')).toMatchObject({ admitted: 546 });
    expect(all.get('0.6.8')!.requests.get('2')).toMatchObject({ admitted: 66, start: 66, end: 71 });
  });
});

describe('keep_alive and unload requests', () => {
  test('a JSON-number keep_alive of 0.9 is 0 before v0.11.8 (0.11.7 api/types.go:891), 0.9 s from it', async () => {
    const all = await runYaml(`${DEFAULTS}
models: { A: { vram: 40GiB, load: 5s } }
workload: { requests: [ { id: A1, at: 0, model: A, duration: 1, keep_alive: 0.9 } ] }
${versions('0.6.8', '0.11.7', '0.11.8', '0.32.15')}`);
    for (const v of ['0.6.8', '0.11.7']) expect(only(all.get(v)!.events, 'timer_start', 'unload')).toEqual([[6, 'unload', 'A', '', 'expired']]);
    for (const v of ['0.11.8', '0.32.15']) {
      expect(only(all.get(v)!.events, 'timer_start', 'unload')).toEqual([[6, 'timer_start', 'A', '', ''], [6.9, 'unload', 'A', '', 'expired']]);
    }
  });

  test('unload during a load: E1/E2 mark once loaded (0.6.8 routes.go:162-163), E3 no-op; before v0.3.11 no shortcut at all', async () => {
    const all = await runYaml(`${DEFAULTS}
models: { B: { vram: 40GiB, load: 5s } }
workload:
  requests:
    - { id: B1, at: 0, model: B, duration: 1 }
    - { id: U, at: 1, model: B, op: unload }
    - { id: U2, at: 100, model: B, op: unload }
${versions('0.3.10', '0.3.11', '0.20.0', '0.30.0')}`);
    const ev = (v: string) => only(all.get(v)!.events, 'load_start', 'mark', 'unload', 'finish');
    // v0.3.10: the unload request is a preload with keep_alive 0: it joins B's load, and loads B again at 100.
    expect(ev('0.3.10')).toEqual([
      [0, 'load_start', 'B', 'B1', ''], [5, 'finish', 'B', 'U', 'preload'], [6, 'finish', 'B', 'B1', ''], [6, 'unload', 'B', '', 'expired'],
      [100, 'load_start', 'B', 'U2', ''], [105, 'finish', 'B', 'U2', 'preload'], [105, 'unload', 'B', '', 'expired'],
    ]);
    for (const v of ['0.3.11', '0.20.0']) {
      expect(ev(v)).toEqual([
        [0, 'load_start', 'B', 'B1', ''], [1, 'finish', 'B', 'U', 'unload_request'], [5, 'mark', 'B', '', 'unload_request'],
        [6, 'finish', 'B', 'B1', ''], [6, 'unload', 'B', '', 'unload_request'], [100, 'finish', 'B', 'U2', 'no_op'],
      ]);
    }
    expect(ev('0.30.0').slice(0, 3)).toEqual([[0, 'load_start', 'B', 'B1', ''], [1, 'finish', 'B', 'U', 'no_op'], [6, 'finish', 'B', 'B1', '']]);
  });
});

describe('load-time rules', () => {
  test('automatic NUM_PARALLEL: 4 slots on 0.6.6, 2 on 0.6.7, 1 from 0.10.0 (sched.go:57-62); an explicit value wins', async () => {
    const four = Array.from({ length: 4 }, () => '    - { at: 0, model: A, duration: 10 }').join('\n');
    const all = await runYaml(`${DEFAULTS}
models: { A: { vram: 40GiB, load: 5s } }
warm: [ A ]
workload:
  requests:
${four}
${versions('0.6.6', '0.6.7', '0.10.0')}  - { name: explicit, server: { version: "0.6.6", OLLAMA_NUM_PARALLEL: 1 } }
`);
    const ends = (v: string) => [...all.get(v)!.requests.values()].map((q) => q.end);
    expect(ends('0.6.6')).toEqual([10, 10, 10, 10]);
    expect(ends('0.6.7')).toEqual([10, 10, 20, 20]);
    expect(ends('0.10.0')).toEqual([10, 20, 30, 40]);
    expect(ends('explicit')).toEqual([10, 20, 30, 40]);
  });

  test('automatic NUM_PARALLEL falls back to 1 when the model does not fit with it (0.6.8 sched.go:728-777)', async () => {
    // llama3.1:8b (4.6 GiB file, 128 KiB of KV per token): 4 slots × 2048 = 5.6 GiB, 1 slot 4.9 GiB; a 5.5 GiB card takes 1.
    const all = await runYaml(`
host: { gpus: [ { vram: 5.5GiB } ], unload: 1s }
models: { llama3.1:8b: { p: auto } }
workload: { requests: [ { at: 0, model: llama3.1:8b, duration: 10 }, { at: 0, model: llama3.1:8b, duration: 10 } ] }
candidates:
  - { name: small, server: { version: "0.6.6" } }
  - { name: big, server: { version: "0.6.6" }, host: { gpus: [ { vram: 80GiB } ] } }
`);
    expect([...all.get('small')!.requests.values()].map((q) => q.start! - q.admitted!)).toEqual([0, 10]);
    expect([...all.get('big')!.requests.values()].map((q) => q.start! - q.admitted!)).toEqual([0, 0]);
  });

  test('fit of a 2nd model: full fit before v0.30.0 (E1 + OLLAMA_GPU_OVERHEAD per GPU), the 80 % pre-flight from it', async () => {
    const all = await runYaml(`${DEFAULTS}
models: { A: { vram: 40GiB, load: 5s }, B: { vram: 35GiB, load: 5s } }
warm: [ A ]
workload: { requests: [ { at: 0, model: B, duration: 10 } ] }
candidates:
  - { name: "0.6.8", server: { version: "0.6.8" } }
  - { name: "0.6.8 overhead", server: { version: "0.6.8", OLLAMA_GPU_OVERHEAD: 6442450944 } }
  - { name: "0.20.0", server: { version: "0.20.0" } }
  - { name: "0.32.15", server: { version: "0.32.15" } }
  - { name: "0.32.15 overhead", server: { version: "0.32.15", OLLAMA_GPU_OVERHEAD: 6442450944 } }
`);
    const marks = (v: string) => only(all.get(v)!.events, 'mark').length;
    expect(['0.6.8', '0.6.8 overhead', '0.20.0', '0.32.15', '0.32.15 overhead'].map(marks)).toEqual([0, 1, 0, 1, 1]);
  });

  test('CPU-only host: a 2nd model must fit in free RAM before v0.30.0 (0.6.8 sched.go:213-223, :865-876); the current version loads it alongside', async () => {
    const all = await runYaml(`
host: { gpus: [], ram: 32GiB, unload: 1s }
models: { A: { vram: 20GiB, load: 5s }, B: { vram: 16GiB, load: 5s }, C: { vram: 8GiB, load: 5s } }
warm: [ A ]
workload: { requests: [ { at: 0, model: B, duration: 10 }, { at: 100, model: C, duration: 1 } ] }
${versions('0.6.8', '0.20.0', '0.32.15')}`);
    // 32 − 20 = 12 GiB free: B (16) evicts A on 0.6.8 and 0.20.0; C (8) then fits beside B (16 free).
    for (const v of ['0.6.8', '0.20.0']) expect(only(all.get(v)!.events, 'mark')).toEqual([[0, 'mark', 'A', '', 'evicted']]);
    expect(only(all.get('0.32.15')!.events, 'mark')).toEqual([]);
  });

  test('victim ties: by name from v0.6.6 (ByDurationAndName, 0.6.6 sched.go:670), in random order before (ByDuration, 0.6.5 :670-677)', async () => {
    const rounds = Array.from({ length: 12 }, (_, i) => `    - { at: ${i * 100}, model: ${'CDE'[i % 3]}, duration: 1 }`).join('\n');
    const all = await runYaml(`${DEFAULTS}
server: { OLLAMA_MAX_LOADED_MODELS: 2, OLLAMA_KEEP_ALIVE: 1h }
models: { A: { vram: 1GiB, load: 1s }, B: { vram: 1GiB, load: 1s }, C: { vram: 1GiB, load: 1s }, D: { vram: 1GiB, load: 1s }, E: { vram: 1GiB, load: 1s } }
warm: [ A, B ]
workload:
  requests:
${rounds}
${versions('0.6.5', '0.6.6')}`);
    // Each arrival finds two idle runners with the same keep_alive: which one goes?
    const smallerName = (v: string) => {
      const loaded = new Set(['A', 'B']);
      return only(all.get(v)!.events, 'mark', 'load_end').map(([, kind, model]) => {
        if (kind === 'load_end') { loaded.add(model); return null; }
        const first = [...loaded].sort()[0] === model;
        loaded.delete(model);
        return first;
      }).filter((x) => x !== null);
    };
    expect(smallerName('0.6.6').length).toBeGreaterThan(5);
    expect(smallerName('0.6.6').every(Boolean)).toBe(true);
    expect(smallerName('0.6.5').length).toBeGreaterThan(5);
    expect(smallerName('0.6.5')).toContain(false);
    expect(smallerName('0.6.5')).toContain(true); // random, not reversed
  });

  test('457 MiB of minimum memory per GPU before v0.30.0 (0.20.0 ml/device.go:348-353): 39.7 GiB beside 40 GiB on 80 GiB no longer fits fully', async () => {
    const all = await runYaml(`${DEFAULTS}
models: { A: { vram: 40GiB, load: 5s }, B: { vram: 39.5GiB, load: 5s }, C: { vram: 39.7GiB, load: 5s } }
warm: [ A ]
workload: { requests: [ { at: 0, model: B, duration: 1, keep_alive: 0 }, { at: 100, model: C, duration: 1 } ] }
${versions('0.20.0')}`);
    // 40 GiB free less 457 MiB = 39.55 GiB: B fits fully, C does not.
    expect(only([...all.values()][0]!.events, 'mark')).toEqual([[100, 'mark', 'A', '', 'evicted']]);
  });

  test('no automatic batch surcharge before v0.30.0 (automaticGenerationBatch came with it)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ollamasim-'));
    const file = join(dir, 's.yaml');
    writeFileSync(file, `${DEFAULTS}models: { llama3.1:8b: { p: auto, num_ctx: 16384 } }
workload: { requests: [ { at: 0, model: llama3.1:8b, duration: 1 } ] }
${versions('0.24.0', '0.30.0')}`);
    const [old, current] = explainScenario(await loadScenario(file));
    expect(old!.models[0]!.surcharge).toBe(0);
    expect(current!.models[0]!.surcharge).toBe(768 * 2 ** 20); // batch 1024 above 4096 tokens
  });

  test('default context: 2048 on 0.6.6, 4096 on 0.6.7 (envconfig/config.go:172), VRAM tiers on the current version', async () => {
    const all = await runYaml(`${DEFAULTS}
models: { llama3.1:8b: { p: auto } }
workload: { requests: [ { at: 0, model: llama3.1:8b, duration: 1 } ] }
candidates:
  - { name: "0.6.6", server: { version: "0.6.6", OLLAMA_NUM_PARALLEL: 1 } }
  - { name: "0.6.7", server: { version: "0.6.7", OLLAMA_NUM_PARALLEL: 1 } }
  - { name: "0.32.15" }
`);
    const memory = (v: string) => all.get(v)!.result.summary.vram_peak_gib;
    expect(memory('0.6.6')).toBeLessThan(memory('0.6.7'));
    expect(memory('0.6.7')).toBeLessThan(memory('0.32.15'));
  });

  test('num_ctx 4096 against the default: no reload on 0.6.8 (plain numbers, sched.go:598-612), a reload on 0.32.15 (auto vs explicit)', async () => {
    const all = await runYaml(`${DEFAULTS}
models: { A: { vram: 10GiB, load: 5s } }
workload: { requests: [ { at: 0, model: A, duration: 1 }, { at: 10, model: A, duration: 1, num_ctx: 4096 } ] }
${versions('0.6.8', '0.32.15')}`);
    expect(all.get('0.6.8')!.result.summary).toMatchObject({ loads: 1, reloads: 0 });
    expect(all.get('0.32.15')!.result.summary).toMatchObject({ loads: 2, reloads: 1 });
  });

  test('load OOM: one retry from v0.30.0 (evictAllAndWait); before it a 500', async () => {
    const all = await runYaml(`
host: { gpus: [ { vram: 24GiB } ], unload: 1s }
models: { E: { vram: 10GiB, load: 1s }, X: { vram: 20GiB, p: 4GiB, load: 5s } }
warm: [ E ]
workload: { requests: [ { at: 0, model: X, duration: 1 } ] }
${versions('0.24.0', '0.30.0')}`);
    expect(all.get('0.24.0')!.requests.get('1')).toMatchObject({ status: 'failed', http: 500 });
    expect(all.get('0.30.0')!.requests.get('1')).toMatchObject({ status: 'ok' });
  });
});

test('a variable the version does not read is ignored, with a warning: OLLAMA_CONTEXT_LENGTH from v0.5.13 (envconfig/config.go)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-'));
  const file = join(dir, 's.yaml');
  writeFileSync(file, `${DEFAULTS}server: { OLLAMA_CONTEXT_LENGTH: 32768, OLLAMA_NUM_PARALLEL: 1 }
models: { llama3.1:8b: { p: auto } }
workload: { requests: [ { at: 0, model: llama3.1:8b, duration: 1 } ] }
${versions('0.5.12', '0.5.13')}`);
  const sc = await loadScenario(file);
  expect(sc.warnings).toEqual([expect.stringContaining('candidate "0.5.12": OLLAMA_CONTEXT_LENGTH: Ollama 0.5.12 does not read it (from v0.5.13); the run ignores it')]);
  const all = await runYaml(readFileSync(file, 'utf8'));
  // 2048 (the default before v0.6.7) against 32768: the KV cache is 16× larger.
  expect(all.get('0.5.12')!.result.summary.vram_peak_gib).toBeLessThan(all.get('0.5.13')!.result.summary.vram_peak_gib - 3);
});

describe('server.version: a bundled release tag, else exit 2 with the nearest one', () => {
  const load = async (v: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'ollamasim-'));
    const file = join(dir, 's.yaml');
    writeFileSync(file, `${DEFAULTS}server: { version: ${v} }\nmodels: { A: { vram: 1GiB, load: 1s } }\nworkload: { requests: [ { at: 0, model: A, duration: 1 } ] }\n`);
    return loadScenario(file);
  };
  test.each([
    ['"0.1.48"', /s\.yaml:3: server\.version: "0\.1\.48" is not a supported Ollama release \(nearest supported: 0\.2\.0/],
    ['"0.6.8-rc1"', /"0\.6\.8-rc1" is not a supported Ollama release \(nearest supported: 0\.6\.8/],
    ['"0.25.0"', /nearest supported: 0\.24\.0/],
    ['"0.33.0"', /nearest supported: 0\.32\.15/],
    ['0.30', /0\.3 is a number \(YAML drops trailing zeros\), not an Ollama version \(nearest supported: 0\.3\.0/],
  ])('%s', async (v, message) => {
    await expect(load(v)).rejects.toThrow(message);
  });
  test('"v0.6.8" and "0.6.8" are the same version; absent is the current one', async () => {
    expect((await load('"v0.6.8"')).candidates[0]!.version).toBe('0.6.8');
    expect((await load('"0.6.8"')).candidates[0]!.version).toBe('0.6.8');
  });
});

describe('E2: a request for the model being loaded joins the load (0.20.0 sched.go:127-131, :548-584)', () => {
  test('A2 is served when A is up on 0.20.0 (and on 0.11.4, where B is re-queued); on 0.32.15 it queues behind B and its evictions', async () => {
    // A loads 0–5 (alongside W, busy until 50). B (new, too big) must evict W: the scheduler waits until 51.
    const all = await runYaml(`${DEFAULTS}
models:
  W: { vram: 40GiB, load: 5s }
  A: { vram: 20GiB, load: 5s }
  B: { vram: 50GiB, load: 5s }
warm: [ W ]
workload:
  requests:
    - { id: W1, at: 0, model: W, duration: 50 }
    - { id: A1, at: 0, model: A, duration: 1 }
    - { id: B1, at: 1, model: B, duration: 1 }
    - { id: A2, at: 2, model: A, duration: 1 }
${versions('0.11.4', '0.20.0', '0.32.15')}`);
    // E3: B evicts A (busy, shorter name) then W; A2 must load A again after B: 56–61.
    expect(all.get('0.32.15')!.requests.get('A2')).toMatchObject({ admitted: 61, start: 61, cold: true });
    // E2: A2 joined A's load, admitted when A is up, then waits for A's one slot.
    expect(all.get('0.20.0')!.requests.get('A2')).toMatchObject({ admitted: 5, start: 6, cold: true });
    // E1: B1 was blocked on A's load and is re-queued, so A2 reaches the head at 5 and is served.
    expect(all.get('0.11.4')!.requests.get('A2')).toMatchObject({ admitted: 5, start: 6, cold: true });
    expect(only(all.get('0.20.0')!.events, 'admitted').find((e) => e[3] === 'A2')).toEqual([5, 'admitted', 'A', 'A2', 'pending']);
  });
});
