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
    const buf = this.buf;
    if (n < 10) {
      buf[this.used++] = 48 + n;
      return;
    }
    let digits = 1;
    for (let p = 10; p <= n; p *= 10) digits++;
    let u = this.used + digits;
    this.used = u;
    // Below 2^31 the digits come from int32 arithmetic.
    if (n < 2147483648) {
      let m = n | 0;
      while (m >= 10) {
        const q = (m / 10) | 0;
        buf[--u] = 48 + m - q * 10;
        m = q;
      }
      buf[--u] = 48 + m;
      return;
    }
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
    // Six decimals, trailing zeros dropped.
    let f = frac | 0;
    let len = 6;
    while (f % 10 === 0) {
      f = (f / 10) | 0;
      len--;
    }
    const buf = this.buf;
    buf[this.used] = 46;
    let u = this.used + 1 + len;
    this.used = u;
    for (let k = 0; k < len; k++) {
      const q = (f / 10) | 0;
      buf[--u] = 48 + f - q * 10;
      f = q;
    }
  }

  /** seconds(us), copied from `last` when it holds the same time (consecutive events often share one). */
  secondsAgain(us: number, last: LastTime): void {
    const buf = this.buf;
    if (us === last.us) {
      const b = last.bytes;
      let u = this.used;
      for (let i = 0; i < last.length; i++) buf[u++] = b[i]!;
      this.used = u;
      return;
    }
    const from = this.used;
    this.seconds(us);
    const n = this.used - from;
    if (n <= last.bytes.length) {
      last.us = us;
      last.length = n;
      const b = last.bytes;
      for (let i = 0; i < n; i++) b[i] = buf[from + i]!;
    } else {
      last.us = NaN;
    }
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

/** The text of the last time written by secondsAgain. */
export class LastTime {
  us = NaN;
  length = 0;
  readonly bytes = new Uint8Array(32);
}

/** RFC 4180 quoting, only where needed. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Seconds from µs with at least millisecond precision (µs kept); empty when not reached. */
export function seconds(us: number): string {
  return Number.isNaN(us) ? '' : String(us / 1e6);
}
