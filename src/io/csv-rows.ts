import { join } from 'node:path';
import { EVENT_NAMES, EventKind, REASON_NAMES, Status, STATUS_NAMES } from '../events/index.js';
import { csvField, FileWriter } from './file-writer.js';
import { piece, type Piece, putMicros, putPiece, putUint } from './digits.js';

/** Header lines fixed by the core issue: a contract, extend only at the end. */
export const REQUESTS_HEADER = 'candidate,id,model,arrival,admitted,start,end,status,http_status,cold,latency';
export const EVENTS_HEADER = 'candidate,t,event,model,request,reason';

const COMMA = 44;
const NL = 10;
const enc = (s: string): Piece => piece(Buffer.from(s, 'utf8'));

/**
 * The rows of requests.csv and events.csv, put together in the writers'
 * buffers: every name encoded once (with the commas around it) and put four
 * bytes at a time, numbers formatted digit by digit. Runs where the rows are made, or on the writer
 * thread (csv-worker.ts) from the numbers alone.
 */
export class CsvRows {
  private readonly requestsFile: FileWriter;
  private readonly eventsFile: FileWriter;
  /** `c,` per candidate, by the order they were added. */
  private readonly candidates: Piece[] = [];
  /** `,model,` per model. */
  private readonly models: Piece[];
  /** `,reason\n` per reason. */
  private readonly reasons: Piece[];
  /** `status,` per status. */
  private readonly statuses: Piece[];
  private readonly host = enc('host');
  private readonly room: number;
  /** The last time written to events.csv, and its text (consecutive events often share one). */
  private lastUs = NaN;
  private readonly lastTime = { words: new Uint32Array(8), length: 0 };
  /** `,event,model,` per event kind and model, at [kind × models + model]. */
  private readonly kindModelFlat: Piece[];
  private readonly modelCount: number;

  /** `existing`: requests.csv and events.csv were just created empty in `dir` (by the thread that checks the folder). */
  constructor(dir: string, modelNames: readonly string[], private readonly ids: readonly (string | null)[] | null, existing = false) {
    this.requestsFile = new FileWriter(join(dir, 'requests.csv'), existing);
    this.eventsFile = new FileWriter(join(dir, 'events.csv'), existing);
    this.requestsFile.write(REQUESTS_HEADER + '\n');
    this.eventsFile.write(EVENTS_HEADER + '\n');
    const names = modelNames.map(csvField);
    this.models = names.map((m) => enc(`,${m},`));
    this.kindModelFlat = EVENT_NAMES.flatMap((k) => names.map((m) => enc(`,${k},${m},`)));
    this.modelCount = names.length;
    this.reasons = REASON_NAMES.map((r) => enc(`,${r}\n`));
    this.statuses = STATUS_NAMES.map((s) => enc(`${s},`));
    // Room for a row: its numbers, its names and a piece's padding.
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
    const view = out.view;
    let u = putPiece(view, out.used, cell);
    u = this.id(out, u, index, cell.length);
    const buf = out.buf;
    u = putPiece(view, u, this.models[model]!);
    u = this.seconds(out, u, arrival);
    buf[u++] = COMMA;
    u = this.seconds(out, u, admitted);
    buf[u++] = COMMA;
    u = this.seconds(out, u, start);
    buf[u++] = COMMA;
    u = this.seconds(out, u, end);
    buf[u++] = COMMA;
    u = putPiece(view, u, this.statuses[status]!);
    if (status !== Status.stuck) u = this.whole(out, u, http);
    buf[u++] = COMMA;
    buf[u++] = cold ? 49 : 48;
    buf[u++] = COMMA;
    if (!Number.isNaN(end)) u = this.seconds(out, u, end - arrival);
    buf[u++] = NL;
    out.used = u;
  }

  event(c: number, t: number, kind: number, model: number, request: number, reason: number, value: number): void {
    const out = this.eventsFile;
    const cell = this.candidates[c]!;
    if (out.used + this.room + cell.length > out.buf.length) out.flush();
    const buf = out.buf;
    const view = out.view;
    let u = putPiece(view, out.used, cell);
    // Consecutive events often share a time: its text is copied from the last row.
    const last = this.lastTime;
    if (t === this.lastUs) {
      u = putPiece(view, u, last);
    } else {
      const from = u;
      u = this.seconds(out, u, t);
      const n = u - from;
      if (n <= 4 * last.words.length) {
        this.lastUs = t;
        last.length = n;
        const w = last.words;
        w.fill(0);
        for (let i = 0; i < n; i++) w[i >> 2] = (w[i >> 2]! | (buf[from + i]! << (8 * (i & 3)))) >>> 0;
      } else {
        this.lastUs = NaN;
      }
    }
    u = putPiece(view, u, this.kindModelFlat[kind * this.modelCount + model]!);
    if (request >= 0) u = this.ids === null ? putUint(buf, u, request + 1) : this.id(out, u, request, cell.length);
    // A fleet's routing decision names the host in the reason column.
    if (kind === EventKind.route) {
      buf[u++] = COMMA;
      u = putPiece(view, u, this.host);
      u = this.whole(out, u, value);
      buf[u++] = NL;
    } else {
      u = putPiece(view, u, this.reasons[reason]!);
    }
    out.used = u;
  }

  /** µs as seconds at u (nothing for NaN; String() for what putMicros does not take). */
  private seconds(out: FileWriter, u: number, us: number): number {
    const end = putMicros(out.buf, u, us);
    if (end >= 0) return end;
    return Number.isNaN(us) ? u : u + out.buf.write(String(us / 1e6), u, 'latin1');
  }

  /** A whole number ≥ 0 as digits, anything else as String() writes it. */
  private whole(out: FileWriter, u: number, n: number): number {
    return Number.isInteger(n) && n >= 0 ? putUint(out.buf, u, n) : u + out.buf.write(String(n), u, 'latin1');
  }

  /** The request's id at u: its 1-based position unless the trace names it. */
  private id(out: FileWriter, u: number, index: number, extra: number): number {
    const id = this.ids?.[index];
    if (id == null) return putUint(out.buf, u, index + 1);
    // A named id can be long: written through the writer (which may flush), then room made again for the rest of the row.
    out.used = u;
    out.write(csvField(id));
    out.room(this.room + extra);
    return out.used;
  }

  close(): void {
    this.requestsFile.close();
    this.eventsFile.close();
  }
}
