import { closeSync, openSync, writeSync } from 'node:fs';
import { putMicros, putUint } from './digits.js';

/**
 * Append-only text file written synchronously through one large reusable
 * buffer: simulation callbacks can write rows without awaiting, memory stays
 * flat however many rows a run produces, and the disk sees 4 MiB writes.
 * Rows are put together in the buffer itself — names pre-encoded once, numbers
 * formatted digit by digit — with no per-row string to build and re-encode.
 */
const SIZE = 4 << 20;

export class FileWriter {
  private readonly fd: number;
  /** The buffer and its fill, for row writers that put a whole row together with the position in a local (csv-rows.ts; after room()). */
  readonly buf = Buffer.allocUnsafe(SIZE);
  /** The same bytes, for row writers that put four at a store (digits.ts putPiece). */
  readonly view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  used = 0;

  /**
   * `existing`: the file was just created empty (by the thread that checks
   * the folder) and is opened without truncating it again — on ext4, closing
   * a file emptied by a truncating open flushes it to disk (0.1 s per 400 MB).
   */
  constructor(path: string, existing = false) {
    this.fd = openSync(path, existing ? 'r+' : 'w');
  }

  write(text: string): void {
    // A UTF-16 unit takes at most 3 UTF-8 bytes.
    if (this.used + text.length * 3 > SIZE) {
      this.flush();
      if (text.length * 3 > SIZE) {
        writeSync(this.fd, text);
        return;
      }
    }
    this.used += this.buf.write(text, this.used);
  }

  /**
   * Makes room for a row of at most `bytes` bytes: the unchecked appends below
   * (bytes, char, uint, seconds) may then run without a bounds check each.
   */
  room(bytes: number): void {
    if (this.used + bytes > SIZE) this.flush();
  }

  /** Appends pre-encoded text (a short cell: a loop beats Buffer.set's call). */
  bytes(b: Uint8Array): void {
    const buf = this.buf;
    let u = this.used;
    for (let i = 0; i < b.length; i++) buf[u++] = b[i]!;
    this.used = u;
  }

  char(c: number): void {
    this.buf[this.used++] = c;
  }

  /** A whole number ≥ 0 below 2^53, as String(n) writes it. */
  uint(n: number): void {
    this.used = putUint(this.buf, this.used, n);
  }

  /**
   * µs as seconds, the same text as `seconds(us)` (digits.ts putMicros); NaN
   * writes nothing, and what putMicros does not take goes through String().
   */
  seconds(us: number): void {
    const end = putMicros(this.buf, this.used, us);
    if (end >= 0) this.used = end;
    else if (!Number.isNaN(us)) this.used += this.buf.write(String(us / 1e6), this.used, 'latin1');
  }

  flush(): void {
    if (this.used > 0) {
      writeSync(this.fd, this.buf, 0, this.used);
      this.used = 0;
    }
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** RFC 4180 quoting, only where needed. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Seconds from µs with at least millisecond precision (µs kept); empty when not reached. */
export function seconds(us: number): string {
  return Number.isNaN(us) ? '' : String(us / 1e6);
}
