/**
 * summary.json's `settings` (issue 13): what each candidate was run with, as
 * resolved — so "keep forever" or "the catalogue's 8B" can be read off the
 * results. Changing an input changes the setting shown, and only that.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runSweep } from '../../../src/cli/sweep-pool.js';
import { candidateSettings } from '../../../src/io/settings.js';
import { sweepDocument } from '../../../src/io/sweep-outputs.js';
import { files, HEAD, load, REQ } from './fixture.js';

describe('resolved settings per candidate', () => {
  test('server keep_alive as Ollama parses it, the auto cap worked out, model sizes and times', async () => {
    const { sc } = await load(`${HEAD}${REQ}candidates:\n  - { name: forever, server: { OLLAMA_KEEP_ALIVE: "-1" } }\n  - { name: ten, server: { OLLAMA_KEEP_ALIVE: 10m, OLLAMA_NUM_PARALLEL: 2 }, host: { unload: 3s } }\n`);
    const [forever, ten] = candidateSettings(sc) as Record<string, Record<string, unknown>>[];
    expect(forever!.server).toMatchObject({ keep_alive_s: 'forever', num_parallel: 1, max_loaded_models: 3, max_queue: 512 });
    expect(ten!.server).toMatchObject({ keep_alive_s: 600, num_parallel: 2 });
    expect(forever!.host).toMatchObject({ gpus_gib: [24], unload_s: 1 });
    expect(ten!.host).toMatchObject({ unload_s: 3 });
    expect((forever!.models as Record<string, unknown>)['phi3:mini']).toMatchObject({ keep_alive_s: 600, key: 'phi-blob', load_s: 4, source: 'catalogue' });
    expect((forever!.models as Record<string, unknown>)['llama3.1:8b']).toMatchObject({ keep_alive_s: null, vram_gib: 6.2, load_s: 8 });
  });

  test('a sweep\'s summary.json gives each cell its settings, moving with the axis', async () => {
    const dir = files({ 's.yaml': `${HEAD}${REQ}` });
    const r = await runSweep(join(dir, 's.yaml'), { axes: [{ key: 'OLLAMA_KEEP_ALIVE', values: [0, -1] }], replications: 1, jobs: 1 });
    const doc = sweepDocument(r);
    expect(doc.cells.map((c) => (c.settings as { server: { keep_alive_s: unknown } }).server.keep_alive_s)).toEqual([0, 'forever']);
  });
});
