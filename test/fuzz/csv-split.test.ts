import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { InputError } from '../../src/diag/index.js';
import { readCsv } from '../../src/io/read-rows.js';
import { CsvRow } from '../../src/io/csv-split.js';

const dir = mkdtempSync(join(tmpdir(), 'ollamasim-split-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const RUNS = Number(process.env.OLLAMASIM_SOAK_RUNS ?? 300);

type Outcome = { records: [string[], number][]; error: string | null };

/** The reader as it was: csv-parse over the whole file. */
async function reference(text: string): Promise<Outcome> {
  const p = parse({ bom: true, skip_empty_lines: true, relax_column_count: true });
  const records: [string[], number][] = [];
  let error: string | null = null;
  await new Promise<void>((res) => {
    p.on('data', (r: string[]) => records.push([r, p.info.lines]));
    p.on('error', (e: Error & { lines?: number }) => { error = `${e.lines ?? p.info.lines}: CSV error: ${e.message.split('\n')[0]}`; res(); });
    p.on('end', () => res());
    p.end(Buffer.from(text, 'utf8'));
  });
  return { records, error };
}

let n = 0;
async function fast(text: string, chunk: number): Promise<Outcome> {
  const file = join(dir, `t${n++}.csv`);
  writeFileSync(file, text);
  const records: [string[], number][] = [];
  let error: string | null = null;
  try {
    await readCsv(file, (names) => records.push([names, 1]), (r, line) => records.push([r.cells(), line]), chunk);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const d = e.diagnostic;
    error = d.field === '(csv)' && d.problem.startsWith('CSV error') ? `${d.line}: ${d.problem}` : 'no header';
  }
  return { records, error };
}

describe('the plain CSV splitter reads every file exactly as csv-parse does', () => {
  test('records, line numbers and errors agree on random files (small chunks cross every boundary)', async () => {
    const cell = fc.stringMatching(/^[a1. é"]{0,4}$/);
    const line = fc.array(cell, { minLength: 1, maxLength: 4 }).map((c) => c.join(','));
    const eol = fc.constantFrom('\n', '\r\n', '\r');
    const file = fc.tuple(fc.boolean(), fc.array(fc.tuple(line, eol), { maxLength: 12 }), fc.boolean(), fc.integer({ min: 8, max: 64 }))
      .map(([bom, lines, lastEol, chunk]) => ({ text: (bom ? '\ufeff' : '') + lines.map(([l, e], i) => l + (i < lines.length - 1 || lastEol ? e : '')).join(''), chunk }));
    await fc.assert(fc.asyncProperty(file, async ({ text, chunk }) => {
      const want = await reference(text);
      const got = await fast(text, chunk);
      if (want.records.length === 0 && !want.error) {
        expect(got.error).toBe('no header');
        return;
      }
      // The header comes trimmed from readCsv.
      if (want.records[0]) want.records[0] = [want.records[0][0].map((c) => c.trim()), 1];
      expect(got).toEqual(want);
    }), { numRuns: RUNS, seed: 16 });
  });

  test('a quote after the first chunk hands the rest to csv-parse with the lines counted so far', async () => {
    const text = 'at,model,duration\r\n' + Array.from({ length: 50 }, (_, i) => `${i},m,1\r\n`).join('') + '51,"m,x",1\r\n\r\n52,m\r\n';
    const got = await fast(text, 64);
    expect(got).toEqual(await reference(text).then((r) => ({ ...r, records: [[['at', 'model', 'duration'], 1], ...r.records.slice(1)] as [string[], number][] })));
    expect(got.records.at(-2)).toEqual([['51', 'm,x', '1'], 52]);
    expect(got.records.at(-1)).toEqual([['52', 'm'], 54]);
  });

  test('a long file says early about how many records it holds (so the columns grow once)', async () => {
    const file = join(dir, 'long.csv');
    writeFileSync(file, 'at,model,duration\n' + Array.from({ length: 5000 }, (_, i) => `${i},m${i % 7},1.5\n`).join(''));
    const heard: number[] = [];
    let records = 0;
    await readCsv(file, () => {}, () => records++, 4096, (n) => heard.push(n));
    expect(records).toBe(5000);
    expect(heard.length).toBe(1);
    expect(heard[0]!).toBeGreaterThan(5000 * 0.8);
    expect(heard[0]!).toBeLessThan(5000 * 1.3);
  });

  test('a line longer than the chunk grows the buffer', async () => {
    const long = 'x'.repeat(300);
    expect((await fast(`a,b\n${long},1\n2,3`, 16)).records).toEqual([[['a', 'b'], 1], [[long, '1'], 2], [['2', '3'], 3]]);
  });
});

describe('plain decimals are read from the bytes exactly as Number() reads the text', () => {
  const row = (s: string) => new CsvRow().from([s]);
  test.each(['0', '12', '0.25', '.5', '3.', '2.367', '1700000000.123456', '000123.4500', '9007199254740991', '0.0000000000000000000001'])('%s', (s) => {
    expect(row(s).decimal(0)).toBe(Number(s));
  });
  test.each(['', '-1', '1e3', ' 1', '1 ', '0x10', '1.2.3', '9007199254740993', '0.00000000000000000000001', 'Infinity', '.'])('%j is left to the text path', (s) => {
    expect(row(s).decimal(0)).toBe(-1);
  });
  test('random decimals below 2^53 with up to 22 decimals', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 2n ** 53n - 1n }), fc.integer({ min: 0, max: 22 }), (m, k) => {
      const digits = m.toString().padStart(k + 1, '0');
      const s = k ? `${digits.slice(0, -k)}.${digits.slice(-k)}` : digits;
      expect(row(s).decimal(0)).toBe(Number(s));
    }), { numRuns: RUNS * 10, seed: 16 });
  });
});
