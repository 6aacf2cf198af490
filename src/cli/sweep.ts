import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeSweepReport } from '../io/report-files.js';
import { type Axis, parseGridArg } from '../config/grid.js';
import { checkGridValues } from '../config/grid-check.js';
import { InputError, msg } from '../diag/index.js';
import { sweepDocument, writeSweep } from '../io/sweep-outputs.js';
import type { CandidateSummary } from '../metrics/index.js';
import { comparisonTable } from '../report/table.js';
import { progressBar } from './progress.js';
import { runSweep } from './sweep-pool.js';

export interface SweepOptions {
  grid?: string[];
  replications?: string;
  jobs?: string;
  out?: string;
  json?: boolean;
  queue?: string;
}

/** `ollamasim sweep SCENARIO`: every cell × replication, means and 95 % intervals. */
export async function sweepCommand(file: string, opts: SweepOptions): Promise<void> {
  const axes: Axis[] = (opts.grid ?? []).map((g) => {
    const a = parseGridArg(g);
    if (!a) throw new InputError({ file: '(command line)', line: 1, field: '--grid', problem: msg.badGridArg(g)[0], hint: msg.badGridArg(g)[1] });
    return a;
  });
  checkGridValues(axes);
  const replications = positive(opts.replications ?? '1', '--replications');
  const jobs = opts.jobs === undefined ? undefined : positive(opts.jobs, '--jobs');
  const bar = progressBar('sweeping', 0);
  let result;
  try {
    result = await runSweep(file, { axes, replications, ...(jobs ? { jobs } : {}), ...(opts.queue ? { queue: opts.queue } : {}), onProgress: (d, t) => bar.update(d, t) });
  } finally {
    bar.stop();
  }
  for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
  if (opts.out) {
    writeSweep(opts.out, result);
    const warning = await writeSweepReport(opts.out, result, readFileSync(file, 'utf8'));
    if (warning) process.stderr.write(`warning: ${warning}\n`);
  }
  if (opts.json) {
    process.stdout.write(JSON.stringify(sweepDocument(result), null, 2) + '\n');
    return;
  }
  const means = result.cells.map((c) => ({
    ...c.runs[0]!,
    ...Object.fromEntries(Object.entries(c.estimates).map(([k, e]) => [k, e.mean])),
  }) as CandidateSummary);
  process.stdout.write(`${result.scenario}: ${result.cells.length} cells × ${result.replications} replication(s), means\n\n`);
  process.stdout.write(comparisonTable(means));
  if (opts.out) process.stdout.write(`\nwrote cells.csv (means and 95 % half-widths), summary.json, report.html and charts/ to ${opts.out}\nreport: ${join(opts.out, 'report.html')}\n`);
}

function positive(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InputError({ file: '(command line)', line: 1, field: flag, problem: msg.notPositiveInt(v)[0] });
  return n;
}
