import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { InputError, msg, type Message } from '../diag/index.js';
import type { ImportResult } from '../logs/assemble.js';
import { RecordingFiles } from './recording-files.js';

const fail = (file: string, [problem, hint]: Message) => new InputError({ file, line: 1, field: '(file)', problem, ...(hint ? { hint } : {}) });

/** A server log's lines, read in chunks as they are consumed (a week of DEBUG lines never sits in memory whole). */
export interface LogLines extends Iterable<string> {
  /** Lines with something other than white space, so far. */
  readonly nonBlank: number;
}

/**
 * Opens an Ollama server log (journalctl output or ~/.ollama/logs/server.log).
 * A missing file or a directory is an input error now; an empty one once read
 * (`nonBlank` = 0); whether it is a log at all is for the importer to say.
 */
export function readServerLog(file: string): LogLines {
  let fd: number;
  try {
    if (statSync(file).isDirectory()) throw fail(file, msg.logIsDirectory());
    fd = openSync(file, 'r');
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw fail(file, code === 'ENOENT' ? msg.noSuchLog() : code === 'EISDIR' ? msg.logIsDirectory() : msg.cannotRead(code ?? String(e)));
  }
  const state = { nonBlank: 0 };
  function* lines(): Generator<string> {
    const decoder = new StringDecoder('utf8');
    const buf = Buffer.alloc(1 << 20);
    let rest = '';
    const count = (line: string) => { if (line.trim() !== '') state.nonBlank++; return line; };
    try {
      for (;;) {
        const n = readSync(fd, buf, 0, buf.length, null);
        if (n === 0) break;
        const parts = (rest + decoder.write(buf.subarray(0, n))).split('\n');
        rest = parts.pop()!;
        for (const p of parts) yield count(p);
      }
      rest += decoder.end();
      if (rest !== '') yield count(rest);
    } finally {
      closeSync(fd);
    }
  }
  const it = lines();
  return { [Symbol.iterator]: () => it, get nonBlank() { return state.nonBlank; } };
}

/** The file has nothing but blank lines. */
export function emptyLog(file: string): InputError {
  return fail(file, msg.emptyLog());
}

/** The importer found no server line in the file: it is not an Ollama log. */
export function notServerLog(file: string, lines: number): InputError {
  return fail(file, msg.notServerLog(lines));
}

/** Writes a log import as `record` writes a recording: trace.csv, requests.jsonl, observed.json. */
export async function writeLogImport(dir: string, res: ImportResult): Promise<void> {
  const files = new RecordingFiles(dir);
  for (const line of res.trace) files.traceRow(line);
  for (const r of res.requests) files.request(r);
  files.observed(res.observed);
  await files.close();
}
