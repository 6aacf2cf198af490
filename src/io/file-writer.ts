import { closeSync, openSync, writeSync } from 'node:fs';

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
  private readonly buf = Buffer.allocUnsafe(SIZE);
  private used = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
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
    if (n < 10) {
      this.buf[this.used++] = 48 + n;
      return;
    }
    let digits = 1;
    for (let p = 10; p <= n; p *= 10) digits++;
    let u = this.used + digits;
    this.used = u;
    const buf = this.buf;
    while (n >= 10) {
      const q = Math.floor(n / 10);
      buf[--u] = 48 + (n - q * 10);
      n = q;
    }
    buf[--u] = 48 + n;
  }

  /**
   * µs as seconds, the same text as `seconds(us)`: for a whole number of µs
   * below 10^15 (31 years) that is the integer part, then the six decimals
   * without trailing zeros — the shortest decimal that reads back as us/1e6,
   * which is what String() prints (15 significant digits always round-trip).
   * Anything else (NaN: nothing; fractions of a µs) goes through String().
   */
  seconds(us: number): void {
    if (!(us >= 0 && us < 1e15 && Number.isInteger(us))) {
      if (!Number.isNaN(us)) this.used += this.buf.write(String(us / 1e6), this.used, 'latin1');
      return;
    }
    let whole = Math.floor(us / 1e6);
    let frac = us - whole * 1e6;
    if (frac < 0) {
      whole--;
      frac += 1e6;
    } else if (frac >= 1e6) {
      whole++;
      frac -= 1e6;
    }
    this.uint(whole);
    if (frac === 0) return;
    const buf = this.buf;
    let u = this.used;
    buf[u++] = 46;
    for (let d = 100000; frac > 0; d /= 10) {
      const q = Math.floor(frac / d);
      buf[u++] = 48 + q;
      frac -= q * d;
    }
    this.used = u;
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
