import { describe, expect, test } from 'vitest';
import { deepMerge } from '../../../src/config/merge.js';
import { GiB, HEAD, load, REQ } from '../io/fixture.js';

describe('candidates are deep partial overrides of the scenario', () => {
  test('mappings merge key by key; lists and scalars replace; null is a value, undefined is not', () => {
    const base = { server: { A: 1, B: 2 }, host: { gpus: [1, 2], unload: '1s' }, warm: ['x'] };
    expect(deepMerge(base, { server: { B: 3 }, host: { gpus: [9] }, warm: [], extra: null, nothing: undefined })).toEqual({
      server: { A: 1, B: 3 }, host: { gpus: [9], unload: '1s' }, warm: [], extra: null,
    });
    expect(base.server).toEqual({ A: 1, B: 2 }); // the base is not changed
    expect(deepMerge(base, undefined)).toBe(base);
  });

  test('each candidate is the scenario with its overrides; GPU lists replace; models keep their order', async () => {
    const { sc } = await load(`${HEAD}server: { OLLAMA_KEEP_ALIVE: 5m, OLLAMA_NUM_PARALLEL: 2 }
warm: [ phi3:mini ]
${REQ}candidates:
  - { name: keep 5m }
  - name: forever on two GPUs
    server: { OLLAMA_KEEP_ALIVE: "-1" }
    host: { gpus: [ { vram: 80GiB }, { vram: 80GiB } ] }
    models: { phi3:mini: { keep_alive: null, vram: 4GiB } }
    warm: []
`);
    const [a, b] = sc.candidates;
    expect(sc.candidates.map((c) => c.name)).toEqual(['keep 5m', 'forever on two GPUs']);
    expect(a!.server).toEqual({ OLLAMA_KEEP_ALIVE: '5m', OLLAMA_NUM_PARALLEL: 2 });
    expect(b!.server).toEqual({ OLLAMA_KEEP_ALIVE: '-1', OLLAMA_NUM_PARALLEL: 2 });
    expect(a!.host.gpus).toEqual([24 * GiB]);
    expect(b!.host).toMatchObject({ gpus: [80 * GiB, 80 * GiB], unload: 1e6 });
    expect(b!.models.map((m) => m.name)).toEqual(sc.modelNames);
    expect(b!.models[1]).toMatchObject({ vram: 4 * GiB, p: 4 * GiB, key: 'phi-blob' });
    expect(b!.models[1]!.keepAlive).toBeNaN();
    expect(a!.models[1]!.keepAlive).toBe(600e6);
    expect(a!.warm).toEqual([{ model: 1, keepAlive: NaN }]);
    expect(b!.warm).toEqual([]);
    expect(sc.warm).toEqual(a!.warm); // the base scenario's list, whatever the candidates say
    expect(b!.raw).toMatchObject({
      name: 'forever on two GPUs',
      server: { OLLAMA_KEEP_ALIVE: '-1', OLLAMA_NUM_PARALLEL: 2 },
      host: { gpus: [{ vram: '80GiB' }, { vram: '80GiB' }], unload: '1s' },
      models: { 'llama3.1:8b': { vram: '6.2GiB' }, 'phi3:mini': { vram: '4GiB', load: '4s', keep_alive: null } },
      warm: [],
    });
  });

  test('no candidates: one, named after the scenario', async () => {
    const { sc } = await load(`${HEAD}${REQ}candidates: []\n`);
    expect(sc.candidates.map((c) => c.name)).toEqual(['t']);
  });
});
