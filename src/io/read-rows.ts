import { createReadStream } from 'node:fs';
import { fileError, InputError, msg, type Message } from '../diag/index.js';
import { CsvRow, type Handover, splitCsvFile } from './csv-split.js';

/**
 * Streams a CSV or JSON Lines file row by row with its line number, so a
 * million-row trace never sits in memory as text or as record objects. The
 * callbacks run synchronously per row; what they throw ends the read.
 */
export type Fail = (line: number, field: string, m: Message) => InputError;

export const failIn = (file: string): Fail => (line, field, m) =>
  new InputError({ file, line, field, problem: m[0], hint: m[1] });

const CHUNK = 1 << 20;

/**
 * CSV with a header, each record as a CsvRow (byte ranges: cells decoded only
 * when asked). Plain files are split here in large chunks; from the first
 * chunk with a quote or a mixed line end csv-parse reads the rest, with the
 * same records, line numbers and errors. `row` is the one place each record
 * passes with its line: a per-row filter hooks in there.
 */
export async function readCsv(
  file: string,
  header: (names: string[]) => void,
  row: (r: CsvRow, line: number) => void,
  /** Bytes per read (tests use small ones to cross chunk boundaries). */
  chunk?: number,
  /** Hears once, early, about how many records a long file holds (so columns can grow once). */
  expect?: (records: number) => void,
): Promise<void> {
  const fail = failIn(file);
  let seenHeader = false;
  const record = (r: CsvRow, line: number) => {
    if (seenHeader) return row(r, line);
    seenHeader = true;
    header(r.cells().map((c) => c.trim()));
  };
  let handover: Handover | null;
  try {
    handover = splitCsvFile(file, record, chunk, expect);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && !(e instanceof InputError)) throw fileError(file, code);
    throw e;
  }
  if (handover) await parseCsv(file, handover, seenHeader, record);
  if (!seenHeader) throw fileError(file, 'EMPTY');
}

/** csv-parse from `from.offset` on (the whole file when 0), line numbers shifted by `from.lines`. */
async function parseCsv(file: string, from: Handover, afterHeader: boolean, record: (r: CsvRow, line: number) => void): Promise<void> {
  const fail = failIn(file);
  // Loaded only for a file with quotes (or mixed line ends).
  const { parse } = await import('csv-parse');
  const parser = parse({
    bom: true, skip_empty_lines: true, relax_column_count: true,
    // Mid-file, the line end is the one csv-parse detected from the header.
    ...(afterHeader ? { record_delimiter: from.eol } : {}),
  });
  const input = createReadStream(file, { highWaterMark: CHUNK, start: from.offset });
  const row = new CsvRow();
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const stop = (e: unknown) => {
      if (failed) return;
      failed = true;
      input.destroy();
      parser.destroy();
      reject(e);
    };
    input.on('error', (e: NodeJS.ErrnoException) => stop(fileError(file, e.code ?? String(e))));
    parser.on('error', (e: Error & { lines?: number }) => {
      // csv-parse counts from where it started; its message says "at line N" too.
      const detail = e.message.split('\n')[0]!.replace(/at line (\d+)/g, (_, n: string) => `at line ${from.lines + Number(n)}`);
      stop(fail(from.lines + (e.lines ?? parser.info.lines), '(csv)', msg.csvSyntax(detail)));
    });
    parser.on('data', (cells: string[]) => {
      if (failed) return;
      try {
        // info.lines is the line of the record just parsed (synchronous with 'data').
        record(row.from(cells), from.lines + parser.info.lines);
      } catch (e) {
        stop(e);
      }
    });
    parser.on('end', () => {
      if (!failed) resolve();
    });
    input.pipe(parser);
  });
}

/** JSON Lines: `row(object, line)` per non-empty line. */
export async function streamJsonl(file: string, row: (obj: Record<string, unknown>, line: number) => void): Promise<void> {
  const fail = failIn(file);
  let rest = '';
  let line = 0;
  let seen = false;
  const handle = (text: string) => {
    line++;
    if (text.trim() === '') return;
    seen = true;
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch (e) {
      throw fail(line, '(json)', msg.badJson((e as Error).message));
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw fail(line, '(json)', msg.notAnObject());
    row(obj as Record<string, unknown>, line);
  };
  const input = createReadStream(file, { encoding: 'utf8', highWaterMark: CHUNK });
  try {
    for await (const chunk of input) {
      const s = rest + (chunk as string);
      let i = 0;
      let j: number;
      while ((j = s.indexOf('\n', i)) >= 0) {
        handle(s.charCodeAt(j - 1) === 13 ? s.slice(i, j - 1) : s.slice(i, j));
        i = j + 1;
      }
      rest = s.slice(i);
    }
  } catch (e) {
    input.destroy();
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && !(e instanceof InputError)) throw fileError(file, code);
    throw e;
  }
  if (rest !== '') handle(rest);
  if (!seen) throw fileError(file, 'EMPTY');
}
