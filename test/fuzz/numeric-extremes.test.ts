/**
 * Numeric extremes in every numeric field (issue 13): ±0, subnormals, ±1e308,
 * ±Infinity, NaN, 2^53 and its neighbours, fractions where whole numbers are
 * due. Each either loads and then runs to the end with every request counted
 * once, or is one FILE:LINE line — never another exception, a hang, or a run
 * that loses a request.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { InputError } from '../../src/diag/index.js';
import { loadScenario } from '../../src/io/load-scenario.js';
import { runScenario } from '../../src/sim/run-scenario.js';

const EXTREMES = [0, -0, 5e-324, -5e-324, 1e308, -1e308, Infinity, -Infinity, NaN, 2 ** 53, -(2 ** 53), 2 ** 53 + 2, 1.5, 1e9 + 1, -1];
const dir = mkdtempSync(join(tmpdir(), 'ollamasim-extremes-'));
writeFileSync(join(dir, 't.csv'), 'at,model,duration\n0,a,1\n5,b,2\n');

// Loosely typed on purpose: the test writes any value into any field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>;
const base = (): Doc => ({
  seed: 1,
  host: { gpus: [{ vram: '24GiB' }], unload: '1s' },
  models: { a: { vram: '5GiB', load: '2s', prefill_tps: 1000, decode_tps: 100 }, b: { vram: '6GiB', load: '3s' } },
  workload: { requests: [{ at: 0, model: 'a', duration: 1 }, { at: 3, model: 'b', duration: 2, prompt_tokens: 10 }, { at: 9, model: 'a', prompt_tokens: 100, output_tokens: 10 }] } as Record<string, unknown>,
  candidates: [{ name: 'c1' }],
});
const synthetic = { synthetic: { length: '2h', models: { a: { rate: '10/h', duration: 1 } }, users: { count: 2, models: ['a', 'b'], think_time: '10m', duration: 1 } } };
const sources = { sources: [{ file: 't.csv', format: 'ollamasim' }] };

/** Every numeric field, by the path that sets it (on the scenario that has it). */
const FIELDS: [string, (d: Doc, v: number) => void][] = [
  ['seed', (d, v) => { d.seed = v; }],
  ['horizon', (d, v) => { (d as Record<string, unknown>).horizon = v; }],
  ['warmup', (d, v) => { (d as Record<string, unknown>).warmup = v; }],
  ['rate_scale', (d, v) => { (d as Record<string, unknown>).rate_scale = v; }],
  ['host.unload', (d, v) => { d.host.unload = v as never; }],
  ['host.runner_start', (d, v) => { (d.host as Record<string, unknown>).runner_start = v; }],
  ['host.count', (d, v) => { Object.assign(d.host, { gpus: undefined, gpu: 'rtx-4090', count: v }); }],
  ['models.a.load', (d, v) => { d.models.a.load = v as never; }],
  ['models.a.load_fails_after', (d, v) => { (d.models.a as Record<string, unknown>).load_fails_after = v; }],
  ['models.a.keep_alive', (d, v) => { (d.models.a as Record<string, unknown>).keep_alive = v; }],
  ['models.a.num_ctx', (d, v) => { (d.models.a as Record<string, unknown>).num_ctx = v; }],
  ['models.a.n_ctx_train', (d, v) => { (d.models.a as Record<string, unknown>).n_ctx_train = v; }],
  ['models.a.num_gpu', (d, v) => { (d.models.a as Record<string, unknown>).num_gpu = v; }],
  ['models.a.prefill_tps', (d, v) => { d.models.a.prefill_tps = v; }],
  ['models.a.decode_tps', (d, v) => { d.models.a.decode_tps = v; }],
  ['warm[0].keep_alive', (d, v) => { (d as Record<string, unknown>).warm = [{ model: 'a', keep_alive: v }]; }],
  ['fleet.hosts', (d, v) => { (d as Record<string, unknown>).fleet = { hosts: v }; }],
  ['retry.attempts', (d, v) => { (d as Record<string, unknown>).retry = { attempts: v, backoff: '1s' }; }],
  ['retry.backoff', (d, v) => { (d as Record<string, unknown>).retry = { attempts: 3, backoff: v }; }],
  ['faults[0].at', (d, v) => { (d as Record<string, unknown>).faults = [{ kind: 'restart', at: v }]; }],
  ['faults[0].after', (d, v) => { (d as Record<string, unknown>).faults = [{ kind: 'load_crash', model: 'a', after: v }]; }],
  ['candidates[0].rate_scale', (d, v) => { Object.assign(d.candidates[0]!, { rate_scale: v }); }],
  ['server.OLLAMA_NUM_PARALLEL', (d, v) => { (d as Record<string, unknown>).server = { OLLAMA_NUM_PARALLEL: v }; }],
  ['server.OLLAMA_MAX_QUEUE', (d, v) => { (d as Record<string, unknown>).server = { OLLAMA_MAX_QUEUE: v }; }],
  ['server.OLLAMA_KEEP_ALIVE', (d, v) => { (d as Record<string, unknown>).server = { OLLAMA_KEEP_ALIVE: v }; }],
  ['server.OLLAMA_MAX_LOADED_MODELS', (d, v) => { (d as Record<string, unknown>).server = { OLLAMA_MAX_LOADED_MODELS: v }; }],
  ...(['at', 'duration', 'timeout', 'num_ctx', 'keep_alive', 'prompt_tokens', 'output_tokens'] as const).map((f): [string, (d: Doc, v: number) => void] =>
    [`workload.requests[1].${f}`, (d, v) => { ((d.workload.requests as Record<string, unknown>[])[1]!)[f] = v; }]),
  ...(['rate', 'duration', 'cv', 'peak_hour', 'trough'] as const).map((f): [string, (d: Doc, v: number) => void] =>
    [`workload.synthetic.models.a.${f}`, (d, v) => { d.workload = structuredClone(synthetic); Object.assign(d.workload.synthetic.models.a, { [f]: v, ...(f === 'cv' ? { process: 'gamma' } : {}) }); }]),
  ['workload.synthetic.length', (d, v) => { d.workload = structuredClone(synthetic); d.workload.synthetic.length = v as never; }],
  ['workload.synthetic.models.a.profile[0]', (d, v) => { d.workload = structuredClone(synthetic); Object.assign(d.workload.synthetic.models.a, { profile: [v, ...Array(23).fill(1)] }); }],
  ['workload.synthetic.models.a.duration.median', (d, v) => { d.workload = structuredClone(synthetic); Object.assign(d.workload.synthetic.models.a, { duration: { median: v, p95: 10 } }); }],
  ['workload.synthetic.models.a.on', (d, v) => { d.workload = structuredClone(synthetic); Object.assign(d.workload.synthetic.models.a, { process: 'onoff', on: v }); }],
  ...(['count', 'think_time', 's'] as const).map((f): [string, (d: Doc, v: number) => void] =>
    [`workload.synthetic.users.${f}`, (d, v) => { d.workload = structuredClone(synthetic); Object.assign(d.workload.synthetic.users, { [f]: v }); }]),
  ...(['time_scale', 'rate_scale'] as const).map((f): [string, (d: Doc, v: number) => void] =>
    [`workload.sources[0].${f}`, (d, v) => { d.workload = structuredClone(sources); Object.assign(d.workload.sources[0]!, { [f]: v }); }]),
  ['workload.sources[0].window.start', (d, v) => { d.workload = structuredClone(sources); Object.assign(d.workload.sources[0]!, { window: { start: v } }); }],
  ['workload.sources[0].split.s', (d, v) => { d.workload = structuredClone(sources); Object.assign(d.workload.sources[0]!, { split: { models: ['a', 'b'], s: v } }); }],
];

async function outcome(doc: Doc): Promise<'ran' | InputError> {
  writeFileSync(join(dir, 's.yaml'), stringify(doc));
  let sc;
  try {
    sc = await loadScenario(join(dir, 's.yaml'));
  } catch (e) {
    if (!(e instanceof InputError)) throw e; // anything else is a bug
    return e;
  }
  // Whatever loads also runs, to the end, every request counted once.
  for (const r of runScenario(sc)) {
    const s = r.summary;
    const ended = s.ok + s.rejected_503 + s.rejected_400 + s.failed_500 + s.cancelled + s.stuck;
    expect(ended).toBe(s.requests);
  }
  return 'ran';
}

describe('numeric extremes in every numeric field', () => {
  test.each(FIELDS)('%s', async (_name, set) => {
    for (const v of EXTREMES) {
      const doc = base();
      set(doc, v);
      const r = await outcome(doc).catch((e: unknown) => { throw new Error(`${_name} = ${v}: ${String(e)}`); });
      if (r !== 'ran') {
        expect(r.message, `${_name} = ${v}`).not.toContain('\n');
        expect(r.message).toMatch(/^[^:]+:\d+: /);
      }
    }
  });

  test('the values beyond every range are refused, not run: 1e308 and Infinity in a time field', async () => {
    for (const f of ['horizon', 'workload.requests[1].at', 'workload.requests[1].duration', 'models.a.load']) {
      for (const v of [1e308, Infinity]) {
        const doc = base();
        FIELDS.find(([n]) => n === f)![1](doc, v);
        expect(await outcome(doc), `${f} = ${v}`).toBeInstanceOf(InputError);
      }
    }
  });
});
