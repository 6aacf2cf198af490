import { REQUEST_FIELDS, type RequestField, type RequestRows } from '../config/request-rows.js';
import { msg } from '../diag/index.js';
import { CsvRow } from './csv-split.js';
import { failIn, readCsv } from './read-rows.js';

/**
 * Reads a trace CSV (header row required; at least at,model and a duration or
 * token counts) into the request rows, streaming. Errors name the file, the
 * line (the header is line 1) and the column. Handles a BOM and CRLF line ends.
 *
 * The common row — a plain decimal `at` and `duration`, a model named exactly,
 * maybe an id, every other cell empty — goes straight into the columns from
 * the bytes; any other row takes RequestRows.add with its text cells, so what
 * a row means and every error message stay those of `add`.
 */
export async function readTraceCsv(file: string, rows: RequestRows): Promise<void> {
  const fail = failIn(file);
  const column = new Map<RequestField, number>();
  let plain: PlainRow | null = null;
  await readCsv(
    file,
    (header) => {
      header.forEach((name, i) => {
        if (!(REQUEST_FIELDS as readonly string[]).includes(name)) throw fail(1, name, msg.unknownColumn(name, REQUEST_FIELDS));
        column.set(name as RequestField, i);
      });
      for (const required of ['at', 'model'] as const) {
        if (!column.has(required)) throw fail(1, required, msg.missingColumn(required));
      }
      if (!column.has('duration') && !column.has('prompt_tokens') && !column.has('output_tokens')) {
        throw fail(1, 'duration', msg.missingColumn('duration'));
      }
      if (column.has('duration')) plain = new PlainRow(column, rows);
    },
    (r, line) => {
      if (plain?.add(r)) return;
      rows.add(
        (f) => { const i = column.get(f); return i === undefined ? undefined : r.text(i)?.trim(); },
        (field, m) => fail(line, field, m),
        `${file}:${line}`,
        true,
      );
      plain?.learn();
    },
    undefined,
    (n) => rows.reserve(n),
  );
}

/** The fast path for the common row; `add` says false when the row needs the full checks. */
class PlainRow {
  private readonly at: number;
  private readonly model: number;
  private readonly duration: number;
  private readonly id: number;
  /** Columns that must be empty for a row to be plain. */
  private readonly others: number[];
  /** Model names by the FNV hash of their bytes. */
  private names = new Map<number, { bytes: Buffer; index: number }[]>();
  private known = -1;

  constructor(column: Map<RequestField, number>, private readonly rows: RequestRows) {
    this.at = column.get('at')!;
    this.model = column.get('model')!;
    this.duration = column.get('duration')!;
    this.id = column.get('id') ?? -1;
    this.others = [...column].filter(([f]) => !['at', 'model', 'duration', 'id'].includes(f)).map(([, i]) => i);
    this.learn();
  }

  add(r: CsvRow): boolean {
    for (const k of this.others) if (!r.empty(k)) return false;
    const at = r.decimal(this.at);
    const duration = r.decimal(this.duration);
    if (at < 0 || duration < 0 || r.empty(this.model)) return false;
    const model = this.lookup(r);
    if (model < 0) return false;
    let id: string | null = null;
    if (this.id >= 0 && !r.empty(this.id)) {
      id = r.text(this.id)!.trim();
      if (id === '') id = null;
    }
    return this.rows.addPlain(at, model, duration, id);
  }

  /** Picks up names an open reader (trace stats) met on the slow path. */
  learn(): void {
    if (this.rows.modelCount === this.known) return;
    const models = this.rows.models;
    this.known = models.length;
    this.names = new Map();
    models.forEach((name, index) => {
      // A name with edge spaces never equals a trimmed cell: leave it to the slow path.
      if (name !== name.trim()) return;
      const bytes = Buffer.from(name, 'utf8');
      const h = new CsvRow().from([name]).hash(0);
      this.names.set(h, [...(this.names.get(h) ?? []), { bytes, index }]);
    });
  }

  private lookup(r: CsvRow): number {
    const list = this.names.get(r.hash(this.model));
    if (list) for (const e of list) if (r.equals(this.model, e.bytes)) return e.index;
    return -1;
  }
}
