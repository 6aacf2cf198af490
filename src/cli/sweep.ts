import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeSweepReport } from '../io/report-files.js';
import { type Axis, parseGridArg } from '../config/grid.js';
import { msg } from '../diag/index.js';
import { ARG_RANGES, argError, maxRequestsArg, numberArg } from './args.js';
import { checkGridValues } from '../config/grid-check.js';
import { sweepDocument, writeSweep } from '../io/sweep-outputs.js';
import type { CandidateSummary } from '../metrics/index.js';
import { comparisonTable } from '../report/table.js';
import { SweepSession } from './sweep-session.js';

export interface SweepOptions {
  grid?: string[];
  replications?: string;
  jobs?: string;
  out?: string;
  json?: boolean;
  maxRequests?: string;
  resume?: boolean;
  queue?: string;
  /** false with --no-png. */
  png?: boolean;
}

/** `ollamasim sweep SCENARIO`: every cell × replication, means and 95 % intervals. */
export async function sweepCommand(file: string, opts: SweepOptions): Promise<void> {
  const axes: Axis[] = (opts.grid ?? []).map((g) => {
    const a = parseGridArg(g);
    if (!a) throw argError('--grid', msg.badGridArg(g));
    return a;
  });
  checkGridValues(axes);
  const replications = numberArg(opts.replications ?? '1', '--replications', ARG_RANGES.replications);
  const jobs = opts.jobs === undefined ? undefined : numberArg(opts.jobs, '--jobs', ARG_RANGES.jobs);
  const session = new SweepSession(file, { out: opts.out, resume: opts.resume, label: 'sweeping', key: { axes, maxRequests: opts.maxRequests ?? null } });
  let result;
  try {
    result = await session.run({ axes, replications, ...(jobs ? { jobs } : {}), ...maxRequestsArg(opts.maxRequests), ...(opts.queue ? { queue: opts.queue } : {}) });
    for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
    if (session.out) {
      writeSweep(session.out.path, result);
      const warning = await writeSweepReport(session.out.path, result, readFileSync(file, 'utf8'), { png: opts.png !== false });
      if (warning) process.stderr.write(`warning: ${warning}\n`);
      session.commit('sweep');
    }
  } finally {
    session.close();
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
  if (opts.out) process.stdout.write(`\nwrote cells.csv (means and 95 % half-widths), summary.json, report.html, charts/ and manifest.json to ${opts.out}\nreport: ${join(opts.out, 'report.html')}\n`);
}
