import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, expect, test } from 'vitest';
import { FileWriter, seconds } from '../../../src/io/file-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'ollamasim-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const RUNS = Number(process.env.OLLAMASIM_SOAK_RUNS ?? 2000);

/** What the writer's hand-formatted numbers came out as in the file. */
function written(values: number[], put: (w: FileWriter, v: number) => void): string[] {
  const file = join(dir, 'w.txt');
  const w = new FileWriter(file);
  for (const v of values) {
    w.room(64);
    put(w, v);
    w.char(10);
  }
  w.close();
  return readFileSync(file, 'utf8').split('\n').slice(0, -1);
}

test('µs as seconds: the same text as String(us / 1e6), edges and random values', () => {
  const edges = [0, -0, 1, 9, 10, 999999, 1e6, 1e6 + 1, 1234567, 86400e6, 1e15 - 1, 1e15, 2 ** 53, 0.5, 1.25, -1, -1e6, NaN, 1e-7, 123456789012345];
  const random = fc.sample(fc.oneof(fc.integer({ min: 0, max: 1e9 }), fc.double({ min: 0, max: 1e15, noNaN: true }).map(Math.round), fc.double({ min: -1e12, max: 1e16 })), { numRuns: RUNS, seed: 16 });
  const values = [...edges, ...random];
  expect(written(values, (w, v) => w.seconds(v))).toEqual(values.map(seconds));
});

test('whole numbers: the same text as String(n)', () => {
  const values = [0, 1, 9, 10, 99, 100, 101, 503, 1000, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 2 ** 53 - 1, ...fc.sample(fc.integer({ min: 0, max: 2 ** 31 }), { numRuns: RUNS, seed: 16 }), ...fc.sample(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), { numRuns: RUNS, seed: 17 })];
  expect(written(values, (w, v) => w.uint(v))).toEqual(values.map(String));
});

test('rows longer than the buffer and text mixed with bytes keep their order', () => {
  const file = join(dir, 'long.txt');
  const w = new FileWriter(file);
  const long = 'é'.repeat(3 << 20);
  w.write('a,');
  w.write(long);
  w.room(8);
  w.bytes(Buffer.from(',b'));
  w.char(10);
  w.close();
  expect(readFileSync(file, 'utf8')).toBe(`a,${long},b\n`);
});

test('text put four bytes a store (putPiece) is the text byte for byte (as Uint8Array.set copies it), and its padding never touches what is before it', async () => {
  const { piece, putPiece } = await import('../../../src/io/digits.js');
  fc.assert(fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 23 }), { maxLength: 12 }), fc.integer({ min: 0, max: 7 }), (texts, start) => {
    const byWords = new Uint8Array(512).fill(0xaa);
    const byBytes = new Uint8Array(512).fill(0xaa);
    const view = new DataView(byWords.buffer);
    let u = start;
    let v = start;
    for (const t of texts) {
      const bytes = Buffer.from(t, 'utf8');
      u = putPiece(view, u, piece(bytes));
      byBytes.set(bytes, v);
      v += bytes.length;
      expect(u).toBe(v);
      expect(byWords.subarray(0, u)).toEqual(byBytes.subarray(0, v));
    }
    expect(byWords.subarray(0, start)).toEqual(new Uint8Array(start).fill(0xaa));
  }), { numRuns: RUNS, seed: 18 });
});
