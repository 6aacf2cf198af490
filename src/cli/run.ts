import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { msg } from '../diag/index.js';
import { WHATIF_MAX_REQUESTS, writeWhatIfPage } from '../io/whatif-page.js';
import { loadScenario } from '../io/load-scenario.js';
import { parquetOutputs } from '../io/parquet-outputs.js';
import { ramWarnings, type RunFiles, RunOutputs, summaryDocument, writeSummary } from '../io/run-outputs.js';
import { pathologyWarnings } from '../report/pathologies.js';
import { comparisonTable } from '../report/table.js';
import { runScenario } from '../sim/run-scenario.js';
import { argError, maxRequestsArg } from './args.js';
import { progressBar } from './progress.js';
import { onInterrupt } from './interrupt.js';
import { packageVersion } from './process-hygiene.js';
import { OutDir } from '../io/out-dir.js';
import { preloadCharts } from '../io/chart-pool.js';
import type { ResolvedScenario } from '../config/types.js';
import type { CandidateSummary } from '../metrics/index.js';

export interface RunOptions {
  out?: string;
  json?: boolean;
  summaryOnly?: boolean;
  whatif?: boolean;
  maxRequests?: string;
  top?: string;
  /** false with --no-png. */
  png?: boolean;
  /** requests and events as csv (default) or parquet. */
  format?: string;
}

/** `ollamasim run SCENARIO`: load, run every candidate, print and write the outputs. */
export async function runCommand(file: string, opts: RunOptions): Promise<void> {
  const format = opts.format ?? 'csv';
  if (format !== 'csv' && format !== 'parquet') throw argError('--format', msg.unknownOutputFormat(format));
  const limit = maxRequestsArg(opts.maxRequests);
  const top = topOption(opts.top);
  // DIR is checked first and written last: the files go to a folder beside it until the run is complete.
  const out = opts.out !== undefined ? OutDir.open(opts.out) : undefined;
  // The charting threads load vega on another core while this one parses and simulates.
  if (out) preloadCharts();
  const bar = progressBar('simulating', 'requests');
  const stopOnInterrupt = onInterrupt(() => {
    bar.interrupt();
    out?.abort();
  });
  try {
    const sc = await loadScenario(file, limit);
    if (opts.whatif) checkWhatIf(sc.trace.length, opts.out);
    for (const w of sc.warnings) process.stderr.write(`warning: ${w}\n`);
    const outputs: RunFiles | undefined = !out || opts.summaryOnly ? undefined
      : format === 'parquet' ? await parquetOutputs(out.path, sc) : new RunOutputs(out.path, sc);
    let results;
    let report: Promise<string | null> | undefined;
    try {
      results = runScenario(sc, {
        ...(outputs ? { events: (c) => outputs.events(c), requests: (c) => outputs.requests(c) } : {}),
        progress: bar.update,
        series: out !== undefined,
      });
      bar.stop();
      if (out) {
        // The report (and its charting) is loaded only when there is a folder to write it to. Its charts
        // are laid out on the charting thread while the writer thread finishes the CSV files and this
        // one writes summary.json.
        const { writeReport } = await import('../io/report-files.js');
        report = writeReport(out.path, sc, results, readFileSync(file, 'utf8'), { png: opts.png !== false, top });
        report.catch(() => {}); // awaited below, after summary.json
      }
    } finally {
      bar.stop();
      outputs?.close();
    }
    const summaries = results.map((r) => r.summary);
    for (const w of ramWarnings(sc, summaries)) process.stderr.write(`warning: ${w}\n`);
    if (out && report) {
      writeSummary(out.path, sc, summaries);
      const warning = await report;
      if (warning) process.stderr.write(`warning: ${warning}\n`);
      if (opts.whatif) await writeWhatIfPage(out.path, sc, readFileSync(file, 'utf8'));
      out.commit('run', packageVersion());
    }
    printRun(sc, summaries, opts);
  } finally {
    stopOnInterrupt();
    out?.abort();
  }
}

function printRun(sc: ResolvedScenario, summaries: CandidateSummary[], opts: RunOptions): void {
  if (opts.json) {
    process.stdout.write(JSON.stringify(summaryDocument(sc, summaries), null, 2) + '\n');
    return;
  }
  const span = sc.trace.length ? sc.trace.at[sc.trace.length - 1]! / 1e6 : 0;
  process.stdout.write(`${sc.name}: ${sc.trace.length} requests over ${formatSpan(span)}, ${sc.modelNames.length} model${sc.modelNames.length === 1 ? '' : 's'}\n\n`);
  process.stdout.write(comparisonTable(summaries));
  for (const w of pathologyWarnings(summaries)) process.stderr.write(`warning: ${w}\n`);
  if (opts.out) {
    const format = opts.format ?? 'csv';
    const files = opts.summaryOnly ? 'summary.json' : `summary.json, requests.${format}, events.${format}`;
    process.stdout.write(`\nwrote ${files}, report.html, charts/, timeline.json and manifest.json to ${opts.out}\n`);
    process.stdout.write(`report: ${join(opts.out, 'report.html')}\n`);
    if (opts.whatif) process.stdout.write(`what-if page: ${join(opts.out, 'whatif.html')}\n`);
  }
}

/** `--top N`: a positive whole number of models. */
export function topOption(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw argError('--top', msg.notPositiveInt(v));
  return n;
}

/** The what-if page needs --out, and a trace small enough to rerun live. */
function checkWhatIf(requests: number, out: string | undefined): void {
  const fail = (m: [string, string?]) => argError('--whatif', m);
  if (!out) throw fail(msg.whatIfNeedsOut());
  if (requests > WHATIF_MAX_REQUESTS) throw fail(msg.whatIfTooLarge(requests, WHATIF_MAX_REQUESTS));
}

function formatSpan(s: number): string {
  if (s >= 3600) return `${(s / 3600).toFixed(1)} h`;
  if (s >= 60) return `${(s / 60).toFixed(1)} min`;
  return `${s.toFixed(1)} s`;
}
