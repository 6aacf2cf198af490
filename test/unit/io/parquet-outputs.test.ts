/**
 * `run --format parquet`: requests.parquet and events.parquet hold exactly the
 * rows of requests.csv and events.csv (an empty cell is a null, cold a boolean),
 * and the same seed gives the same bytes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { describe, expect, test } from 'vitest';
import { loadScenario } from '../../../src/io/load-scenario.js';
import { parquetOutputs } from '../../../src/io/parquet-outputs.js';
import { type RunFiles, RunOutputs } from '../../../src/io/run-outputs.js';
import { runScenario } from '../../../src/sim/run-scenario.js';
import { files } from './fixture.js';

const SCENARIO = `name: parquet check
host: { gpus: [ { vram: 12GiB } ], unload: 1s }
models:
  a: { vram: 5GiB, load: 2s }
  "b,c": { vram: 6GiB, load: 3s }
workload:
  requests:
    - { id: r1, at: 0, model: a, duration: 3 }
    - { at: 1, model: "b,c", duration: 1, keep_alive: 0 }
    - { id: 'q"3', at: 2, model: a, duration: 2, timeout: 1 }
    - { at: 50, model: "b,c", duration: 0.000001 }
candidates:
  - { name: keep 5m }
  - { name: "unload, at once", server: { OLLAMA_KEEP_ALIVE: "0" } }
`;

async function write(dir: string, open: (out: string) => Promise<RunFiles>) {
  const sc = await loadScenario(join(dir, 's.yaml'));
  const out = await open(join(dir, 'out'));
  runScenario(sc, { events: (c) => out.events(c), requests: (c) => out.requests(c) });
  out.close();
}

/** A CSV of plain cells and RFC 4180 quotes, as rows of cells. */
function csv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.trim().split('\n').slice(1)) {
    const cells: string[] = [];
    for (const m of line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)) cells.push(m[1]!.startsWith('"') ? m[1]!.slice(1, -1).replaceAll('""', '"') : m[1]!);
    rows.push(cells);
  }
  return rows;
}

const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'boolean' ? (v ? '1' : '0') : String(v));

async function table(file: string): Promise<string[][]> {
  const buf = readFileSync(file);
  const rows = await parquetReadObjects({ file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length) });
  return rows.map((r) => Object.values(r).map(cell));
}

describe('--format parquet', () => {
  test('the same rows as the CSV files, column for column', async () => {
    const dir = files({ 's.yaml': SCENARIO });
    await write(dir, async (out) => new RunOutputs(out, await loadScenario(join(dir, 's.yaml'))));
    await write(dir, (out) => loadScenario(join(dir, 's.yaml')).then((sc) => parquetOutputs(out, sc)));
    for (const name of ['requests', 'events']) {
      const fromCsv = csv(readFileSync(join(dir, 'out', `${name}.csv`), 'utf8'));
      expect(fromCsv.length).toBeGreaterThan(7);
      expect(await table(join(dir, 'out', `${name}.parquet`))).toEqual(fromCsv);
    }
  });

  test('same seed, same bytes', async () => {
    const dir = files({ 's.yaml': SCENARIO });
    const bytes = async () => {
      await write(dir, (out) => loadScenario(join(dir, 's.yaml')).then((sc) => parquetOutputs(out, sc)));
      return [readFileSync(join(dir, 'out/requests.parquet')), readFileSync(join(dir, 'out/events.parquet'))];
    };
    const a = await bytes();
    expect(await bytes()).toEqual(a);
  });
});
