import { createWriteStream, mkdirSync, renameSync, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { ObservedDocument, RecordedRequest, RecordingSink } from '../record/recorder.js';

/**
 * `ollamasim record --out DIR`: trace.csv (the core format, rows in arrival
 * order as soon as every earlier request has ended), requests.jsonl (every
 * request, appended as it ends) and observed.json (rewritten whole, through a
 * temporary file, after each /api/ps poll). All three survive a crash up to
 * the last write.
 */
export class RecordingFiles implements RecordingSink {
  private readonly trace: WriteStream;
  private readonly requests: WriteStream;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.trace = createWriteStream(join(dir, 'trace.csv'));
    this.requests = createWriteStream(join(dir, 'requests.jsonl'));
  }

  request(r: RecordedRequest): void {
    this.requests.write(`${JSON.stringify(r)}\n`);
  }

  traceRow(line: string): void {
    this.trace.write(`${line}\n`);
  }

  observed(doc: ObservedDocument): void {
    const file = join(this.dir, 'observed.json');
    writeFileSync(`${file}.tmp`, `${JSON.stringify(doc, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
  }

  close(): Promise<void> {
    const end = (s: WriteStream) => new Promise<void>((resolve) => s.end(() => resolve()));
    return Promise.all([end(this.trace), end(this.requests)]).then(() => undefined);
  }
}
