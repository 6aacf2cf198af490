import { join } from 'node:path';
import { EVENT_NAMES, EventKind, REASON_NAMES, Status, STATUS_NAMES } from '../events/index.js';
import { csvField, FileWriter, LastTime } from './file-writer.js';

/** Header lines fixed by the core issue: a contract, extend only at the end. */
export const REQUESTS_HEADER = 'candidate,id,model,arrival,admitted,start,end,status,http_status,cold,latency';
export const EVENTS_HEADER = 'candidate,t,event,model,request,reason';

const COMMA = 44;
const NL = 10;
const enc = (s: string) => Buffer.from(s, 'utf8');

/**
 * The rows of requests.csv and events.csv, put together in the writers'
 * buffers: every name encoded once (with the commas around it), numbers
 * formatted digit by digit. Runs where the rows are made, or on the writer
 * thread (csv-worker.ts) from the numbers alone.
 */
export class CsvRows {
  private readonly requestsFile: FileWriter;
  private readonly eventsFile: FileWriter;
  /** `c,` per candidate, by the order they were added. */
  private readonly candidates: Buffer[] = [];
  /** `,model,` per model. */
  private readonly models: Buffer[];
  /** `,event,model,` per event kind and model. */
  private readonly kindModel: Buffer[][];
  /** `reason\n` per reason. */
  private readonly reasons: Buffer[];
  /** `status,` per status. */
  private readonly statuses: Buffer[];
  private readonly host = enc('host');
  private readonly room: number;
  private readonly lastT = new LastTime();

  constructor(dir: string, modelNames: readonly string[], private readonly ids: readonly (string | null)[] | null) {
    this.requestsFile = new FileWriter(join(dir, 'requests.csv'));
    this.eventsFile = new FileWriter(join(dir, 'events.csv'));
    this.requestsFile.write(REQUESTS_HEADER + '\n');
    this.eventsFile.write(EVENTS_HEADER + '\n');
    const names = modelNames.map(csvField);
    this.models = names.map((m) => enc(`,${m},`));
    this.kindModel = EVENT_NAMES.map((k) => names.map((m) => enc(`,${k},${m},`)));
    this.reasons = REASON_NAMES.map((r) => enc(`${r}\n`));
    this.statuses = STATUS_NAMES.map((s) => enc(`${s},`));
    this.room = 256 + Math.max(0, ...this.models.map((m) => m.length));
  }

  /** A candidate's rows follow; returns its number for request() and event(). */
  candidate(name: string): number {
    this.candidates.push(enc(`${csvField(name)},`));
    return this.candidates.length - 1;
  }

  request(c: number, index: number, model: number, arrival: number, admitted: number, start: number, end: number, status: number, http: number, cold: boolean): void {
    const out = this.requestsFile;
    const cell = this.candidates[c]!;
    out.room(this.room + cell.length);
    out.bytes(cell);
    this.id(out, index, cell.length);
    out.bytes(this.models[model]!);
    out.seconds(arrival);
    out.char(COMMA);
    out.seconds(admitted);
    out.char(COMMA);
    out.seconds(start);
    out.char(COMMA);
    out.seconds(end);
    out.char(COMMA);
    out.bytes(this.statuses[status]!);
    if (status !== Status.stuck) {
      if (Number.isInteger(http) && http >= 0) out.uint(http);
      else out.write(String(http));
    }
    out.char(COMMA);
    out.char(cold ? 49 : 48);
    out.char(COMMA);
    if (!Number.isNaN(end)) out.seconds(end - arrival);
    out.char(NL);
  }

  event(c: number, t: number, kind: number, model: number, request: number, reason: number, value: number): void {
    const out = this.eventsFile;
    const cell = this.candidates[c]!;
    out.room(this.room + cell.length);
    out.bytes(cell);
    out.secondsAgain(t, this.lastT);
    out.bytes(this.kindModel[kind]![model]!);
    if (request >= 0) this.id(out, request, cell.length);
    out.char(COMMA);
    // A fleet's routing decision names the host in the reason column.
    if (kind === EventKind.route) {
      out.bytes(this.host);
      if (Number.isInteger(value) && value >= 0) out.uint(value);
      else out.write(String(value));
      out.char(NL);
    } else {
      out.bytes(this.reasons[reason]!);
    }
  }

  /** The request's id: its 1-based position unless the trace names it. */
  private id(out: FileWriter, index: number, extra: number): void {
    const id = this.ids?.[index];
    if (id == null) {
      out.uint(index + 1);
    } else {
      out.write(csvField(id));
      out.room(this.room + extra);
    }
  }

  close(): void {
    this.requestsFile.close();
    this.eventsFile.close();
  }
}
