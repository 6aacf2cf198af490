import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { warn } from '../../../src/diag/index.js';
import { loadScenario } from '../../../src/io/load-scenario.js';
import { FOREVER, INVALID } from '../../../src/ollama/keep-alive.js';
import { keepAliveOf, numCtxOf, Op, opOf, timeoutOf } from '../../../src/workload/trace.js';
import { files, GiB, HEAD, load, REQ, column, ids } from './fixture.js';

describe('scenario loading', () => {
  test('units, defaults and the sole candidate', async () => {
    const { sc, file } = await load(`${HEAD}${REQ}`);
    expect(sc.file).toBe(file);
    expect(sc.modelNames).toEqual(['llama3.1:8b', 'phi3:mini']);
    expect(sc.seed).toBe(1);
    expect(sc.horizon).toBe(24 * 3600e6);
    expect(sc.candidates).toHaveLength(1);
    const c = sc.candidates[0]!;
    expect(c.name).toBe('t');
    expect(c.server).toEqual({});
    expect(c.host).toMatchObject({ gpus: [24 * GiB], unload: 1e6, storage: 'nvme', link: 25e9 });
    expect(c.models[0]).toMatchObject({ vram: Math.round(6.2 * GiB), p: Math.round(6.2 * GiB), load: 8e6, key: 'llama3.1:8b', numCtx: 0, loadFailsAfter: Infinity });
    expect(c.models[0]!.keepAlive).toBeNaN();
    expect(c.models[1]).toMatchObject({ vram: 3e9, key: 'phi-blob', keepAlive: 600e6 });
    expect(sc.trace.length).toBe(1);
    expect(sc.trace.duration[0]).toBe(1e6);
    expect(sc.warnings).toEqual([]);
  });

  test('optional model fields: p, load_fails_after, num_ctx, n_ctx_train; seed and horizon', async () => {
    const { sc } = await load(`seed: 7\nhorizon: 1h\n${HEAD.replace('load: 8s }', 'load: 8, p: 7GiB, load_fails_after: 2.5s, num_ctx: 8192, n_ctx_train: 131072 }')}${REQ}`);
    expect(sc.seed).toBe(7);
    expect(sc.horizon).toBe(3600e6);
    expect(sc.candidates[0]!.models[0]).toMatchObject({ load: 8e6, p: 7 * GiB, loadFailsAfter: 2.5e6, numCtx: 8192, nCtxTrain: 131072 });
  });

  test('the name defaults to the file name; a JSON scenario works the same way', async () => {
    const dir = files({ 's.json': JSON.stringify({ host: { gpus: [] }, models: { a: { vram: '1GiB', load: 1 } }, workload: { requests: [{ at: 0, model: 'a', duration: 1 }] } }) });
    const sc = await loadScenario(join(dir, 's.json'));
    expect(sc.name).toBe('s');
    expect(sc.candidates[0]!.name).toBe('s');
    expect(sc.candidates[0]!.host.gpus).toEqual([]);
    // A model outside the catalogue: every optional field at its default.
    expect(sc.candidates[0]!.models[0]).toEqual({
      name: 'a', vram: GiB, p: GiB, arch: null, tag: null, load: 1e6, keepAlive: NaN, key: 'a',
      loadFailsAfter: Infinity, numCtx: 0, nCtxTrain: 0, numGpu: -1,
    });
  });

  test('warm models, by name or with their own keep_alive (request semantics)', async () => {
    const { sc } = await load(`${HEAD}warm:\n  - phi3:mini\n  - { model: llama3.1:8b, keep_alive: -1 }\n${REQ}`);
    expect(sc.warm).toEqual([{ model: 1, keepAlive: NaN }, { model: 0, keepAlive: FOREVER }]);
    expect(sc.candidates[0]!.warm).toEqual(sc.warm);
  });
});

describe('inline requests', () => {
  test('ids default to the 1-based position; op, num_ctx and timeout', async () => {
    const { sc } = await load(`${HEAD}workload:
  requests:
    - { at: 0, model: phi3:mini, duration: 1 }
    - { id: r2, at: 0.5, model: llama3.1:8b, duration: 2, num_ctx: 4096, timeout: 30 }
    - { at: 0.5, model: llama3.1:8b, op: preload }
    - { at: 1.0000004, model: llama3.1:8b, op: unload }
`);
    expect(ids(sc.trace)).toEqual([null, 'r2', null, null]);
    expect(Array.from(sc.trace.at)).toEqual([0, 0.5e6, 0.5e6, 1e6]);
    expect(column(sc.trace, opOf)).toEqual([Op.generate, Op.generate, Op.preload, Op.unload]);
    expect(Array.from(sc.trace.duration)).toEqual([1e6, 2e6, 0, 0]);
    expect(column(sc.trace, numCtxOf)).toEqual([0, 4096, 0, 0]);
    expect(column(sc.trace, timeoutOf)).toEqual([Infinity, 30e6, Infinity, Infinity]);
  });

  test('§3 keep_alive a client sends: numbers are seconds, strings Go durations, negative is forever', async () => {
    const { sc } = await load(`${HEAD}workload:
  requests:
    - { at: 0, model: phi3:mini, duration: 1, keep_alive: 42.5 }
    - { at: 1, model: phi3:mini, duration: 1, keep_alive: "5m" }
    - { at: 2, model: phi3:mini, duration: 1, keep_alive: -1 }
    - { at: 3, model: phi3:mini, duration: 1, keep_alive: "-1m" }
    - { at: 4, model: phi3:mini, duration: 1, keep_alive: 0 }
    - { at: 5, model: phi3:mini, duration: 1, keep_alive: null }
    - { at: 6, model: phi3:mini, duration: 1 }
`);
    expect(column(sc.trace, keepAliveOf)).toEqual([42.5e6, 300e6, FOREVER, FOREVER, 0, NaN, NaN]);
    expect(sc.warnings).toEqual([]);
  });

  test('§3 "300" (no unit) is Ollama\'s 400 at run time: stored as INVALID and counted in a warning, not an input error', async () => {
    const { sc, file } = await load(`${HEAD}workload:
  requests:
    - { at: 0, model: phi3:mini, duration: 1, keep_alive: "300" }
    - { at: 1, model: phi3:mini, duration: 1, keep_alive: -1 }
    - { at: 2, model: phi3:mini, duration: 1, keep_alive: "abc" }
`);
    expect(column(sc.trace, keepAliveOf)).toEqual([INVALID, FOREVER, INVALID]);
    expect(sc.warnings).toEqual([warn.rejectedKeepAlive(2, `${file}:8`)]);
  });
});

describe('warnings (the run goes on)', () => {
  test('§2 an invalid OLLAMA_* value is what Ollama silently ignores: kept as written, with a warning', async () => {
    const { sc, file } = await load(`${HEAD}server: { OLLAMA_KEEP_ALIVE: 1d }\n${REQ}`);
    expect(sc.candidates[0]!.server).toEqual({ OLLAMA_KEEP_ALIVE: '1d' });
    expect(sc.warnings).toEqual([
      warn.serverEnv(file, 't', 'OLLAMA_KEEP_ALIVE', '"1d" is neither a Go duration nor whole seconds; Ollama falls back to its default'),
    ]);
  });

  test('§9.4 OLLAMA_MAX_QUEUE below 2 warns, however it is written', async () => {
    for (const v of ['1', '0', '"\'1\'"']) {
      const { sc, file } = await load(`${HEAD}server: { OLLAMA_MAX_QUEUE: ${v} }\n${REQ}`);
      expect(sc.warnings).toEqual([warn.smallMaxQueue(file, 't', Number(v.replace(/\D/g, '')))]);
    }
    expect((await load(`${HEAD}server: { OLLAMA_MAX_QUEUE: 2 }\n${REQ}`)).sc.warnings).toEqual([]);
  });

  test('an empty workload is allowed, with a warning', async () => {
    const { sc, file } = await load(`${HEAD}workload: { requests: [] }\n`);
    expect(sc.trace.length).toBe(0);
    expect(sc.warnings).toEqual([warn.emptyWorkload(file)]);
  });
});
