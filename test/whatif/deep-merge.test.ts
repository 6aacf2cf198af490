import { describe, expect, test } from 'vitest';
import { loadScenario } from '../../src/io/load-scenario.js';
import { writeScenario, type Scenario } from '../helpers/whatif.js';

const GiB = 2 ** 30;
const BASE: Scenario = {
  name: 'merge',
  host: { gpu: 'rtx-4090', count: 2, storage: 'sata-ssd', unload: '2s' },
  models: { 'llama3.1:8b': { keep_alive: '10m', num_ctx: 8192 }, own: { vram: '4GiB', load: '3s', p: '5GiB' } },
  fleet: { hosts: 3, router: 'random' },
  retry: { attempts: 3, backoff: '2s' },
  policy: { eviction: 'lru' },
  workload: { requests: [{ at: 0, model: 'own', duration: 1 }] },
};

async function candidates(s: Scenario) {
  return (await loadScenario(writeScenario(s))).candidates;
}

describe('a candidate is a partial override, merged field by field (lists replaced whole)', () => {
  test('fleet: a router alone keeps the hosts; hosts alone (a plan\'s fleet.hosts axis) keep the router', async () => {
    const [a, b, c] = await candidates({
      ...BASE,
      candidates: [{ name: 'rr', fleet: { router: 'round-robin' } }, { name: 'five', fleet: { hosts: 5 } }, { name: 'same' }],
    });
    expect(a!.fleet).toEqual({ hosts: 3, router: 'round-robin' });
    expect(b!.fleet).toEqual({ hosts: 5, router: 'random' });
    expect(c!.fleet).toEqual({ hosts: 3, router: 'random' });
  });

  test('a sweep over fleet.hosts keeps the scenario\'s router in every cell', async () => {
    const cells = await candidates({ ...BASE, sweep: { 'fleet.hosts': [1, 2, 4] } });
    expect(cells.map((c) => c.fleet)).toEqual([undefined, { hosts: 2, router: 'random' }, { hosts: 4, router: 'random' }]);
  });

  test('host: gpu keeps the number of GPUs and brings its own memory; count keeps the type; vram keeps the type; the rest stays', async () => {
    const [gpu, count, vram, list] = await candidates({
      ...BASE,
      candidates: [
        { name: 'gpu', host: { gpu: 'h100-sxm' } },
        { name: 'count', host: { count: 4 } },
        { name: 'vram', host: { vram: '48GiB' } },
        { name: 'list', host: { gpus: [{ gpu: 'l40s' }] } },
      ],
    });
    expect(gpu!.host).toMatchObject({ gpus: [80 * GiB, 80 * GiB], gpuIds: ['h100-sxm', 'h100-sxm'], storage: 'sata-ssd', unload: 2e6 });
    expect(count!.host).toMatchObject({ gpus: Array(4).fill(24 * GiB), gpuIds: Array(4).fill('rtx-4090'), storage: 'sata-ssd' });
    expect(vram!.host).toMatchObject({ gpus: [48 * GiB, 48 * GiB], gpuIds: ['rtx-4090', 'rtx-4090'] });
    expect(list!.host).toMatchObject({ gpus: [48 * GiB], gpuIds: ['l40s'], storage: 'sata-ssd' });
  });

  test('a GPU type over a listed host keeps the list\'s number of GPUs', async () => {
    const [c] = await candidates({
      ...BASE, host: { gpus: [{ vram: '24GiB' }, { vram: '24GiB' }, { vram: '24GiB' }] }, candidates: [{ name: 'x', host: { gpu: 'l4' } }],
    });
    expect(c!.host.gpuIds).toEqual(['l4', 'l4', 'l4']);
  });

  test('a GPU type over a CPU-only host is one such GPU (not none); with a count of its own, that count', async () => {
    const [one, two, none] = await candidates({
      ...BASE, host: { gpus: [] },
      candidates: [{ name: 'one', host: { gpu: 'l4' } }, { name: 'two', host: { gpu: 'l4', count: 2 } }, { name: 'none', host: { gpu: 'l4', count: 0 } }],
    });
    expect(one!.host.gpuIds).toEqual(['l4']);
    expect(two!.host.gpuIds).toEqual(['l4', 'l4']);
    expect(none!.host.gpus).toEqual([]);
  });

  test('models.X: one field changes, the others stay (a given P stays P)', async () => {
    const [c] = await candidates({ ...BASE, candidates: [{ name: 'x', models: { own: { vram: '6GiB' }, 'llama3.1:8b': { keep_alive: '1m' } } }] });
    expect(c!.models[1]).toMatchObject({ vram: 6 * GiB, p: 5 * GiB, load: 3e6 });
    expect(c!.models[0]).toMatchObject({ keepAlive: 60e6, numCtx: 8192 });
  });

  test('retry: one field changes, the other stays; null turns it off. policy merges too', async () => {
    const [a, b, c] = await candidates({
      ...BASE,
      candidates: [{ name: 'a', retry: { attempts: 5 } }, { name: 'b', retry: null }, { name: 'c', policy: {} }],
    });
    expect(a!.retry).toEqual({ attempts: 5, backoff: 2e6 });
    expect(b!.retry).toBeNull();
    expect(c!.eviction).toBe('lru');
  });
});

describe('token-sized requests need rates on every candidate\'s host', () => {
  const TOKENS: Scenario = {
    name: 'tokens',
    host: { gpu: 'rtx-4090' },
    models: { 'llama3.1:8b': {} },
    workload: { requests: [{ at: 0, model: 'llama3.1:8b', prompt_tokens: 100, output_tokens: 10 }] },
  };

  test('a candidate whose GPU is given only by its memory is one line at its host', async () => {
    await expect(loadScenario(writeScenario({ ...TOKENS, candidates: [{ name: 'ok' }, { name: 'bare', host: { gpus: [{ vram: '24GiB' }] } }] })))
      .rejects.toThrow(/:\d+: candidates\[1\]\.host: requests for "llama3\.1:8b" are given as tokens, but on this host the model has no token rates/);
  });

  test('rates a candidate gives itself are enough, even where the scenario\'s host has none', async () => {
    const sc = await loadScenario(writeScenario({
      ...TOKENS, host: { gpus: [{ vram: '24GiB' }] },
      candidates: [{ name: 'given', models: { 'llama3.1:8b': { prefill_tps: 1000, decode_tps: 10 } } }],
    }));
    expect(sc.candidates[0]!.models[0]).toMatchObject({ prefillTps: 1000, decodeTps: 10 });
  });
});

test('a value of the scenario\'s own sweep: that the resolver refuses is reported at that sweep entry', async () => {
  const file = writeScenario({ ...BASE, sweep: { 'host.gpu': ['rtx-4090', 'h100'] } });
  await expect(loadScenario(file)).rejects.toThrow(/:\d+: sweep\.host\.gpu: unknown GPU "h100" \(did you mean h200\?\)/);
  await expect(loadScenario(file, { axes: [{ key: 'host.gpu', values: ['l4', 'h10'] }] })).rejects.toThrow('(command line): --grid host.gpu: unknown GPU "h10"');
});
