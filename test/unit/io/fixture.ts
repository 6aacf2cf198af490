import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { InputError, type Message } from '../../../src/diag/index.js';
import { loadScenario } from '../../../src/io/load-scenario.js';
import type { Trace } from '../../../src/workload/trace.js';

/** Loader test fixtures: files in a fresh temporary directory, and the exact one-line error. */
export const GiB = 2 ** 30;

/** Two models, one GPU: enough of a scenario for every test to add its workload. */
export const HEAD = `name: t
host: { gpus: [ { vram: 24GiB } ], unload: 1s }
models:
  llama3.1:8b: { vram: 6.2GiB, load: 8s }
  phi3:mini: { vram: 3GB, load: 4s, key: phi-blob, keep_alive: 10m }
`;
export const MODELS = ['llama3.1:8b', 'phi3:mini'];
/** One inline request; with HEAD it is line 6. */
export const REQ = 'workload: { requests: [ { at: 0, model: phi3:mini, duration: 1 } ] }\n';

export function files(map: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-load-'));
  for (const [name, text] of Object.entries(map)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

export async function load(yaml: string, extra: Record<string, string> = {}, name = 's.yaml') {
  const dir = files({ [name]: yaml, ...extra });
  return { file: join(dir, name), dir, sc: await loadScenario(join(dir, name)) };
}

export async function failure(yaml: string, extra: Record<string, string> = {}): Promise<{ err: InputError; dir: string }> {
  const dir = files({ 's.yaml': yaml, ...extra });
  const err = await loadScenario(join(dir, 's.yaml')).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(InputError);
  return { err: err as InputError, dir };
}

/** Expects exactly one line: FILE:LINE: field: problem (hint), FILE being `inFile` in the fixture directory. */
export async function fails(yaml: string, line: number, field: string, m: Message, extra: Record<string, string> = {}, inFile = 's.yaml') {
  const { err, dir } = await failure(yaml, extra);
  expect(err.message).toBe(`${join(dir, inFile)}:${line}: ${field}: ${m[0]}${m[1] ? ` (${m[1]})` : ''}`);
  expect(err.message).not.toContain('\n');
  expect({ file: err.file, line: err.line, field: err.field }).toEqual({ file: join(dir, inFile), line, field });
}

/** One optional trace column as plain values (the column itself is null when no row sets it). */
export function column<T>(trace: Trace, of: (t: Trace, i: number) => T): T[] {
  return Array.from({ length: trace.length }, (_, i) => of(trace, i));
}

/** Request ids with the 1-based-position default left as null. */
export const ids = (trace: Trace): (string | null)[] => column(trace, (t, i) => t.ids?.[i] ?? null);
