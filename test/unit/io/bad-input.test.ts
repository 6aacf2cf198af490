import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, test } from 'vitest';
import { msg } from '../../../src/diag/index.js';
import { REQUEST_FIELDS } from '../../../src/config/request-rows.js';
import { loadScenario } from '../../../src/io/load-scenario.js';
import { failure, fails, files, HEAD, MODELS, REQ } from './fixture.js';

/** One test per class of mistake: the exact line FILE:LINE: field: problem (hint), and nothing else. */
describe('bad scenario files', () => {
  test('file errors in words, with no made-up line: a missing file, a folder, an empty file', async () => {
    const dir = files({ 'empty.yaml': '', 'blank.yaml': '\n  \n', 'sub/x': '' });
    const error = async (f: string) => ((await loadScenario(join(dir, f)).catch((e: unknown) => e)) as Error).message;
    expect(await error('nope.yaml')).toBe(`${join(dir, 'nope.yaml')}: no such file`);
    expect(await error('sub')).toBe(`${join(dir, 'sub')}: is a directory (give a file)`);
    expect(await error('empty.yaml')).toBe(`${join(dir, 'empty.yaml')}: file is empty`);
    expect(await error('blank.yaml')).toBe(`${join(dir, 'blank.yaml')}: file is empty`);
  });

  test('YAML syntax, at the line the parser names', async () => {
    const text = 'name: t\nhost: { gpus: [ }\n';
    const detail = parseDocument(text, { prettyErrors: false }).errors[0]!.message.split('\n')[0]!;
    await fails(text, 2, '(yaml)', msg.yamlSyntax(detail));
  });

  test('duplicate keys are a YAML error', async () => {
    await fails(`${HEAD}  phi3:mini: { vram: 1GB, load: 1s }\n${REQ}`, 6, '(yaml)', msg.yamlSyntax('Map keys must be unique'));
  });

  test('an alias with no anchor, at its line', async () => {
    await fails(`${HEAD}warm: [ *phi ]\n${REQ}`, 6, '(yaml)', msg.yamlSyntax('Unresolved alias (the anchor must be set before the alias): phi'));
  });

  test('not a mapping', async () => {
    await fails('- a\n- b\n', 1, '(scenario)', msg.notAnObject());
  });

  test('§2 unknown key, with the near name (OLLAMA_KEEPALIVE → OLLAMA_KEEP_ALIVE, vrma → vram, candidate → candidates)', async () => {
    await fails(`${HEAD}server:\n  OLLAMA_KEEPALIVE: 5m\n${REQ}`, 7, 'server.OLLAMA_KEEPALIVE', ['unknown field "OLLAMA_KEEPALIVE"', 'did you mean OLLAMA_KEEP_ALIVE?']);
    await fails(`${HEAD.replace('vram: 6.2GiB', 'vrma: 6.2GiB')}${REQ}`, 4, 'models.llama3.1:8b.vrma', ['unknown field "vrma"', 'did you mean vram?']);
    await fails(`${HEAD}${REQ}candidate: []\n`, 7, 'candidate', ['unknown field "candidate"', 'did you mean candidates?']);
    await fails(`${HEAD}${REQ}candidates: [ { name: a, server: { OLLAMA_NUMPARALLEL: 2 } } ]\n`, 7, 'candidates[0].server.OLLAMA_NUMPARALLEL',
      ['unknown field "OLLAMA_NUMPARALLEL"', 'did you mean OLLAMA_NUM_PARALLEL?']);
    await fails(`${HEAD}workload: { requests: [ { at: 0, model: phi3:mini, duration: 1, tiemout: 3 } ] }\n`, 6, 'workload.requests[0].tiemout',
      msg.unknownKey('tiemout', REQUEST_FIELDS));
  });

  test('missing fields', async () => {
    await fails(`${HEAD.replace('llama3.1:8b: { vram: 6.2GiB, load: 8s }', 'my-model: { vram: 6.2GiB }')}${REQ}`, 4, 'models.my-model.load', msg.missing());
    await fails(HEAD, 1, 'workload', msg.missing());
    await fails(`${HEAD}workload: {}\n`, 6, 'workload', msg.noWorkload());
    await fails(`${HEAD}workload: { requests: [ { at: 0, model: phi3:mini } ] }\n`, 6, 'workload.requests[0]', msg.durationRequired());
    await fails(`${HEAD}workload: { requests: [ { model: phi3:mini, duration: 1 } ] }\n`, 6, 'workload.requests[0]', msg.missing());
  });

  test('wrong types', async () => {
    await fails(`${HEAD.replace('gpus: [ { vram: 24GiB } ]', 'gpus: 24GiB')}${REQ}`, 2, 'host.gpus', msg.wrongType('a list', '"24GiB"'));
    await fails(`seed: one\n${HEAD}${REQ}`, 1, 'seed', msg.wrongType('a number', '"one"'));
  });

  test('bad size units; a bare number other than 0 has no unit', async () => {
    await fails(`${HEAD.replace('6.2GiB', '6.2')}${REQ}`, 4, 'models.llama3.1:8b.vram', msg.sizeNoUnit('6.2'));
    await fails(`${HEAD.replace('24GiB', '"24"')}${REQ}`, 2, 'host.gpus[0].vram', msg.sizeNoUnit('24'));
    await fails(`${HEAD.replace('6.2GiB', '6.2GX')}${REQ}`, 4, 'models.llama3.1:8b.vram', msg.badSize('6.2GX'));
    await fails(`${HEAD.replace('6.2GiB', '-1GiB')}${REQ}`, 4, 'models.llama3.1:8b.vram', msg.badSize('-1GiB'));
  });

  test('bad duration units; negative durations', async () => {
    await fails(`${HEAD.replace('load: 8s', 'load: 8 sec')}${REQ}`, 4, 'models.llama3.1:8b.load', msg.badDuration('8 sec'));
    await fails(`horizon: 1 day\n${HEAD}${REQ}`, 1, 'horizon', msg.badDuration('1 day'));
    await fails(`${HEAD.replace('unload: 1s', 'unload: -1s')}${REQ}`, 2, 'host.unload', msg.negative('-1s'));
    await fails(`horizon: -5\n${HEAD}${REQ}`, 1, 'horizon', msg.negative('-5'));
  });

  test('§3 a model or warm keep_alive without a unit is a scenario mistake (Ollama would answer 400)', async () => {
    await fails(`${HEAD.replace('keep_alive: 10m', 'keep_alive: "600"')}${REQ}`, 5, 'models.phi3:mini.keep_alive', msg.unitlessKeepAlive('600'));
    expect(msg.unitlessKeepAlive('300')).toEqual(['"300" has no unit; Ollama would answer 400 "missing unit in duration"', 'write 300 as a number or "300s"']);
    await fails(`${HEAD}warm:\n  - { model: phi3:mini, keep_alive: "-1" }\n${REQ}`, 7, 'warm[0].keep_alive', msg.unitlessKeepAlive('-1'));
    await fails(`${HEAD.replace('keep_alive: 10m', 'keep_alive: 10 minutes')}${REQ}`, 5, 'models.phi3:mini.keep_alive', msg.badKeepAlive('"10 minutes"'));
  });

  test('a model the scenario does not define, with the near name', async () => {
    await fails(`${HEAD}workload: { requests: [ { at: 0, model: "phi3:mni", duration: 1 } ] }\n`, 6, 'workload.requests[0].model', msg.unknownModel('phi3:mni', MODELS));
    expect(msg.unknownModel('phi3:mni', MODELS)[1]).toBe('did you mean phi3:mini?');
    await fails(`${HEAD}warm: [ llama3:8b ]\n${REQ}`, 6, 'warm[0]', msg.unknownModel('llama3:8b', MODELS));
    await fails(`${HEAD}warm: [ phi3:mini, phi3:mini ]\n${REQ}`, 6, 'warm[1]', msg.warmDuplicate('phi3:mini'));
  });

  test('inline requests: negative, non-numeric and infinite times, bad op, num_ctx and timeout', async () => {
    const req = (fields: string) => `${HEAD}workload: { requests: [ { model: phi3:mini, ${fields} } ] }\n`;
    await fails(req('at: -1, duration: 1'), 6, 'workload.requests[0].at', msg.negative('-1'));
    await fails(req('at: soon, duration: 1'), 6, 'workload.requests[0].at', msg.notNumber('soon'));
    await fails(req('at: .inf, duration: 1'), 6, 'workload.requests[0].at', msg.notFinite('Infinity'));
    await fails(req('at: 0, duration: -2'), 6, 'workload.requests[0].duration', msg.negative('-2'));
    await fails(req('at: 0, duration: 1, op: load'), 6, 'workload.requests[0].op', msg.badOp('load'));
    await fails(req('at: 0, duration: 1, num_ctx: 1.5'), 6, 'workload.requests[0].num_ctx', msg.notPositiveInt('1.5'));
    await fails(req('at: 0, duration: 1, timeout: 0'), 6, 'workload.requests[0].timeout', msg.zeroTimeout('0'));
  });

  test('inline arrivals out of order, at the request\'s line', async () => {
    await fails(`${HEAD}workload:\n  requests:\n    - { at: 5, model: phi3:mini, duration: 1 }\n    - { at: 4, model: phi3:mini, duration: 1 }\n`,
      9, 'workload.requests[1].at', msg.outOfOrder(4, 5));
  });

  test('candidates: duplicate or empty names, an undefined model, a bad value at the candidate\'s line', async () => {
    await fails(`${HEAD}${REQ}candidates:\n  - { name: a }\n  - { name: a }\n`, 9, 'candidates[1].name', msg.duplicateCandidate('a'));
    await fails(`${HEAD}${REQ}candidates:\n  - { name: " " }\n`, 8, 'candidates[0].name', msg.emptyName());
    await fails(`${HEAD}${REQ}candidates:\n  - { name: a, models: { phi: { load: 1s } } }\n`, 8, 'candidates[0].models.phi', msg.unknownModel('phi', MODELS));
    await fails(`${HEAD}${REQ}candidates:\n  - name: a\n    host: { unload: 1 fortnight }\n`, 9, 'candidates[0].host.unload', msg.badDuration('1 fortnight'));
  });

  test('every message is one line, even for control characters in a value', async () => {
    const { err } = await failure(`${HEAD}workload: { requests: [ { at: 0, model: "a\\nb", duration: 1 } ] }\n`);
    expect(err.message).not.toContain('\n');
    expect(err.message).toContain('a\\u000ab');
  });
});
