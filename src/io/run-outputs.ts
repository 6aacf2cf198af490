import { warn } from '../diag/index.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedScenario } from '../config/types.js';
import { EVENT_NAMES, EventKind, type EventSink, REASON_NAMES, Status, STATUS_NAMES } from '../events/index.js';
import type { CandidateSummary } from '../metrics/index.js';
import type { Req, RequestSink } from '../ollama/index.js';
import type { RunHooks } from '../sim/run-scenario.js';
import { requestId } from '../workload/trace.js';
import { csvField, FileWriter, seconds } from './file-writer.js';
import { candidateSettings } from './settings.js';

/** Header lines fixed by the core issue: a contract, extend only at the end. */
export const REQUESTS_HEADER = 'candidate,id,model,arrival,admitted,start,end,status,http_status,cold,latency';
export const EVENTS_HEADER = 'candidate,t,event,model,request,reason';

/**
 * The per-request and per-event CSV files of `ollamasim run --out DIR`.
 * requests.csv has one row per request per candidate, in the order requests
 * ended (stuck ones last); events.csv every scheduler decision in time order.
 */
export class RunOutputs implements RunHooks {
  private readonly requestsFile: FileWriter;
  private readonly eventsFile: FileWriter;
  private readonly modelCells: string[];

  constructor(dir: string, private readonly sc: ResolvedScenario) {
    mkdirSync(dir, { recursive: true });
    this.requestsFile = new FileWriter(join(dir, 'requests.csv'));
    this.eventsFile = new FileWriter(join(dir, 'events.csv'));
    this.requestsFile.write(REQUESTS_HEADER + '\n');
    this.eventsFile.write(EVENTS_HEADER + '\n');
    this.modelCells = sc.modelNames.map(csvField);
  }

  requests(candidate: string): RequestSink {
    const c = csvField(candidate);
    const { trace } = this.sc;
    const out = this.requestsFile;
    const models = this.modelCells;
    return {
      done(r: Req) {
        const answered = !Number.isNaN(r.end);
        out.write(
          `${c},${csvField(requestId(trace, r.index))},${models[r.model]},${seconds(r.firstArrival)},` +
          `${seconds(r.admitted)},${seconds(r.start)},${seconds(r.end)},${STATUS_NAMES[r.status]},` +
          `${r.status === Status.stuck ? '' : r.http},${r.cold ? 1 : 0},${answered ? seconds(r.end - r.firstArrival) : ''}\n`,
        );
      },
    };
  }

  events(candidate: string): EventSink {
    const c = csvField(candidate);
    const { trace } = this.sc;
    const out = this.eventsFile;
    const models = this.modelCells;
    // Consecutive events often share a time: format it once.
    let lastT = -1;
    let lastCell = '';
    return {
      event(t, kind, model, request, reason, value) {
        if (t !== lastT) {
          lastT = t;
          lastCell = `${c},${t / 1e6},`;
        }
        const id = request >= 0 ? csvField(requestId(trace, request)) : '';
        // A fleet's routing decision names the host in the reason column.
        const why = kind === EventKind.route ? `host${value}` : REASON_NAMES[reason];
        out.write(`${lastCell}${EVENT_NAMES[kind]},${models[model]},${id},${why}\n`);
      },
    };
  }

  close(): void {
    this.requestsFile.close();
    this.eventsFile.close();
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
