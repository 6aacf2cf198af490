/**
 * The bundled scenario scenarios/desktop-vram.yaml: the same three models on a
 * 24 GiB card with and without 2 GiB held by the desktop. The answer must move
 * the way it must when one input changes: the 32B reviewer (22.6 GiB once loaded,
 * Ollama's estimate 20.6 GiB) runs out of memory exactly when what the desktop
 * holds leaves less than its footprint free.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadScenario } from '../../src/io/load-scenario.js';
import { runScenario } from '../../src/sim/run-scenario.js';
import { runYaml } from '../helpers/run-yaml.js';

const FILE = resolve(import.meta.dirname, '../../scenarios/desktop-vram.yaml');

describe('scenarios/desktop-vram.yaml', () => {
  test('without the desktop nothing fails; with it every reviewer request is a 500 after a load OOM; num_ctx 4096 is the remedy', async () => {
    const [none, desktop, remedy] = runScenario(await loadScenario(FILE)).map((r) => r.summary);
    expect(none).toMatchObject({ failed_500: 0, load_ooms: 0 });
    expect(desktop!.models['qwen2.5-coder:32b']).toMatchObject({ ok: 0 });
    expect(desktop!.failed_500).toBe(desktop!.models['qwen2.5-coder:32b']!.requests);
    expect(desktop).toMatchObject({ failed_load_oom: desktop!.failed_500, load_ooms: desktop!.failed_500 });
    expect(desktop!.failed_500).toBeGreaterThan(0);
    expect(remedy).toMatchObject({ failed_500: 0, load_ooms: 0 });
  });

  test('the threshold: 1 GiB held leaves 23 GiB free (fits), 1.5 GiB leaves 22.5 (less than 22.6: OOM)', async () => {
    const text = readFileSync(FILE, 'utf8');
    // The second candidate's `reserved` (the first one written in the file) set to `gib`.
    const held = async (gib: string) => (await runYaml(text.replace('reserved: 2GiB', `reserved: ${gib}`))).get('desktop holds 2 GiB')!.result.summary;
    expect((await held('1GiB')).load_ooms).toBe(0);
    expect((await held('1.5GiB')).load_ooms).toBeGreaterThan(0);
  });
});
