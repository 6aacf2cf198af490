import { extname } from 'node:path';
import { RequestRows } from '../config/request-rows.js';
import type { SourceSpec } from '../config/source-mapper.js';
import { closeSync, openSync } from 'node:fs';
import { fileError, msg } from '../diag/index.js';
import { argError, maxRequestsArg } from './args.js';
import { loadScenario } from '../io/load-scenario.js';
import { readSource } from '../io/read-sources.js';
import { writeCoreCsv } from '../io/write-trace.js';
import { FORMAT_NAMES, FORMATS } from '../workload/formats.js';
import { traceStats, type TraceStats } from '../workload/stats.js';
import type { Trace } from '../workload/trace.js';

export interface TraceOptions {
  format?: string;
  model?: string;
  sort?: boolean;
  json?: boolean;
  out?: string;
  maxRequests?: string;
}

const isScenario = (f: string) => ['.yaml', '.yml', '.json'].includes(extname(f).toLowerCase());

/** A scenario's workload, or a bare trace file in any supported format (model names as they come). */
async function loadTrace(file: string, opts: TraceOptions): Promise<{ trace: Trace; models: readonly string[] }> {
  if (isScenario(file)) {
    const sc = await loadScenario(file, maxRequestsArg(opts.maxRequests));
    for (const w of sc.warnings) process.stderr.write(`warning: ${w}\n`);
    return { trace: sc.trace, models: sc.modelNames };
  }
  const format = opts.format ?? (extname(file).toLowerCase() === '.jsonl' ? 'jsonl' : 'ollamasim');
  const f = FORMATS[format];
  if (!f) throw argError('--format', msg.unknownFormat(format, FORMAT_NAMES));
  const spec: SourceSpec = {
    file, format, time: f.time, rebase: f.rebase, timeScale: 1, windowStart: 0, windowEnd: Infinity, rateScale: 1, sort: opts.sort ?? false,
    ...(opts.model !== undefined || !f.hasModel ? { model: opts.model ?? format } : {}),
  };
  const rows = RequestRows.open();
  rows.maxRows = maxRequestsArg(opts.maxRequests).maxRequests ?? rows.maxRows;
  await readSource(spec, {}, rows, 1, 'source1');
  return { trace: rows.build(), models: rows.models };
}

/** `ollamasim trace stats FILE|SCENARIO`. */
export async function traceStatsCommand(file: string, opts: TraceOptions): Promise<void> {
  const { trace, models } = await loadTrace(file, opts);
  const s = traceStats(trace, models);
  process.stdout.write(opts.json ? JSON.stringify(s, null, 2) + '\n' : statsText(s));
}

/** `ollamasim trace convert FILE --out trace.csv`: any supported format → the core CSV. */
export async function traceConvertCommand(file: string, opts: TraceOptions): Promise<void> {
  if (opts.out !== undefined) checkWritable(opts.out);
  const { trace, models } = await loadTrace(file, opts);
  writeCoreCsv(opts.out ?? '-', trace, models);
}

/** `ollamasim trace synth SCENARIO --out trace.csv`: what the scenario's workload would replay. */
export async function traceSynthCommand(file: string, opts: TraceOptions): Promise<void> {
  if (opts.out !== undefined) checkWritable(opts.out);
  const sc = await loadScenario(file, maxRequestsArg(opts.maxRequests));
  writeCoreCsv(opts.out ?? '-', sc.trace, sc.modelNames);
}

/** --out FILE can be written: a clear line (exit 2) before any work, not a stream error after it. */
function checkWritable(out: string): void {
  try {
    closeSync(openSync(out, 'a'));
  } catch (e) {
    throw fileError(out, (e as NodeJS.ErrnoException).code ?? String(e), true);
  }
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function statsText(s: TraceStats): string {
  const lines = [
    `${s.requests} requests over ${s.span_s} s, mean rate ${s.mean_rate_per_s}/s, inter-arrival CV ${s.interarrival_cv}`,
    '',
    'model                         requests  prompt p50/p95/p99       output p50/p95/p99     gaps >1m   >5m  >30m   >1h',
  ];
  for (const m of s.models) {
    const t = (p: typeof m.prompt_tokens) => (p ? `${p.p50}/${p.p95}/${p.p99}` : '—');
    const g = m.idle_gaps;
    lines.push(
      `${m.model.padEnd(28)} ${String(m.requests).padStart(9)}  ${t(m.prompt_tokens).padEnd(24)} ${t(m.output_tokens).padEnd(22)} ` +
      `${pct(g.over_1m).padStart(6)} ${pct(g.over_5m).padStart(6)} ${pct(g.over_30m).padStart(5)} ${pct(g.over_1h).padStart(5)}`,
    );
  }
  return lines.join('\n') + '\n';
}
