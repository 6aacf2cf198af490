/**
 * Each sweepable path proven through the real path (issue #10). The list of
 * paths comes from the candidate schema (src/config/sweepable.ts), so no axis
 * can be added without an entry here. For each: a scenario file with a `sweep:`
 * over two values, run by `sweep`, gives in every cell exactly what `run` gives
 * for the scenario with that value written in; and where the simulator models
 * the setting, the two cells differ (else the entry says why not).
 */
import { describe, expect, test } from 'vitest';
import { axisPath, NOT_MODELLED, sweepablePaths } from '../../src/config/sweepable.js';
import { deepMerge } from '../../src/config/merge.js';
import { loadScenario } from '../../src/io/load-scenario.js';
import { runScenario } from '../../src/sim/run-scenario.js';
import { EventKind } from '../../src/events/index.js';
import { figures, runSummaries, sweepCells, withValue, writeScenario, type Scenario } from '../helpers/whatif.js';

/** Two models over two hours: a catalogue one given as tokens, one given by sizes and durations. */
const BASE: Scenario = {
  name: 'axes',
  seed: 3,
  server: { OLLAMA_KEEP_ALIVE: '2m' },
  host: { gpu: 'rtx-4090', unload: '1s' },
  models: { 'llama3.1:8b': {}, own: { vram: '10GiB', load: '4s' } },
  workload: {
    synthetic: {
      length: '2h',
      models: {
        'llama3.1:8b': { rate: '90/h', process: 'onoff', on: '5m', off: '10m', prompt_tokens: { median: 600, p95: 3000 }, output_tokens: { median: 200, p95: 800 } },
        own: { rate: '40/h', duration: { median: 6, p95: 30 } },
      },
    },
  },
};

interface Entry {
  /** The axis key as a user writes it (a model name for models.*). */
  key: string;
  values: unknown[];
  /** Merged into BASE first, where the setting needs a situation to matter. */
  scenario?: Scenario;
  /** true: the two cells must differ; a string: why they may not. */
  moves: true | string;
}

const AXES: Record<string, Entry> = {
  'server.OLLAMA_KEEP_ALIVE': { key: 'OLLAMA_KEEP_ALIVE', values: ['0', '30m'], moves: true },
  'server.OLLAMA_NUM_PARALLEL': { key: 'OLLAMA_NUM_PARALLEL', values: [1, 4], moves: true },
  'server.OLLAMA_MAX_LOADED_MODELS': { key: 'OLLAMA_MAX_LOADED_MODELS', values: [1, 0], moves: true },
  'server.OLLAMA_MAX_QUEUE': { key: 'OLLAMA_MAX_QUEUE', values: [1, 512], scenario: { server: { OLLAMA_MAX_LOADED_MODELS: 1 } }, moves: true },
  'server.OLLAMA_LOAD_TIMEOUT': { key: 'OLLAMA_LOAD_TIMEOUT', values: ['1m', '10m'], scenario: { faults: [{ kind: 'load_stall', model: 'own', from: '30m', until: '1h' }] }, moves: true },
  'server.OLLAMA_SCHED_SPREAD': { key: 'OLLAMA_SCHED_SPREAD', values: [false, true], scenario: { host: { count: 2 } }, moves: 'spreading moves memory between GPUs, not the totals the summary gives' },
  'server.OLLAMA_CONTEXT_LENGTH': { key: 'OLLAMA_CONTEXT_LENGTH', values: [0, 131072], moves: true },
  'server.OLLAMA_GPU_OVERHEAD': { key: 'OLLAMA_GPU_OVERHEAD', values: [0, 8 * 2 ** 30], moves: true },
  'server.OLLAMA_KV_CACHE_TYPE': { key: 'OLLAMA_KV_CACHE_TYPE', values: ['f16', 'q8_0'], moves: NOT_MODELLED['server.OLLAMA_KV_CACHE_TYPE']! },
  'server.OLLAMA_FLASH_ATTENTION': { key: 'OLLAMA_FLASH_ATTENTION', values: [false, true], moves: true },
  'server.version': { key: 'server.version', values: ['0.30.0', '0.6.8'], moves: true },
  'host.gpu': { key: 'host.gpu', values: ['rtx-4090', 'h100-sxm'], moves: true },
  'host.count': { key: 'host.count', values: [1, 2], moves: true },
  'host.vram': { key: 'host.vram', values: ['24GiB', '48GiB'], moves: true },
  'host.storage': { key: 'host.storage', values: ['nvme', 'hdd'], moves: true },
  'host.ram': { key: 'host.ram', values: ['64GiB', '2GiB'], moves: true },
  'host.runner_start': { key: 'host.runner_start', values: ['1s', '10s'], moves: true },
  'host.unified': { key: 'host.unified', values: [false, true], scenario: { host: { ram: '12GiB' } }, moves: true },
  'host.reserved': { key: 'host.reserved', values: ['0GiB', '12GiB'], moves: true },
  'host.unload': { key: 'host.unload', values: ['1s', '20s'], scenario: { server: { OLLAMA_MAX_LOADED_MODELS: 1 } }, moves: true },
  'models.*.tag': { key: 'models.llama3.1:8b.tag', values: ['llama3.1:8b', 'llama3.2:3b'], moves: true },
  'models.*.vram': { key: 'models.own.vram', values: ['10GiB', '20GiB'], moves: true },
  'models.*.load': { key: 'models.own.load', values: ['4s', '30s'], moves: true },
  'models.*.p': { key: 'models.own.p', values: ['10GiB', '23GiB'], moves: true },
  'models.*.keep_alive': { key: 'models.own.keep_alive', values: ['0', '1h'], moves: true },
  'models.*.key': { key: 'models.own.key', values: ['a-blob', 'z-blob'], moves: 'a runner key only orders victims of equal keep_alive, and this scenario has no such tie' },
  'models.*.load_fails_after': { key: 'models.own.load_fails_after', values: ['1s', '1h'], moves: true },
  'models.*.num_ctx': { key: 'models.llama3.1:8b.num_ctx', values: [2048, 65536], moves: true },
  'models.*.n_ctx_train': { key: 'models.llama3.1:8b.n_ctx_train', values: [2048, 131072], moves: true },
  'models.*.num_gpu': { key: 'models.llama3.1:8b.num_gpu', values: [-1, 0], moves: true },
  'models.*.layers': { key: 'models.own.layers', values: [20, 80], scenario: { models: { own: { num_gpu: 16, layers: 40 } } }, moves: true },
  'models.*.family': { key: 'models.llama3.1:8b.family', values: ['llama', 'mllama'], scenario: { server: { OLLAMA_NUM_PARALLEL: 4 } }, moves: true },
  'models.*.vision': { key: 'models.llama3.1:8b.vision', values: [false, true], scenario: { models: { 'llama3.1:8b': { num_ctx: 512 } } }, moves: true },
  'models.*.prefill_tps': { key: 'models.llama3.1:8b.prefill_tps', values: [100, 10000], moves: true },
  'models.*.decode_tps': { key: 'models.llama3.1:8b.decode_tps', values: [20, 200], moves: true },
  'retry.attempts': { key: 'retry.attempts', values: [1, 4], scenario: { retry: { attempts: 1, backoff: '5s' }, models: { own: { load_fails_after: '1s' } } }, moves: true },
  'retry.backoff': { key: 'retry.backoff', values: ['1s', '60s'], scenario: { retry: { attempts: 3, backoff: '5s' }, server: { OLLAMA_MAX_QUEUE: 1, OLLAMA_MAX_LOADED_MODELS: 1 } }, moves: true },
  'policy.eviction': { key: 'policy.eviction', values: ['ollama', 'cost'], scenario: THREE_MODELS(), moves: true },
  'fleet.hosts': { key: 'fleet.hosts', values: [1, 3], moves: true },
  'fleet.router': { key: 'fleet.router', values: ['round-robin', 'model-affinity'], scenario: { fleet: { hosts: 3 } }, moves: true },
  rate_scale: { key: 'rate_scale', values: [1, 2], moves: true },
};

/** A third model and room for two: which one Ollama evicts then depends on the order. */
function THREE_MODELS(): Scenario {
  return {
    server: { OLLAMA_KEEP_ALIVE: '30m' },
    models: { small: { vram: '4GiB', load: '20s' } },
    workload: { synthetic: { models: { small: { rate: '30/h', duration: 3 } } } },
  };
}

describe('every sweepable path: a sweep cell is `run` with the value written in', () => {
  test('the schema\'s paths are exactly the table\'s; each entry\'s key is its path', () => {
    expect(Object.keys(AXES).sort()).toEqual(sweepablePaths().sort());
    for (const [path, e] of Object.entries(AXES)) expect(axisPath(e.key)).toBe(path);
  });

  test('a sweep over a setting the simulator does not model says so', async () => {
    const sc = await loadScenario(writeScenario({ ...BASE, sweep: { OLLAMA_KV_CACHE_TYPE: ['f16', 'q8_0'] } }));
    expect(sc.warnings).toEqual([expect.stringMatching(/sweeping OLLAMA_KV_CACHE_TYPE: the KV cache type is accepted but not modelled/)]);
  });

  test.each(sweepablePaths())('%s', async (path) => {
    const e = AXES[path];
    if (!e) throw new Error(`no metamorphic entry for the sweepable path ${path}: add one to AXES`);
    const s = e.scenario ? (deepMerge(BASE, e.scenario) as Scenario) : BASE;
    const cells = [...(await sweepCells(s, e.key, e.values)).values()];
    expect(cells).toHaveLength(e.values.length);
    for (const [i, v] of e.values.entries()) {
      const [ran] = await runSummaries(withValue(s, e.key, v));
      expect(figures(cells[i]!), `${e.key}=${String(v)}`).toEqual(figures(ran!));
    }
    if (e.moves === true) expect(figures(cells[0]!)).not.toEqual(figures(cells[1]!));
  }, 60_000);
});

/** Every cell of a sweep run through the loader (the sweep's own expansion), with its events. */
async function sweepEvents(s: Scenario, key: string, values: unknown[]) {
  const sc = await loadScenario(writeScenario({ ...s, sweep: { [key]: values } }));
  return sc.candidates.map((c) => {
    const routes: number[] = [];
    const [r] = runScenario({ ...sc, candidates: [c] }, {
      events: () => ({ event: (_t, kind, _m, _r, _why, v) => { if (kind === EventKind.route) routes.push(v); } }),
    });
    return { summary: r!.summary, routes };
  });
}

describe('what each axis must do', () => {
  test('a longer keep_alive never adds loads on a one-model trace', async () => {
    const one = { ...BASE, models: { own: { vram: '10GiB', load: '4s' } }, workload: { synthetic: { length: '6h', models: { own: { rate: '20/h', duration: 5 } } } } };
    const cells = [...(await sweepCells(one, 'OLLAMA_KEEP_ALIVE', ['0', '30s', '2m', '10m', '1h', '-1'])).values()];
    const loads = cells.map((c) => c.loads);
    expect(loads).toEqual([...loads].sort((a, b) => b - a));
    expect(loads[0]).toBeGreaterThan(loads[loads.length - 1]!);
  }, 60_000);

  test('a larger rate_scale never lowers the request count (the seeded draws are shared across values)', async () => {
    const cells = [...(await sweepCells(BASE, 'rate_scale', [0.3, 0.5, 0.9, 1, 1.2, 1.9, 2, 3.5])).values()];
    const requests = cells.map((c) => c.requests);
    expect(requests).toEqual([...requests].sort((a, b) => a - b));
    expect(requests[0]).toBeLessThan(requests[requests.length - 1]!);
  }, 60_000);

  test('more hosts lower the load on the busiest host', async () => {
    const [one, three] = await sweepEvents({ ...BASE, fleet: { hosts: 1, router: 'round-robin' } }, 'fleet.hosts', [1, 3]);
    expect(one!.routes).toEqual([]); // one server: no router
    const perHost = [0, 1, 2].map((h) => three!.routes.filter((x) => x === h).length);
    expect(Math.max(...perHost)).toBeLessThan(three!.routes.length);
    expect(Math.min(...perHost)).toBeGreaterThan(0);
  }, 60_000);

  test('another router changes the route events', async () => {
    const [rr, affinity] = await sweepEvents({ ...BASE, fleet: { hosts: 3 } }, 'fleet.router', ['round-robin', 'model-affinity']);
    expect(rr!.routes.length).toBe(affinity!.routes.length);
    expect(rr!.routes).not.toEqual(affinity!.routes);
  }, 60_000);
});
