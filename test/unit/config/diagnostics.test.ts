import { describe, expect, test } from 'vitest';
import { formatDiagnostic, InputError, msg, nearest } from '../../../src/diag/index.js';
import { SERVER_ENV_NAMES } from '../../../src/ollama/envconfig.js';

describe('one-line diagnostics', () => {
  test('FILE:LINE: field: problem (hint), and without a hint', () => {
    const d = { file: 's.yaml', line: 4, field: 'models.llama3.1:8b.vram', problem: '"6.2GX" is not a size', hint: 'write a unit' };
    expect(formatDiagnostic(d)).toBe('s.yaml:4: models.llama3.1:8b.vram: "6.2GX" is not a size (write a unit)');
    expect(formatDiagnostic({ ...d, hint: undefined })).toBe('s.yaml:4: models.llama3.1:8b.vram: "6.2GX" is not a size');
  });

  test('InputError carries file, line and field; its message is the formatted line', () => {
    const e = new InputError({ file: 't.csv', line: 3, field: 'at', problem: msg.notNumber('soon')[0], hint: msg.notNumber('soon')[1] });
    expect(e).toBeInstanceOf(Error);
    expect([e.file, e.line, e.field, e.name]).toEqual(['t.csv', 3, 'at', 'InputError']);
    expect(e.message).toBe('t.csv:3: at: "soon" is not a number (seconds, e.g. 12.5)');
  });

  test('user text stays on one line and readable: control characters escaped, long values shortened', () => {
    const line = formatDiagnostic({ file: 'f', line: 1, field: 'a\nb', problem: 'x'.repeat(1000) });
    expect(line).not.toContain('\n');
    expect(line).toContain('a\\u000ab');
    expect(line.length).toBeLessThan(400);
  });
});

describe('did you mean: the nearest allowed name, or none', () => {
  test.each([
    ['OLLAMA_KEEPALIVE', SERVER_ENV_NAMES, 'OLLAMA_KEEP_ALIVE'],
    ['ollama_keep_alive', SERVER_ENV_NAMES, 'OLLAMA_KEEP_ALIVE'],
    ['OLLAMA_MAX_LOADED', SERVER_ENV_NAMES, 'OLLAMA_MAX_LOADED_MODELS'], // cut short, though OLLAMA_MAX_QUEUE is fewer edits away
    ['OLLAMA_', SERVER_ENV_NAMES, null], // begins every name: no guess
    ['vrma', ['vram', 'load', 'p', 'key'], 'vram'], // a transposition is one edit
    ['laod', ['vram', 'load', 'p', 'key'], 'load'],
    ['phi3:mni', ['llama3.1:8b', 'phi3:mini'], 'phi3:mini'],
    ['gpt-4o', ['llama3.1:8b', 'phi3:mini'], null],
  ] as const)('%s → %s', (name, allowed, expected) => {
    expect(nearest(name, allowed)).toBe(expected);
  });

  test('the hint lists the allowed names when none is near', () => {
    expect(msg.unknownKey('zzz', ['name', 'seed'])).toEqual(['unknown field "zzz"', 'expected one of: name, seed']);
  });
});
