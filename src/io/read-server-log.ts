import { readFileSync, statSync } from 'node:fs';
import { InputError, msg, type Message } from '../diag/index.js';
import type { ImportResult } from '../logs/assemble.js';
import { RecordingFiles } from './recording-files.js';

const fail = (file: string, [problem, hint]: Message) => new InputError({ file, line: 1, field: '(file)', problem, ...(hint ? { hint } : {}) });

/**
 * Reads an Ollama server log whole (journalctl output or ~/.ollama/logs/server.log).
 * A missing file, a directory or an empty file is an input error; whether it is a
 * log at all is for the importer to say (it counts the lines it recognises).
 */
export function readServerLog(file: string): string {
  let text: string;
  try {
    if (statSync(file).isDirectory()) throw fail(file, msg.logIsDirectory());
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw fail(file, code === 'ENOENT' ? msg.noSuchLog() : code === 'EISDIR' ? msg.logIsDirectory() : msg.cannotRead(code ?? String(e)));
  }
  if (text.trim() === '') throw fail(file, msg.emptyLog());
  return text;
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
