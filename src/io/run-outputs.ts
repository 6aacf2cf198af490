import { warn } from '../diag/index.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedScenario } from '../config/types.js';
import type { EventSink } from '../events/index.js';
import type { CandidateSummary } from '../metrics/index.js';
import type { Req, RequestSink } from '../ollama/index.js';
import type { RunHooks } from '../sim/run-scenario.js';
import { CsvRows, EVENTS_HEADER, REQUESTS_HEADER } from './csv-rows.js';
import { ThreadedCsv } from './csv-thread.js';
import { candidateSettings } from './settings.js';

export { EVENTS_HEADER, REQUESTS_HEADER };

/** The request/event sinks an output format gives each candidate (CSV here, Parquet in parquet-outputs). */
export interface RunFiles extends RunHooks {
  requests(candidate: string): RequestSink;
  events(candidate: string): EventSink;
  close(): void;
}

/** From this many rows (requests × candidates) on, the CSVs are written on a thread of their own. */
const THREAD_FROM = 1 << 18;

/**
 * The per-request and per-event CSV files of `ollamasim run --out DIR`.
 * requests.csv has one row per request per candidate, in the order requests
 * ended (stuck ones last); events.csv every scheduler decision in time order.
 * A large run formats and writes them on a writer thread (csv-thread.ts) while
 * it simulates; `thread` forces the choice (the bytes are the same).
 */
export class RunOutputs implements RunFiles {
  private readonly inline: CsvRows | null = null;
  private readonly threaded: ThreadedCsv | null = null;

  constructor(dir: string, sc: ResolvedScenario, opts: { thread?: boolean } = {}) {
    mkdirSync(dir, { recursive: true });
    const ids = sc.trace.ids;
    if (opts.thread ?? sc.trace.length * sc.candidates.length >= THREAD_FROM) this.threaded = new ThreadedCsv(dir, sc.modelNames, ids);
    else this.inline = new CsvRows(dir, sc.modelNames, ids);
  }

  requests(candidate: string): RequestSink {
    if (this.threaded) return this.threaded.requests(candidate);
    const rows = this.inline!;
    const c = rows.candidate(candidate);
    return { done: (r: Req) => rows.request(c, r.index, r.model, r.firstArrival, r.admitted, r.start, r.end, r.status, r.http, r.cold) };
  }

  events(candidate: string): EventSink {
    if (this.threaded) return this.threaded.events(candidate);
    const rows = this.inline!;
    const c = rows.candidate(candidate);
    return { event: (t, kind, model, request, reason, value) => rows.event(c, t, kind, model, request, reason, value) };
  }

  close(): void {
    this.threaded?.close();
    this.inline?.close();
  }
}

export function writeSummary(dir: string, sc: ResolvedScenario, summaries: CandidateSummary[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(summaryDocument(sc, summaries), null, 2) + '\n');
}

/** summary.json: the scenario's identity, then one object per candidate. */
/** Candidates whose runners held more on the CPU than the host has RAM: Ollama loads them anyway (spec §5.2c). */
export function ramWarnings(sc: ResolvedScenario, summaries: readonly CandidateSummary[]): string[] {
  return summaries.flatMap((s, i) => {
    const ram = sc.candidates[i]!.host.ram / 2 ** 30;
    return s.cpu_peak_gib !== undefined && s.cpu_peak_gib > ram ? [warn.overRam(sc.file, s.candidate, s.cpu_peak_gib, ram)] : [];
  });
}

export function summaryDocument(sc: ResolvedScenario, summaries: CandidateSummary[]) {
  const settings = candidateSettings(sc);
  return {
    scenario: sc.name,
    seed: sc.seed,
    requests: sc.trace.length,
    models: sc.modelNames,
    warnings: [...sc.warnings, ...ramWarnings(sc, summaries)],
    // Each candidate's figures, then the settings they were measured under (issue 13).
    candidates: summaries.map((s, i) => ({ ...s, settings: settings[i] })),
  };
}
