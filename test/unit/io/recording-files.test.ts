/** record's files: records gathered and written together, all of them, in order; on disk without a close too (a crash keeps them). */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { RecordingFiles } from '../../../src/io/recording-files.js';
import type { RecordedRequest } from '../../../src/record/recorder.js';

const rec = (id: number): RecordedRequest => ({
  id, at: id, end: id + 1, wall: '2026-01-01T00:00:00.000Z', method: 'POST', endpoint: '/api/generate', op: 'generate',
  model: 'm', options: {}, stream: null, status: 200, outcome: 'ok', response: {}, bytes: 1,
});

test('every record and row, in order, before close (after the flush) and after it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-recfiles-'));
  try {
    const f = new RecordingFiles(dir);
    for (let i = 1; i <= 500; i++) {
      f.request(rec(i));
      f.traceRow(`row ${i}`);
    }
    const lines = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : '').split('\n').filter((l) => l !== '');
    // Not closed: the batch reaches the disk on its own.
    for (let i = 0; i < 300 && lines('trace.csv').length < 500; i++) await new Promise((r) => setTimeout(r, 10));
    expect(lines('trace.csv')).toHaveLength(500);
    f.request(rec(501));
    await f.close();
    expect(lines('requests.jsonl').map((l) => (JSON.parse(l) as RecordedRequest).id)).toEqual(Array.from({ length: 501 }, (_, i) => i + 1));
    expect(lines('trace.csv')).toEqual(Array.from({ length: 500 }, (_, i) => `row ${i + 1}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
