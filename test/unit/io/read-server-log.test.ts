/** The server-log reader streams a file in 1 MiB chunks; lines and characters cut by a chunk edge come out whole. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { readServerLog } from '../../../src/io/read-server-log.js';
import { importLog } from '../../../src/logs/assemble.js';

test('a 2 MiB log read in chunks imports as the same text given whole (µ cut by a chunk edge included)', () => {
  const line = (i: number) => `[GIN] 2024/10/08 - 20:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} | 200 |      16.${String(i % 1000).padStart(3, '0')}µs |  ::1 | GET      "/"`;
  const body = Array.from({ length: 30_000 }, (_, i) => line(i)).join('\n') + '\n';
  // A first line long enough that the first chunk ends inside a µ (two bytes in UTF-8).
  const size = Buffer.byteLength(line(0)) + 1;
  const mu = Buffer.from(line(0)).indexOf(Buffer.from('µ'));
  const pad = ((1 << 20) - 1 - mu) % size || size;
  const text = `${'x'.repeat(pad - 1)}\n${body}`;
  const bytes = Buffer.from(text);
  expect(bytes.length).toBeGreaterThan(2 << 20);
  expect([bytes[(1 << 20) - 1], bytes[1 << 20]]).toEqual([0xc2, 0xb5]);
  const file = join(mkdtempSync(join(tmpdir(), 'ollamasim-log-')), 'server.log');
  writeFileSync(file, text);
  const lines = readServerLog(file);
  const streamed = importLog(lines, { source: file });
  expect(lines.nonBlank).toBe(30_001);
  expect(JSON.stringify(streamed)).toBe(JSON.stringify(importLog(readFileSync(file, 'utf8'), { source: file })));
  expect(streamed.observed.log).toMatchObject({ lines: 30_001, recognised: 30_000, malformed: 0 });
});
