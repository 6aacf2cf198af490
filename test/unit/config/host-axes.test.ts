import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { msg } from '../../../src/diag/index.js';
import { parseGridArg } from '../../../src/config/grid.js';
import { loadScenario } from '../../../src/io/load-scenario.js';

const GiB = 2 ** 30;

async function hosts(host: string, grid: string[] = []): Promise<Array<[string, number[]]>> {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-host-'));
  const file = join(dir, 's.yaml');
  writeFileSync(file, `
host: ${host}
models: { a: { vram: 20GiB, load: 5s } }
workload: { requests: [ { at: 0, model: a, duration: 1 } ] }
`);
  const sc = await loadScenario(file, { axes: grid.map((g) => parseGridArg(g)!) });
  return sc.candidates.map((c) => [c.name, c.host.gpus.map((b) => b / GiB)]);
}

describe('GPU count and memory as sweep axes', () => {
  test('host.count repeats the listed GPU (it used to be ignored unless gpu: was given too)', async () => {
    expect(await hosts('{ gpus: [ { vram: 24GiB } ] }', ['host.count=1,2,0'])).toEqual([
      ['host.count=1', [24]], ['host.count=2', [24, 24]], ['host.count=0', []],
    ]);
  });

  test('host.count on a catalogue GPU keeps its type', async () => {
    const [one, two] = (await hosts('{ gpu: rtx-4090 }', ['host.count=1,2'])).map(([, gpus]) => gpus);
    expect(two).toEqual([one![0], one![0]]);
  });

  test('host.vram sets every GPU\'s memory; with count, count GPUs of that size', async () => {
    expect(await hosts('{ gpus: [ { vram: 24GiB }, { vram: 24GiB } ] }', ['host.vram=48GiB'])).toEqual([['host.vram=48GiB', [48, 48]]]);
    expect(await hosts('{ count: 2, vram: 16GiB }')).toEqual([['s', [16, 16]]]);
  });

  test('a count with nothing to repeat is an error from the catalogue', async () => {
    await expect(hosts('{ gpus: [] }', ['host.count=2'])).rejects.toThrow(msg.countWithoutGpu()[0]);
  });
});
