import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, msg } from '../diag/index.js';
import type { ObservedDocument, RecordedRequest } from '../record/recorder.js';

/**
 * A recording folder as `ollamasim record` (or `logs import`) writes it:
 * requests.jsonl (required), observed.json and trace.csv (optional). A broken
 * line is one InputError naming the file and line.
 */
export interface Recording {
  dir: string;
  requests: RecordedRequest[];
  observed: ObservedDocument | null;
  /** trace.csv, when present. */
  trace: string | null;
}

export function readRecording(dir: string): Recording {
  const fail = (file: string, line: number, field: string, m: [string, string?]) => new InputError({ file, line, field, problem: m[0], ...(m[1] ? { hint: m[1] } : {}) });
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw fail(dir, 1, '(folder)', msg.notARecording());
  const jsonl = join(dir, 'requests.jsonl');
  if (!existsSync(jsonl)) throw fail(jsonl, 1, '(file)', msg.notARecording());
  const requests: RecordedRequest[] = [];
  readFileSync(jsonl, 'utf8').split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let r: unknown;
    try {
      r = JSON.parse(line);
    } catch (e) {
      throw fail(jsonl, i + 1, '(line)', msg.badJson((e as Error).message));
    }
    const req = r as RecordedRequest;
    if (typeof req !== 'object' || req === null || typeof req.at !== 'number' || typeof req.end !== 'number' || typeof req.response !== 'object') {
      throw fail(jsonl, i + 1, '(line)', msg.notARecordedRequest());
    }
    requests.push(req);
  });
  const obsFile = join(dir, 'observed.json');
  let observed: ObservedDocument | null = null;
  if (existsSync(obsFile)) {
    try {
      observed = JSON.parse(readFileSync(obsFile, 'utf8')) as ObservedDocument;
    } catch (e) {
      throw fail(obsFile, 1, '(file)', msg.badJson((e as Error).message));
    }
    if (observed?.format !== 'ollamasim-observed/1') throw fail(obsFile, 1, 'format', msg.notARecording());
  }
  const trace = existsSync(join(dir, 'trace.csv')) ? join(dir, 'trace.csv') : null;
  return { dir, requests, observed, trace };
}
