import { REQUEST_FIELDS, type RequestField, type RequestRows } from '../config/request-rows.js';
import { msg } from '../diag/index.js';
import { failIn, streamCsv } from './read-rows.js';

/**
 * Reads a trace CSV (header row required; at least at,model and a duration or
 * token counts) into the request rows, streaming. Errors name the file, the
 * line (the header is line 1) and the column. Handles a BOM and CRLF line ends.
 */
export async function readTraceCsv(file: string, rows: RequestRows): Promise<void> {
  const fail = failIn(file);
  const column = new Map<RequestField, number>();
  await streamCsv(
    file,
    (header) => {
      header.forEach((name, i) => {
        if (!(REQUEST_FIELDS as readonly string[]).includes(name)) throw fail(1, name, msg.unknownColumn(name, REQUEST_FIELDS));
        column.set(name as RequestField, i);
      });
      for (const required of ['at', 'model'] as const) {
        if (!column.has(required)) throw fail(1, required, msg.missingColumn(required));
      }
      if (!column.has('duration') && !column.has('prompt_tokens') && !column.has('output_tokens')) {
        throw fail(1, 'duration', msg.missingColumn('duration'));
      }
    },
    (cells, line) => {
      rows.add(
        (f) => { const i = column.get(f); return i === undefined ? undefined : cells[i]?.trim(); },
        (field, m) => fail(line, field, m),
        `${file}:${line}`,
        true,
      );
    },
  );
}
