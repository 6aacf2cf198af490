import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedScenario } from '../config/types.js';
import { EVENT_NAMES, EventKind, type EventSink, REASON_NAMES, Status, STATUS_NAMES } from '../events/index.js';
import type { CandidateSummary } from '../metrics/index.js';
import type { Req, RequestSink } from '../ollama/index.js';
import type { RunHooks } from '../sim/run-scenario.js';
import { csvField, FileWriter, LastTime } from './file-writer.js';

/** Header lines fixed by the core issue: a contract, extend only at the end. */
export const REQUESTS_HEADER = 'candidate,id,model,arrival,admitted,start,end,status,http_status,cold,latency';
export const EVENTS_HEADER = 'candidate,t,event,model,request,reason';

/** The request/event sinks an output format gives each candidate (CSV here, Parquet in parquet-outputs). */
export interface RunFiles extends RunHooks {
  requests(candidate: string): RequestSink;
  events(candidate: string): EventSink;
  close(): void;
}

const COMMA = 44;
const NL = 10;
const enc = (s: string) => Buffer.from(s, 'utf8');

/**
 * The per-request and per-event CSV files of `ollamasim run --out DIR`.
 * requests.csv has one row per request per candidate, in the order requests
 * ended (stuck ones last); events.csv every scheduler decision in time order.
 * Every name is encoded once; rows go straight into the writers' buffers.
 */
export class RunOutputs implements RunFiles {
  private readonly requestsFile: FileWriter;
  private readonly eventsFile: FileWriter;
  private readonly modelCells: Buffer[];
  private readonly longest: number;

  constructor(dir: string, private readonly sc: ResolvedScenario) {
    mkdirSync(dir, { recursive: true });
    this.requestsFile = new FileWriter(join(dir, 'requests.csv'));
    this.eventsFile = new FileWriter(join(dir, 'events.csv'));
    this.requestsFile.write(REQUESTS_HEADER + '\n');
    this.eventsFile.write(EVENTS_HEADER + '\n');
    this.modelCells = sc.modelNames.map((m) => enc(csvField(m)));
    this.longest = Math.max(0, ...this.modelCells.map((m) => m.length));
  }

  requests(candidate: string): RequestSink {
    const c = enc(csvField(candidate));
    const { trace } = this.sc;
    const out = this.requestsFile;
    const models = this.modelCells;
    const status = STATUS_NAMES.map(enc);
    // Candidate, model and status, plus 6 numbers of at most 24 characters and the rest.
    const fixed = c.length + this.longest + 16 * 4 + 6 * 24 + 32;
    return {
      done(r: Req) {
        out.room(fixed);
        out.bytes(c);
        out.char(COMMA);
        const id = trace.ids?.[r.index];
        if (id == null) out.uint(r.index + 1);
        else out.write(csvField(id));
        out.room(fixed);
        out.char(COMMA);
        out.bytes(models[r.model]!);
        out.char(COMMA);
        out.seconds(r.firstArrival);
        out.char(COMMA);
        out.seconds(r.admitted);
        out.char(COMMA);
        out.seconds(r.start);
        out.char(COMMA);
        out.seconds(r.end);
        out.char(COMMA);
        out.bytes(status[r.status]!);
        out.char(COMMA);
        if (r.status !== Status.stuck) {
          if (Number.isInteger(r.http) && r.http >= 0) out.uint(r.http);
          else out.write(String(r.http));
        }
        out.char(COMMA);
        out.char(r.cold ? 49 : 48);
        out.char(COMMA);
        if (!Number.isNaN(r.end)) out.seconds(r.end - r.firstArrival);
        out.char(NL);
      },
    };
  }

  events(candidate: string): EventSink {
    const c = enc(csvField(candidate));
    const { trace } = this.sc;
    const out = this.eventsFile;
    const models = this.modelCells;
    const kinds = EVENT_NAMES.map(enc);
    const reasons = REASON_NAMES.map(enc);
    const route = enc('host');
    const fixed = c.length + this.longest + 16 * 3 + 3 * 24 + 32;
    const lastT = new LastTime();
    return {
      event(t, kind, model, request, reason, value) {
        out.room(fixed);
        out.bytes(c);
        out.char(COMMA);
        out.secondsAgain(t, lastT);
        out.char(COMMA);
        out.bytes(kinds[kind]!);
        out.char(COMMA);
        out.bytes(models[model]!);
        out.char(COMMA);
        if (request >= 0) {
          const id = trace.ids?.[request];
          if (id == null) out.uint(request + 1);
          else {
            out.write(csvField(id));
            out.room(fixed);
          }
        }
        out.char(COMMA);
        // A fleet's routing decision names the host in the reason column.
        if (kind === EventKind.route) {
          out.bytes(route);
          if (Number.isInteger(value) && value >= 0) out.uint(value);
          else out.write(String(value));
        } else {
          out.bytes(reasons[reason]!);
        }
        out.char(NL);
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
export function summaryDocument(sc: ResolvedScenario, summaries: CandidateSummary[]) {
  return {
    scenario: sc.name,
    seed: sc.seed,
    requests: sc.trace.length,
    models: sc.modelNames,
    warnings: sc.warnings,
    candidates: summaries,
  };
}
