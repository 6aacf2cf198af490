import { importLog, summaryText } from '../logs/assemble.js';
import { notServerLog, readServerLog, writeLogImport } from '../io/read-server-log.js';

export interface LogsImportFlags {
  out: string;
  model?: string;
}

/** `ollamasim logs import server.log --out DIR`: a recording's three files from Ollama's own log. */
export async function logsImportCommand(file: string, flags: LogsImportFlags): Promise<void> {
  const text = readServerLog(file);
  const res = importLog(text, { source: file, ...(flags.model !== undefined ? { model: flags.model } : {}) });
  if (res.observed.log.recognised === 0) throw notServerLog(file, res.observed.log.lines);
  await writeLogImport(flags.out, res);
  process.stdout.write(summaryText(res));
  process.stdout.write(`written: ${flags.out}/trace.csv, requests.jsonl, observed.json\n`);
}
