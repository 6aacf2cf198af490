/**
 * Axis values on the command line are checked like the CLI's other arguments
 * (issue #10): a value Ollama would silently replace by its default is a typo
 * there, not a what-if. A scenario file keeps Ollama's fallback and its warning.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const main = join(root, 'src/cli/main.ts');

const SCENARIO = `name: grid check
host: { gpu: rtx-4090 }
models: { A: { vram: 5GiB, load: 2s } }
workload: { requests: [ { at: 0, model: A, duration: 1 } ] }
`;

function cli(args: string[], yaml = SCENARIO) {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-grid-'));
  writeFileSync(join(dir, 's.yaml'), yaml);
  return spawnSync(tsx, [main, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1' } });
}

describe('--grid values', () => {
  test('OLLAMA_KEEP_ALIVE=5x (Ollama would use 5m) exits 2 with one line', () => {
    const r = cli(['sweep', 's.yaml', '--grid', 'OLLAMA_KEEP_ALIVE=0,5x', '--jobs', '1']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^\(command line\): --grid OLLAMA_KEEP_ALIVE: "5x" is neither a Go duration nor whole seconds/);
  });

  test('the same value in the scenario\'s sweep: keeps Ollama\'s fallback, with a warning', () => {
    const r = cli(['sweep', 's.yaml', '--jobs', '1'], `${SCENARIO}sweep: { OLLAMA_KEEP_ALIVE: [0, 5x] }\n`);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/OLLAMA_KEEP_ALIVE=5x/);
  });

  test('a value the resolver refuses is reported on the command line, not at a line of the file', () => {
    for (const [grid, problem] of [
      ['host.gpu=h100', 'unknown GPU "h100"'], ['host.count=1.5', 'cannot sweep host.count: 1.5 is out of range, a whole number from 0'],
      ['models.nope.vram=1GiB', 'model "nope" is not defined in models'],
      ['host.gpuu=x', 'cannot sweep host.gpuu: unknown field "gpuu" (did you mean host.gpu?)'],
    ]) {
      const r = cli(['sweep', 's.yaml', '--grid', grid!, '--jobs', '1']);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`(command line): --grid ${grid!.split('=')[0]}: ${problem}`);
    }
  });
});

describe('plan --price-of', () => {
  test('id=cheap and an unknown GPU exit 2 with one line', () => {
    for (const [arg, problem] of [['rtx-4090=cheap', '"cheap" is not a number'], ['foo=1', 'unknown GPU "foo"']]) {
      const r = cli(['plan', 's.yaml', '--slo', 'p95<=3s', '--price-of', arg!]);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(new RegExp(`^\\(command line\\): --price-of: ${problem!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    }
  });

  test('--keep-alive 5x is checked like --grid, and named as the flag the user typed', () => {
    const r = cli(['plan', 's.yaml', '--slo', 'p95<=3s', '--keep-alive', '5m,5x']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^\(command line\): --keep-alive: "5x" is neither a Go duration nor whole seconds/);
  });
});
