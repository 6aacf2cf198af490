import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { runSweep } from '../../src/cli/sweep-pool.js';
import { patchFor } from '../../src/config/grid.js';
import { deepMerge } from '../../src/config/merge.js';
import { loadScenario } from '../../src/io/load-scenario.js';
import type { CandidateSummary } from '../../src/metrics/index.js';
import { runScenario } from '../../src/sim/run-scenario.js';

/**
 * What-if tests go through the real path, as a user would: a scenario file with a
 * `sweep:` section run by `sweep` (src/cli/sweep-pool.ts, in this thread), and the
 * same scenario with the value written in run by `run` (loadScenario + runScenario).
 * No world is built by hand: the resolver is where such bugs live.
 */
export type Scenario = Record<string, unknown>;

const dir = mkdtempSync(join(tmpdir(), 'ollamasim-whatif-'));
let n = 0;

export function writeScenario(s: Scenario): string {
  const file = join(dir, `s${n++}.yaml`);
  writeFileSync(file, stringify(s));
  return file;
}

export function readScenario(file: string): Scenario {
  return parse(readFileSync(file, 'utf8')) as Scenario;
}

/** `sweep` of the scenario with `sweep: { key: values }`: one summary per cell, by the cell's label. */
export async function sweepCells(s: Scenario, key: string, values: unknown[]): Promise<Map<string, CandidateSummary>> {
  const file = writeScenario({ ...s, sweep: { [key]: values } });
  const result = await runSweep(file, { axes: [], replications: 1, jobs: 1 });
  return new Map(result.cells.map((c) => [c.candidate, c.runs[0]!]));
}

/** The scenario with `key: value` written into it (not as a candidate), with its own candidates if any. */
export function withValue(s: Scenario, key: string, value: unknown): Scenario {
  return deepMerge(s, patchFor(key, value)) as Scenario;
}

/** `run` of a scenario: its candidates' summaries. */
export async function runSummaries(s: Scenario): Promise<CandidateSummary[]> {
  const sc = await loadScenario(writeScenario(s));
  return runScenario(sc).map((r) => r.summary);
}

/** A summary without its name, to compare a sweep cell with a run. */
export function figures(s: CandidateSummary): Omit<CandidateSummary, 'candidate'> {
  const { candidate: _, ...rest } = s;
  return rest;
}
