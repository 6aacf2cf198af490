import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedScenario } from '../config/types.js';
import { EVENT_NAMES, EventKind, type EventSink, REASON_NAMES, Status, STATUS_NAMES } from '../events/index.js';
import type { Req, RequestSink } from '../ollama/index.js';
import { requestId } from '../workload/trace.js';
import type { RunFiles } from './run-outputs.js';

type Writer = typeof import('hyparquet-writer');
type Cell = string | number | boolean | null;
interface Column { name: string; type: 'STRING' | 'DOUBLE' | 'INT32' | 'BOOLEAN'; required: boolean }

/** Rows per row group: memory stays flat, and readers can skip groups by their statistics. */
const GROUP = 100_000;

/**
 * `run --format parquet`: requests.parquet and events.parquet with the columns
 * of requests.csv and events.csv (times in seconds as doubles; an empty CSV
 * cell is a null; `cold` a boolean), for notebooks (pandas, polars and DuckDB
 * read them directly). Written a row group at a time, through hyparquet-writer
 * (pure JavaScript, loaded only for this format). CSV stays the default and
 * the contract.
 */
export async function parquetOutputs(dir: string, sc: ResolvedScenario): Promise<RunFiles> {
  const hp = await import('hyparquet-writer');
  mkdirSync(dir, { recursive: true });
  return new ParquetOutputs(hp, dir, sc);
}

export const REQUEST_COLUMNS: Column[] = [
  { name: 'candidate', type: 'STRING', required: true }, { name: 'id', type: 'STRING', required: true },
  { name: 'model', type: 'STRING', required: true }, { name: 'arrival', type: 'DOUBLE', required: false },
  { name: 'admitted', type: 'DOUBLE', required: false }, { name: 'start', type: 'DOUBLE', required: false },
  { name: 'end', type: 'DOUBLE', required: false }, { name: 'status', type: 'STRING', required: true },
  { name: 'http_status', type: 'INT32', required: false }, { name: 'cold', type: 'BOOLEAN', required: true },
  { name: 'latency', type: 'DOUBLE', required: false },
];

export const EVENT_COLUMNS: Column[] = [
  { name: 'candidate', type: 'STRING', required: true }, { name: 't', type: 'DOUBLE', required: true },
  { name: 'event', type: 'STRING', required: true }, { name: 'model', type: 'STRING', required: true },
  { name: 'request', type: 'STRING', required: false }, { name: 'reason', type: 'STRING', required: false },
];

class ParquetOutputs implements RunFiles {
  private readonly requestsTable: Table;
  private readonly eventsTable: Table;

  constructor(hp: Writer, dir: string, private readonly sc: ResolvedScenario) {
    this.requestsTable = new Table(hp, join(dir, 'requests.parquet'), REQUEST_COLUMNS);
    this.eventsTable = new Table(hp, join(dir, 'events.parquet'), EVENT_COLUMNS);
  }

  requests(candidate: string): RequestSink {
    const { trace, modelNames } = this.sc;
    const t = this.requestsTable;
    const s = (us: number) => (Number.isNaN(us) ? null : us / 1e6);
    return {
      done(r: Req) {
        const answered = !Number.isNaN(r.end);
        t.row(candidate, requestId(trace, r.index), modelNames[r.model]!, s(r.firstArrival), s(r.admitted), s(r.start), s(r.end),
          STATUS_NAMES[r.status]!, r.status === Status.stuck ? null : r.http, r.cold, answered ? (r.end - r.firstArrival) / 1e6 : null);
      },
    };
  }

  events(candidate: string): EventSink {
    const { trace, modelNames } = this.sc;
    const t = this.eventsTable;
    return {
      event(time, kind, model, request, reason, value) {
        const why = kind === EventKind.route ? `host${value}` : REASON_NAMES[reason]!;
        t.row(candidate, time / 1e6, EVENT_NAMES[kind]!, modelNames[model]!, request >= 0 ? requestId(trace, request) : null, why === '' ? null : why);
      },
    };
  }

  close(): void {
    this.requestsTable.close();
    this.eventsTable.close();
  }
}

/** One Parquet file filled row by row, a row group at a time. */
class Table {
  private readonly writer: InstanceType<Writer['ParquetWriter']>;
  private cols: Cell[][];
  private n = 0;

  constructor(hp: Writer, file: string, private readonly columns: Column[]) {
    this.writer = new hp.ParquetWriter({
      writer: hp.fileWriter(file),
      schema: [
        { name: 'root', num_children: columns.length },
        ...columns.map((c) => ({
          name: c.name,
          type: c.type === 'STRING' ? 'BYTE_ARRAY' as const : c.type,
          ...(c.type === 'STRING' ? { converted_type: 'UTF8' as const } : {}),
          repetition_type: c.required ? 'REQUIRED' as const : 'OPTIONAL' as const,
        })),
      ],
      createdBy: 'ollamasim',
    });
    this.cols = columns.map(() => []);
  }

  row(...cells: Cell[]): void {
    for (let k = 0; k < cells.length; k++) this.cols[k]!.push(cells[k]!);
    if (++this.n === GROUP) this.flush();
  }

  private flush(): void {
    if (this.n === 0) return;
    void this.writer.write({ columnData: this.columns.map((c, k) => ({ name: c.name, data: this.cols[k]! })), rowGroupSize: this.n });
    this.cols = this.columns.map(() => []);
    this.n = 0;
  }

  close(): void {
    this.flush();
    void this.writer.finish();
  }
}
