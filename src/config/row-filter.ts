import { type InputError, isBadValue, type Message, warn } from '../diag/index.js';

/** Per source: a row with a missing or unparseable field fails the run (default) or is left out. */
export type BadRows = 'fail' | 'skip';

/** `where: { column: value | [values] }`: only rows whose column (as named in the file) holds one of the values. */
export type Where = Record<string, readonly string[]>;

/** How many line numbers the warning lists. */
const FIRST_LINES = 5;

/**
 * The row filter of one `workload.sources` entry, applied to each parsed row
 * with its line number — by the streaming readers and by any faster reader
 * alike: `where` keeps only matching rows, before any field is read; with
 * `bad_rows: skip` a row whose field is missing or unparseable is left out and
 * counted, never a row out of order, an unmapped model or a file error.
 */
export class RowFilter {
  private readonly bad = new WeakSet<InputError>();
  private readonly lines: number[] = [];
  private first: InputError | null = null;
  /** Rows left out by bad_rows: skip, and by where. */
  skipped = 0;
  unmatched = 0;

  constructor(readonly file: string, readonly badRows: BadRows = 'fail', readonly where?: Where) {}

  /** The columns `where` reads (a CSV reader checks them against its header). */
  get columns(): string[] {
    return Object.keys(this.where ?? {});
  }

  /** Whether the row matches `where`; `value(column)` is the row's cell or key as written. */
  matches(value: (column: string) => unknown): boolean {
    if (!this.where) return true;
    for (const [column, values] of Object.entries(this.where)) {
      const v = value(column);
      if (v === undefined || v === null || !values.includes(String(v).trim())) {
        this.unmatched++;
        return false;
      }
    }
    return true;
  }

  /** Notes an error made for a row's field, so that `row` can tell a bad value from any other problem. */
  mark(err: InputError, m: Message): InputError {
    if (isBadValue(m)) this.bad.add(err);
    return err;
  }

  /** Adds one row; with bad_rows: skip a bad value leaves it out instead of ending the read. */
  row(add: () => void): void {
    try {
      add();
    } catch (e) {
      if (this.badRows !== 'skip' || !this.bad.has(e as InputError)) throw e;
      const err = e as InputError;
      this.skipped++;
      this.first ??= err;
      if (this.lines.length < FIRST_LINES) this.lines.push(err.line);
    }
  }

  /** The summary's warning: how many rows were left out and where the first few are; null when none. */
  warning(): string | null {
    if (this.skipped === 0 || !this.first) return null;
    return warn.skippedRows(this.file, this.skipped, this.lines, `${this.first.field}: ${this.first.diagnostic.problem}`);
  }
}
