import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { fileError, InputError, msg, type Message } from '../diag/index.js';

/**
 * Streams a CSV or JSON Lines file row by row with its line number, so a
 * million-row trace never sits in memory as text or as record objects. The
 * callbacks run synchronously per row; what they throw ends the read.
 */
export type Fail = (line: number, field: string, m: Message) => InputError;

export const failIn = (file: string): Fail => (line, field, m) =>
  new InputError({ file, line, field, problem: m[0], hint: m[1] });

const CHUNK = 1 << 20;

/** CSV with a header: `header(names)` once, then `row(cells, line)` per record. */
export async function streamCsv(
  file: string,
  header: (names: string[]) => void,
  row: (cells: string[], line: number) => void,
): Promise<void> {
  const fail = failIn(file);
  const parser = parse({ bom: true, skip_empty_lines: true, relax_column_count: true });
  const input = createReadStream(file, { highWaterMark: CHUNK });
  let seenHeader = false;
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
    parser.on('error', (e: Error & { lines?: number }) => stop(fail(e.lines ?? parser.info.lines, '(csv)', msg.csvSyntax(e.message.split('\n')[0]!))));
    parser.on('data', (cells: string[]) => {
      if (failed) return;
      try {
        // info.lines is the line of the record just parsed (synchronous with 'data').
        if (!seenHeader) {
          seenHeader = true;
          header(cells.map((c) => c.trim()));
        } else {
          row(cells, parser.info.lines);
        }
      } catch (e) {
        stop(e);
      }
    });
    parser.on('end', () => {
      if (failed) return;
      if (!seenHeader) return stop(fileError(file, 'EMPTY'));
      resolve();
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
