import { createWriteStream, mkdirSync, renameSync, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { ObservedDocument, RecordedRequest, RecordingSink } from '../record/recorder.js';

/**
 * `ollamasim record --out DIR`: trace.csv (the core format, rows in arrival
 * order as soon as every earlier request has ended), requests.jsonl (every
 * request, appended as it ends) and observed.json (rewritten whole, through a
 * temporary file, after each /api/ps poll). All three survive a crash up to
 * the last write. Rows and records are gathered for up to FLUSH_MS and written
 * together: a write per record cost the proxy ~40 µs of its main thread each,
 * and 200 streams ending at once would pay it 200 times.
 */
/** How long a record may wait in memory before it is written. */
const FLUSH_MS = 100;

export class RecordingFiles implements RecordingSink {
  private readonly trace: WriteStream;
  private readonly requests: WriteStream;
  private traceText = '';
  private requestsText = '';
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.trace = createWriteStream(join(dir, 'trace.csv'));
    this.requests = createWriteStream(join(dir, 'requests.jsonl'));
  }

  request(r: RecordedRequest): void {
    this.requestsText += `${JSON.stringify(r)}\n`;
    this.soon();
  }

  traceRow(line: string): void {
    this.traceText += `${line}\n`;
    this.soon();
  }

  private soon(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.traceText) this.trace.write(this.traceText);
    if (this.requestsText) this.requests.write(this.requestsText);
    this.traceText = '';
    this.requestsText = '';
  }

  observed(doc: ObservedDocument): void {
    const file = join(this.dir, 'observed.json');
    writeFileSync(`${file}.tmp`, `${JSON.stringify(doc, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
  }

  close(): Promise<void> {
    this.flush();
    const end = (s: WriteStream) => new Promise<void>((resolve) => s.end(() => resolve()));
    return Promise.all([end(this.trace), end(this.requests)]).then(() => undefined);
  }
}
