import { expandSweep } from '../config/sweep.js';
import { Resolver } from '../config/resolve.js';
import { validateShape } from '../config/validate.js';
import { YamlSource } from '../config/yaml-source.js';
import type { ResolvedCandidate } from '../config/types.js';
import { latencyChart, occupancyChart, cdfChart, residencyChart, modelLatencyChart, type Chart, type ChartInput } from '../report/charts.js';
import { type CandidateResult, runScenario } from '../sim/run-scenario.js';
import type { Trace } from '../workload/trace.js';
import type { PageBase } from './codec.js';
import { settingsAxes, type WhatIfSettings } from './settings.js';

/** What the page holds: the scenario's text (candidates are resolved from it) and its resolved workload. */
export interface PageData {
  file: string;
  text: string;
  base: PageBase;
  trace: Trace;
}

export interface WhatIfRun {
  candidate: ResolvedCandidate;
  result: CandidateResult;
  warnings: string[];
}

/**
 * The scenario's first candidate with the page's settings as sweep axes —
 * the cell `ollamasim sweep --grid …` runs, through the same loader steps
 * (shape, sweep expansion, resolver) and the same world (src/sim/world.ts).
 * Throws the loader's InputError for a value the CLI would refuse.
 */
export function runWhatIf(d: PageData, s: WhatIfSettings, progress?: (done: number, total: number) => void): WhatIfRun {
  const src = new YamlSource(d.file, d.text);
  const shape = validateShape(src, src.toJS());
  const first = shape.candidates?.[0];
  const one = { ...shape, candidates: first ? [first] : [], sweep: undefined };
  const expanded = expandSweep(src, one, settingsAxes(s));
  const warnings: string[] = [];
  const candidates = new Resolver(src, expanded).candidates(warnings);
  const [result] = runScenario({ ...d.base, file: d.file, candidates, trace: d.trace }, { series: true, ...(progress ? { progress } : {}) });
  return { candidate: candidates[0]!, result: result!, warnings };
}

/** The page's charts, baseline beside the what-if: the report's own chart builders. */
export function whatIfCharts(runs: { label: string; run: WhatIfRun }[]): Chart[] {
  const inputs: ChartInput[] = runs.map(({ label, run: { result: r } }) => ({
    candidate: label, summary: { ...r.summary, candidate: label }, occupancy: r.occupancy!, keyNames: r.keyNames!, latencyCdf: r.latencyCdf!,
    ...(r.gpuMemory ? { gpuMemory: r.gpuMemory } : {}),
  }));
  const capacity = runs[0]!.run.candidate.host.gpus.reduce((a, b) => a + b, 0) * (runs[0]!.run.candidate.fleet?.hosts ?? 1);
  return [latencyChart(inputs), modelLatencyChart(inputs), occupancyChart(inputs, capacity), residencyChart(inputs), cdfChart(inputs)];
}
