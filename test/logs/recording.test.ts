/**
 * A log import is a recording: `calibrate` reads it through the same reader
 * (src/io/read-recording.ts) and finds what the log showed.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { calibrate } from '../../src/calibrate/calibrate.js';
import { readRecording } from '../../src/io/read-recording.js';
import { writeLogImport } from '../../src/io/read-server-log.js';
import { importLog } from '../../src/logs/assemble.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/logs', name), 'utf8');

test('#7408 imported with --model reads back as a recording; calibrate sees its one load and the size of nothing it did not see', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'ollamasim-logrec-')), 'rec');
  const res = importLog(fixture('7408-info-load-chat.log'), { source: 'server.log', model: 'qwen2.5:72b' });
  await writeLogImport(dir, res);
  const rec = readRecording(dir);
  expect(rec.requests).toHaveLength(1);
  expect(readFileSync(rec.trace!, 'utf8')).toBe(`${res.trace.join('\n')}\n`);
  expect(rec.observed).toEqual(JSON.parse(JSON.stringify(res.observed)));
  const cal = calibrate(rec.requests, rec.observed);
  expect(cal.models.map((m) => [m.model, m.requests, m.coldLoad?.median ?? null, m.sizeVram])).toEqual([['qwen2.5:72b', 1, 9.727686, null]]);
});
