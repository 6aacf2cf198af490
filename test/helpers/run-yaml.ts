import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '../../src/io/load-scenario.js';
import { record, type Recorded } from './record.js';

/**
 * Spec §6.2 defaults: one discrete 80 GiB GPU, NUM_PARALLEL 1, auto
 * MAX_LOADED_MODELS, KEEP_ALIVE 5m, U = 1 s. Scenario bodies below add models,
 * requests and overrides.
 */
export const DEFAULTS = `
host: { gpus: [ { vram: 80GiB } ], unload: 1s }
`;

/** Writes the YAML to a temp file and runs it through the CLI's own loader and runner. */
export async function runYaml(yaml: string): Promise<Map<string, Recorded>> {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-'));
  const file = join(dir, 'scenario.yaml');
  writeFileSync(file, yaml);
  return record(await loadScenario(file));
}

/** The only (or named) candidate's recording. */
export async function run1(yaml: string, candidate?: string): Promise<Recorded> {
  const all = await runYaml(yaml);
  return candidate ? all.get(candidate)! : [...all.values()][0]!;
}
