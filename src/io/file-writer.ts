import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Append-only text file written synchronously through a 1 MiB buffer:
 * simulation callbacks can write rows without awaiting, and memory stays flat
 * however many rows a run produces. Rows are encoded straight into the buffer
 * (no growing string to flatten and re-encode).
 */
const SIZE = 1 << 20;

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
