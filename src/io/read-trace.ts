import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { InputError, msg, type Message } from '../diag/index.js';
import { REQUEST_FIELDS, type RequestField, type RequestRows } from '../config/request-rows.js';

/**
 * Reads a trace CSV (header row required; at least at,model,duration) into the
 * request rows. Errors name the file, the line (the header is line 1) and the
 * column. Handles a BOM and CRLF line ends.
 */
export function readTraceCsv(file: string, rows: RequestRows): void {
  const fail = (line: number, field: string, m: Message) =>
    new InputError({ file, line, field, problem: m[0], hint: m[1] });
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw fail(1, '(file)', msg.cannotRead((e as NodeJS.ErrnoException).code ?? String(e)));
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, info: true, trim: true }) as unknown as typeof records;
  } catch (e) {
    const err = e as { lines?: number; message: string };
    throw fail(err.lines ?? 1, '(csv)', msg.csvSyntax(err.message.split('\n')[0]!));
  }
  if (records.length === 0) throw fail(1, '(csv)', msg.missingColumn('at'));
  const header = records[0]!.record;
  const column = new Map<RequestField, number>();
  header.forEach((name, i) => {
    if (!(REQUEST_FIELDS as readonly string[]).includes(name)) throw fail(1, name, msg.unknownColumn(name, REQUEST_FIELDS));
    column.set(name as RequestField, i);
  });
  for (const required of ['at', 'model', 'duration'] as const) {
    if (!column.has(required)) throw fail(1, required, msg.missingColumn(required));
  }
  for (let r = 1; r < records.length; r++) {
    const { record, info } = records[r]!;
    const line = info.lines;
    rows.add(
      (f) => { const i = column.get(f); return i === undefined ? undefined : record[i]; },
      (field, m) => fail(line, field, m),
      `${file}:${line}`,
      true,
    );
  }
}
