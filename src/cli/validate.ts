import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SimulatedRequest, validate } from '../calibrate/validate.js';
import { InputError, msg } from '../diag/index.js';
import { EventKind, Status } from '../events/index.js';
import { loadScenario } from '../io/load-scenario.js';
import { readRecording } from '../io/read-recording.js';
import { renderCharts } from '../io/report-files.js';
import type { Req } from '../ollama/index.js';
import { validationChart, validationHtml, validationText } from '../report/validation.js';
import { runScenario } from '../sim/run-scenario.js';
import { requestId } from '../workload/trace.js';

export interface ValidateOptions {
  observed?: string;
  tolerance?: string;
  out?: string;
  json?: boolean;
}

/**
 * `ollamasim validate SCENARIO --observed DIR`: replays the scenario's first
 * candidate (its workload should be the recording's trace.csv) and compares it
 * with what the server did. Exit 1 when the largest per-model relative error
 * exceeds --tolerance (default 10 %).
 */
export async function validateCommand(file: string, opts: ValidateOptions): Promise<void> {
  const line = (field: string, m: [string, string?]) => new InputError({ file: '(command line)', line: 1, field, problem: m[0], ...(m[1] ? { hint: m[1] } : {}) });
  if (!opts.observed) throw line('--observed', msg.missing());
  const tolerance = parseShare(opts.tolerance ?? '10%');
  if (tolerance === null) throw line('--tolerance', msg.badTolerance(opts.tolerance!));
  const rec = readRecording(opts.observed);
  const sc = await loadScenario(file);
  const c = sc.candidates[0]!;
  const simulated: SimulatedRequest[] = [];
  const unloads: { model: string; t: number }[] = [];
  runScenario({ ...sc, candidates: [c] }, {
    events: () => ({ event: (t, kind, model) => { if (kind === EventKind.unload) unloads.push({ model: sc.modelNames[model]!, t: t / 1e6 }); } }),
    requests: () => ({
      done: (r: Req) => simulated.push({
        id: requestId(sc.trace, r.index), model: sc.modelNames[r.model]!, cold: r.cold, ok: r.status === Status.ok,
        latency: (r.end - r.firstArrival) / 1e6, ttft: (r.start - r.firstArrival) / 1e6,
      }),
    }),
  });
  const v = validate(rec.requests, rec.observed, simulated, unloads);
  const text = validationText(v, tolerance);
  if (opts.out) {
    mkdirSync(opts.out, { recursive: true });
    writeFileSync(join(opts.out, 'validation.json'), JSON.stringify({ scenario: sc.name, candidate: c.name, tolerance, ...v }, null, 2) + '\n');
    const { rendered } = await renderCharts(opts.out, [validationChart(v)]);
    writeFileSync(join(opts.out, 'report.html'), validationHtml(`${sc.name}: replay against ${opts.observed}`, text, rendered));
  }
  process.stdout.write(opts.json ? JSON.stringify({ tolerance, ...v }, null, 2) + '\n' : text);
  if (v.worst && v.worst.error > tolerance) process.exitCode = 1;
}

function parseShare(v: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(v);
  if (!m) return null;
  const x = Number(m[1]) / (m[2] ? 100 : 1);
  return x >= 0 && x <= 10 ? x : null;
}
