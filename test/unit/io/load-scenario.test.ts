import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { InputError, msg, type Message } from '../../../src/diag/index.js';
import { loadScenario } from '../../../src/io/load-scenario.js';
import { FOREVER, INVALID } from '../../../src/ollama/keep-alive.js';

const GiB = 2 ** 30;

function files(map: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-load-'));
  for (const [name, text] of Object.entries(map)) writeFileSync(join(dir, name), text);
  return dir;
}

async function load(yaml: string, extra: Record<string, string> = {}) {
  const dir = files({ 's.yaml': yaml, ...extra });
  return { file: join(dir, 's.yaml'), dir, sc: await loadScenario(join(dir, 's.yaml')) };
}

/** Expects exactly one line FILE:LINE: field: problem (hint). */
async function fails(yaml: string, line: number, field: string, m: Message, extra: Record<string, string> = {}, inFile = 's.yaml') {
  const dir = files({ 's.yaml': yaml, ...extra });
  const err = await loadScenario(join(dir, 's.yaml')).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(InputError);
  const text = `${join(dir, inFile)}:${line}: ${field}: ${m[0]}${m[1] ? ` (${m[1]})` : ''}`;
  expect((err as InputError).message).toBe(text);
  expect((err as InputError).message).not.toContain('\n');
}

const HEAD = `name: t
host: { gpus: [ { vram: 24GiB } ], unload: 1s }
models:
  llama3.1:8b: { vram: 6.2GiB, load: 8s }
  phi3:mini: { vram: 3GB, load: 4s, key: phi-blob, keep_alive: 10m }
`;

describe('scenario loading', () => {
  test('units, defaults and the sole candidate', async () => {
    const { sc } = await load(`${HEAD}workload: { requests: [ { at: 0, model: phi3:mini, duration: 1.5 } ] }\n`);
    expect(sc.modelNames).toEqual(['llama3.1:8b', 'phi3:mini']);
    expect(sc.candidates).toHaveLength(1);
    const c = sc.candidates[0]!;
    expect(c.name).toBe('t');
    expect(c.host).toMatchObject({ gpus: [24 * GiB], unload: 1e6, storage: 'nvme', link: 25e9 });
    expect(c.models[0]).toMatchObject({ vram: Math.round(6.2 * GiB), p: Math.round(6.2 * GiB), load: 8e6, key: 'llama3.1:8b' });
    expect(c.models[0]!.keepAlive).toBeNaN();
    expect(c.models[1]).toMatchObject({ vram: 3e9, key: 'phi-blob', keepAlive: 600e6 });
    expect(sc.horizon).toBe(24 * 3600e6);
    expect(sc.trace.length).toBe(1);
    expect(sc.trace.duration[0]).toBe(1.5e6);
  });

  test('candidates override parts of the scenario; arrays replace; null keep_alive means absent', async () => {
    const { sc } = await load(`${HEAD}server: { OLLAMA_KEEP_ALIVE: 5m, OLLAMA_NUM_PARALLEL: 2 }
workload: { requests: [ { at: 0, model: phi3:mini, duration: 1 } ] }
candidates:
  - { name: a }
  - { name: b, server: { OLLAMA_KEEP_ALIVE: "-1" }, host: { gpus: [ { vram: 80GiB }, { vram: 80GiB } ] }, models: { phi3:mini: { keep_alive: null, vram: 4GiB } } }
`);
    const [a, b] = sc.candidates;
    expect(a!.server).toEqual({ OLLAMA_KEEP_ALIVE: '5m', OLLAMA_NUM_PARALLEL: 2 });
    expect(b!.server).toEqual({ OLLAMA_KEEP_ALIVE: '-1', OLLAMA_NUM_PARALLEL: 2 });
    expect(b!.host).toMatchObject({ gpus: [80 * GiB, 80 * GiB], unload: 1e6 });
    expect(b!.models[1]!.keepAlive).toBeNaN();
    expect(b!.models[1]!.vram).toBe(4 * GiB);
    expect(b!.models[1]!.p).toBe(4 * GiB);
    expect(a!.models[1]!.keepAlive).toBe(600e6);
  });

  test('a CSV trace next to the scenario; ids default to the 1-based position; CRLF and BOM', async () => {
    const { sc } = await load(`${HEAD}workload: { trace: t.csv }\n`, {
      't.csv': '\uFEFFat,model,duration,keep_alive,id\r\n0,phi3:mini,1,,\r\n1.5,llama3.1:8b,2,-1,x\r\n2,llama3.1:8b,2,5m,\r\n3,llama3.1:8b,2,"300",\r\n',
    });
    expect(sc.trace.length).toBe(4);
    expect(Array.from(sc.trace.at)).toEqual([0, 1.5e6, 2e6, 3e6]);
    expect(sc.trace.keepAlive![0]).toBeNaN();
    expect(sc.trace.keepAlive![1]).toBe(FOREVER);
    expect(sc.trace.keepAlive![2]).toBe(300e6);
    expect(sc.trace.keepAlive![3]).toBe(300e6); // a CSV cell that reads as a number is a number
    expect(sc.trace.ids?.[1]).toBe('x');
    expect(sc.trace.ids?.[0] ?? null).toBeNull();
  });

  test('§3 keep_alive a client sends: "300" (no unit) is Ollama\'s 400, counted in a warning, not an input error', async () => {
    const { sc } = await load(`${HEAD}workload:
  requests:
    - { at: 0, model: phi3:mini, duration: 1, keep_alive: "300" }
    - { at: 1, model: phi3:mini, duration: 1, keep_alive: -1 }
    - { at: 2, model: phi3:mini, duration: 1, keep_alive: 0 }
`);
    expect(Array.from(sc.trace.keepAlive!)).toEqual([INVALID, FOREVER, 0]);
    expect(sc.warnings.join('\n')).toMatch(/1 request\(s\) carry a keep_alive Ollama rejects.*s\.yaml:8/);
  });

  test('an invalid OLLAMA_* value is what Ollama silently ignores: a warning, not an error', async () => {
    const { sc } = await load(`${HEAD}server: { OLLAMA_KEEP_ALIVE: 1d }
workload: { requests: [ { at: 0, model: phi3:mini, duration: 1 } ] }
`);
    expect(sc.warnings).toHaveLength(1);
    expect(sc.warnings[0]).toMatch(/OLLAMA_KEEP_ALIVE: "1d" is neither a Go duration nor whole seconds/);
  });

  test('a JSON scenario works the same way', async () => {
    const dir = files({ 's.json': JSON.stringify({ host: { gpus: [] }, models: { a: { vram: '1GiB', load: 1 } }, workload: { requests: [{ at: 0, model: 'a', duration: 1 }] } }) });
    const sc = await loadScenario(join(dir, 's.json'));
    expect(sc.name).toBe('s');
    expect(sc.candidates[0]!.host.gpus).toEqual([]);
  });
});

describe('bad input: one line, FILE:LINE: field: problem (hint)', () => {
  const REQ = 'workload: { requests: [ { at: 0, model: phi3:mini, duration: 1 } ] }\n';

  test('YAML syntax', async () => {
    const dir = files({ 's.yaml': 'name: t\nhost: { gpus: [ }\n' });
    const err = (await loadScenario(join(dir, 's.yaml')).catch((e) => e)) as InputError;
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(new RegExp(`^${join(dir, 's.yaml')}:2: \\(yaml\\): YAML syntax error: `));
  });

  test('unknown key, with the near name (OLLAMA_KEEPALIVE → OLLAMA_KEEP_ALIVE)', async () => {
    await fails(`${HEAD}server:\n  OLLAMA_KEEPALIVE: 5m\n${REQ}`, 7, 'server.OLLAMA_KEEPALIVE',
      msg.unknownKey('OLLAMA_KEEPALIVE', []).slice(0, 1).concat('did you mean OLLAMA_KEEP_ALIVE?') as Message);
    await fails(`${HEAD.replace('vram: 6.2GiB', 'vrma: 6.2GiB')}${REQ}`, 4, 'models.llama3.1:8b.vrma',
      ['unknown field "vrma"', 'did you mean vram?']);
  });

  test('missing field', async () => {
    await fails(`${HEAD.replace('llama3.1:8b: { vram: 6.2GiB, load: 8s }', 'my-model: { vram: 6.2GiB }')}${REQ}`, 4, 'models.my-model.load', msg.missing());
    await fails(`${HEAD.replace('llama3.1:8b: { vram: 6.2GiB, load: 8s }', 'lama3.1:8b: { load: 8s }')}${REQ}`, 4, 'models.lama3.1:8b',
      msg.notInCatalogue('lama3.1:8b', ['llama3.1:8b']));
    await fails(`${HEAD}workload: { requests: [ { at: 0, model: phi3:mini } ] }\n`, 6, 'workload.requests[0]', msg.durationRequired());
  });

  test('negative and non-numeric times', async () => {
    await fails(`${HEAD}workload: { requests: [ { at: -1, model: phi3:mini, duration: 1 } ] }\n`, 6, 'workload.requests[0].at', msg.negative('-1'));
    await fails(`${HEAD}workload: { trace: t.csv }\n`, 3, 'at', msg.notNumber('soon'), { 't.csv': 'at,model,duration\n0,phi3:mini,1\nsoon,phi3:mini,1\n' }, 't.csv');
  });

  test('a model the scenario does not define, with the near name', async () => {
    await fails(`${HEAD}workload: { requests: [ { at: 0, model: "phi3:mni", duration: 1 } ] }\n`, 6, 'workload.requests[0].model',
      msg.unknownModel('phi3:mni', ['llama3.1:8b', 'phi3:mini']));
    await fails(`${HEAD}warm: [ llama3:8b ]\n${REQ}`, 6, 'warm[0]', msg.unknownModel('llama3:8b', ['llama3.1:8b', 'phi3:mini']));
  });

  test('arrivals out of order (inline and CSV)', async () => {
    await fails(`${HEAD}workload:\n  requests:\n    - { at: 5, model: phi3:mini, duration: 1 }\n    - { at: 4, model: phi3:mini, duration: 1 }\n`,
      9, 'workload.requests[1].at', msg.outOfOrder(4, 5));
    await fails(`${HEAD}workload: { trace: t.csv }\n`, 4, 'at', msg.outOfOrder(1, 2), { 't.csv': 'at,model,duration\n0,phi3:mini,1\n2,phi3:mini,1\n1,phi3:mini,1\n' }, 't.csv');
  });

  test('bad size and duration units', async () => {
    await fails(`${HEAD.replace('6.2GiB', '6.2')}${REQ}`, 4, 'models.llama3.1:8b.vram', msg.badSize('6.2'));
    await fails(`${HEAD.replace('6.2GiB', '6.2GX')}${REQ}`, 4, 'models.llama3.1:8b.vram', msg.badSize('6.2GX'));
    await fails(`${HEAD.replace('load: 8s', 'load: 8 sec')}${REQ}`, 4, 'models.llama3.1:8b.load', msg.badDuration('8 sec'));
    await fails(`${HEAD.replace('unload: 1s', 'unload: -1s')}${REQ}`, 2, 'host.unload', msg.negative('-1s'));
  });

  test('unknown CSV column, missing column, CSV syntax', async () => {
    await fails(`${HEAD}workload: { trace: t.csv }\n`, 1, 'modle', msg.unknownColumn('modle', ['id', 'at', 'model', 'duration', 'keep_alive', 'num_ctx', 'timeout', 'op']),
      { 't.csv': 'at,modle,duration\n0,phi3:mini,1\n' }, 't.csv');
    await fails(`${HEAD}workload: { trace: t.csv }\n`, 1, 'duration', msg.missingColumn('duration'), { 't.csv': 'at,model\n0,phi3:mini\n' }, 't.csv');
  });

  test('a missing trace file', async () => {
    await fails(`${HEAD}workload: { trace: nope.csv }\n`, 1, '(file)', msg.cannotRead('ENOENT'), {}, 'nope.csv');
  });

  test('duplicate candidate names; a candidate overriding an undefined model', async () => {
    await fails(`${HEAD}${REQ}candidates:\n  - { name: a }\n  - { name: a }\n`, 9, 'candidates[1].name', msg.duplicateCandidate('a'));
    await fails(`${HEAD}${REQ}candidates:\n  - { name: a, models: { phi: { load: 1s } } }\n`, 8, 'candidates[0].models.phi',
      msg.unknownModel('phi', ['llama3.1:8b', 'phi3:mini']));
  });

  test('a model keep_alive without a unit is a scenario mistake', async () => {
    await fails(`${HEAD.replace('keep_alive: 10m', 'keep_alive: "600"')}${REQ}`, 5, 'models.phi3:mini.keep_alive', msg.unitlessKeepAlive('600'));
  });

  test('wrong types and bad ops', async () => {
    await fails(`${HEAD}workload: { requests: [ { at: 0, model: phi3:mini, duration: 1, op: load } ] }\n`, 6, 'workload.requests[0].op', msg.badOp('load'));
    await fails(`${HEAD.replace('gpus: [ { vram: 24GiB } ]', 'gpus: 24GiB')}${REQ}`, 2, 'host.gpus', msg.wrongType('a list', '"24GiB"'));
  });
});
