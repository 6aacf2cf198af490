import { importLog, summaryText } from '../logs/assemble.js';
import { msg } from '../diag/index.js';
import { emptyLog, notServerLog, readServerLog, writeLogImport } from '../io/read-server-log.js';
import { flagError } from './listen.js';

export interface LogsImportFlags {
  out: string;
  model?: string;
}

/** `ollamasim logs import server.log --out DIR`: a recording's three files from Ollama's own log. */
export async function logsImportCommand(file: string, flags: LogsImportFlags): Promise<void> {
  if (flags.model !== undefined && flags.model.trim() === '') throw flagError('--model', msg.missing());
  const lines = readServerLog(file);
  const res = importLog(lines, { source: file, ...(flags.model !== undefined ? { model: flags.model } : {}) });
  if (lines.nonBlank === 0) throw emptyLog(file);
  if (res.observed.log.recognised === 0) throw notServerLog(file, res.observed.log.lines);
  await writeLogImport(flags.out, res);
  process.stdout.write(summaryText(res));
  process.stdout.write(`written: ${flags.out}/trace.csv, requests.jsonl, observed.json\n`);
}
