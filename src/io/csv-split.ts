import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * One CSV record as byte ranges of the read buffer: cells are decoded only
 * when asked, and plain decimals are read straight from the bytes. Valid only
 * during the callback that receives it (the buffer is reused).
 */
export class CsvRow {
  buf: Buffer = Buffer.alloc(0);
  /** Cells in this record. */
  count = 0;
  starts = new Int32Array(64);
  ends = new Int32Array(64);

  /** The cell as text (undefined past the record's end, as csv-parse gives a short row). */
  text(k: number): string | undefined {
    return k < this.count ? this.buf.toString('utf8', this.starts[k]!, this.ends[k]!) : undefined;
  }

  /** True when the cell is absent or has no characters at all. */
  empty(k: number): boolean {
    return k >= this.count || this.starts[k] === this.ends[k];
  }

  cells(): string[] {
    const out = new Array<string>(this.count);
    for (let k = 0; k < this.count; k++) out[k] = this.buf.toString('utf8', this.starts[k]!, this.ends[k]!);
    return out;
  }

  /**
   * The cell as a number when it is a plain decimal (`12`, `0.25`, `.5`, `3.`)
   * whose digits make an integer below 2^53, else -1 (the caller then takes the
   * text path). Such a value is that integer over a power of ten ≤ 10^22, both
   * exact in a double, so one division rounds correctly: the result is exactly
   * Number(text).
   */
  decimal(k: number): number {
    if (k >= this.count) return -1;
    const b = this.buf;
    const end = this.ends[k]!;
    let i = this.starts[k]!;
    let m = 0;
    let digits = 0;
    let scale = 1;
    let dot = false;
    for (; i < end; i++) {
      const c = b[i]!;
      if (c >= 48 && c <= 57) {
        m = m * 10 + (c - 48);
        digits++;
        if (dot) scale *= 10;
      } else if (c === 46 && !dot) {
        dot = true;
      } else {
        return -1;
      }
    }
    return digits === 0 || m > Number.MAX_SAFE_INTEGER || scale > 1e22 ? -1 : m / scale;
  }

  /** FNV-1a of the cell's bytes (for a byte-level name table). */
  hash(k: number): number {
    let h = 0x811c9dc5;
    for (let i = this.starts[k]!, end = this.ends[k]!; i < end; i++) h = Math.imul(h ^ this.buf[i]!, 0x01000193);
    return h >>> 0;
  }

  /** Whether the cell's bytes are exactly `name`. */
  equals(k: number, name: Buffer): boolean {
    const s = this.starts[k]!;
    const len = this.ends[k]! - s;
    if (len !== name.length) return false;
    for (let i = 0; i < len; i++) if (this.buf[s + i] !== name[i]) return false;
    return true;
  }

  /** Holds already-split cells (csv-parse's records, for quoted files). */
  from(cells: readonly string[]): this {
    const parts = cells.map((c) => Buffer.from(c, 'utf8'));
    this.buf = Buffer.concat(parts);
    while (this.starts.length < parts.length) this.widen();
    let at = 0;
    parts.forEach((p, k) => {
      this.starts[k] = at;
      at += p.length;
      this.ends[k] = at;
    });
    this.count = parts.length;
    return this;
  }

  widen(): void {
    const s = new Int32Array(this.starts.length * 2);
    const e = new Int32Array(this.ends.length * 2);
    s.set(this.starts);
    e.set(this.ends);
    this.starts = s;
    this.ends = e;
  }
}

/** What the plain splitter cannot do the way csv-parse does: the rest of the file goes to csv-parse. */
export interface Handover {
  /** Byte offset of the first line csv-parse must read. */
  offset: number;
  /** Lines before it (so csv-parse's line numbers can be shifted). */
  lines: number;
  /** The line end the header used (`\n` or `\r\n`). */
  eol: '\n' | '\r\n';
}

const CHUNK = 4 << 20;
const QUOTE = 34;
const CR = 13;
const LF = 10;

/**
 * Reads a CSV file in large chunks and splits the plain, unquoted common case
 * itself: every line ends as the header's does (LF or CRLF), no quote anywhere.
 * The first chunk that breaks this is handed over before any of its records is
 * given out: a file whose first chunk does, wholly (csv-parse then reads it
 * exactly as before); otherwise from that chunk's first line, with the line
 * count so far. Empty lines are skipped but counted, as csv-parse's
 * skip_empty_lines does; a leading UTF-8 BOM is dropped.
 *
 * `record(row, line)` gets every record, the header first (line numbers are
 * 1-based). Returns null when the whole file was read, else where to resume.
 * `expect`, if given, hears once how many records a long file will have,
 * about (from its first chunk).
 */
export function splitCsvFile(file: string, record: (row: CsvRow, line: number) => void, chunk = CHUNK, expect?: (records: number) => void): Handover | null {
  const fd = openSync(file, 'r');
  try {
    return splitFd(fd, record, chunk, expect);
  } finally {
    closeSync(fd);
  }
}

function splitFd(fd: number, record: (row: CsvRow, line: number) => void, chunk: number, expect?: (records: number) => void): Handover | null {
  let buf: Buffer = Buffer.allocUnsafe(chunk);
  const row = new CsvRow();
  let filled = 0; // bytes in buf
  let consumed = 0; // file offset of buf[0]
  let line = 0; // lines given out or skipped
  let eol: '\n' | '\r\n' | null = null;
  let eof = false;
  let first = true;
  let given = false;
  const emit = (r: CsvRow, l: number) => {
    given = true;
    record(r, l);
  };
  while (!eof || filled > 0) {
    if (!eof) {
      if (filled === buf.length) buf = grow(buf);
      const n = readSync(fd, buf, filled, buf.length - filled, consumed + filled);
      if (n === 0) eof = true;
      filled += n;
      if (!eof && filled < buf.length) continue;
    }
    let start = 0;
    if (first && filled >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
    // Lines wholly in the buffer: up to the last LF (or everything at the end of the file).
    let last = buf.lastIndexOf(LF, filled - 1);
    if (eof) last = filled;
    else if (last < 0) continue; // one line longer than the buffer: read more
    const region = eof ? filled : last + 1;
    eol ??= lineEnd(buf, start, region);
    if (!plain(buf, start, region, eol)) {
      // Nothing given out yet: csv-parse reads the whole file, exactly as it always did.
      return given ? { offset: consumed + start, lines: line, eol: eol ?? '\n' } : { offset: 0, lines: 0, eol: eol ?? '\n' };
    }
    const firstChunk = first;
    first = false;
    line = scan(buf, start, region, eol === '\r\n' ? 1 : 0, row, emit, line);
    // From the first chunk's lines per byte, about how many records the file holds (so columns grow once).
    if (firstChunk && !eof && expect) expect(Math.ceil((fstatSync(fd).size / region) * line * 1.02));
    if (eof) break;
    // Keep the partial last line at the start of the buffer.
    const rest = filled - region;
    buf.copyWithin(0, region, filled);
    consumed += region;
    filled = rest;
  }
  return null;
}

/**
 * One pass over buf[from, to): commas end cells, LFs end records (short cells
 * make indexOf calls dearer than this loop). A region not ending in LF ends
 * the file. Returns the line count after it.
 */
function scan(buf: Buffer, from: number, to: number, crlf: number, row: CsvRow, record: (row: CsvRow, line: number) => void, line: number): number {
  row.buf = buf;
  let starts = row.starts;
  let ends = row.ends;
  let cell = from;
  let s = from;
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = buf[i]!;
    if (c === 44) {
      if (n === starts.length - 1) {
        row.widen();
        starts = row.starts;
        ends = row.ends;
      }
      starts[n] = cell;
      ends[n++] = i;
      cell = i + 1;
    } else if (c === 10) {
      line++;
      const stop = i - crlf;
      if (stop > s) {
        starts[n] = cell;
        ends[n++] = stop;
        row.count = n;
        record(row, line);
      }
      n = 0;
      s = cell = i + 1;
    }
  }
  if (s < to) {
    // The last line of a file without a final line end.
    line++;
    starts[n] = cell;
    ends[n++] = to;
    row.count = n;
    record(row, line);
  }
  return line;
}

/** The header's line end, from the first LF in the region (none: a one-line file, LF). */
function lineEnd(buf: Buffer, from: number, to: number): '\n' | '\r\n' | null {
  const j = buf.indexOf(LF, from);
  if (j < 0 || j >= to) return null;
  return j > from && buf[j - 1] === CR ? '\r\n' : '\n';
}

/** No quote; CRs only just before each LF under CRLF (and then before every one), none under LF. */
function plain(buf: Buffer, from: number, to: number, eol: '\n' | '\r\n' | null): boolean {
  const q = buf.indexOf(QUOTE, from);
  if (q >= 0 && q < to) return false;
  if (eol !== '\r\n') {
    const r = buf.indexOf(CR, from);
    return r < 0 || r >= to;
  }
  // Under CRLF: every LF preceded by CR, and no other CR (a last line may end without a line end).
  let crs = 0;
  for (let i = buf.indexOf(CR, from); i >= 0 && i < to; i = buf.indexOf(CR, i + 1)) {
    if (buf[i + 1] !== LF || i + 1 >= to) return false;
    crs++;
  }
  let lfs = 0;
  for (let i = buf.indexOf(LF, from); i >= 0 && i < to; i = buf.indexOf(LF, i + 1)) lfs++;
  return crs === lfs;
}

function grow(buf: Buffer): Buffer {
  const b = Buffer.allocUnsafe(buf.length * 2);
  buf.copy(b);
  return b;
}
