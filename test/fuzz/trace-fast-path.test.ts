/**
 * The trace reader's fast path (plain rows straight into the columns) must
 * build exactly the trace, and raise exactly the errors, that RequestRows.add
 * gives the same rows as text — the reader as it was before the fast path.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, expect, test } from 'vitest';
import { type RequestField, RequestRows } from '../../src/config/request-rows.js';
import { InputError } from '../../src/diag/index.js';
import { failIn } from '../../src/io/read-rows.js';
import { readTraceCsv } from '../../src/io/read-trace.js';

const dir = mkdtempSync(join(tmpdir(), 'ollamasim-fast-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const RUNS = Number(process.env.OLLAMASIM_SOAK_RUNS ?? 300);
const MODELS = ['a', 'b:7b', 'é'];

/** Every row through RequestRows.add, cells as text (the slow path, as the reader always did it). */
function reference(file: string, text: string, open: boolean) {
  const rows = open ? RequestRows.open() : new RequestRows(MODELS);
  const fail = failIn(file);
  try {
    const records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
    const header = records[0]!.record.map((c) => c.trim());
    const column = new Map<RequestField, number>();
    header.forEach((h, i) => column.set(h as RequestField, i));
    for (const { record, info } of records.slice(1)) {
      rows.add((f) => { const i = column.get(f); return i === undefined ? undefined : record[i]?.trim(); }, (field, m) => fail(info.lines, field, m), `${file}:${info.lines}`, true);
    }
    return { trace: rows.build(), models: rows.models };
  } catch (e) {
    if (e instanceof InputError) return { error: e.message };
    throw e;
  }
}

async function fast(file: string, open: boolean) {
  const rows = open ? RequestRows.open() : new RequestRows(MODELS);
  try {
    await readTraceCsv(file, rows);
    return { trace: rows.build(), models: rows.models };
  } catch (e) {
    if (e instanceof InputError) return { error: e.message };
    throw e;
  }
}

test('plain and odd rows, known and unknown models, ids and optional columns: the same trace or the same error', async () => {
  const time = fc.oneof(fc.integer({ min: 0, max: 5000 }).map((n) => String(n / 8)), fc.constantFrom('1e1', ' 3', '4 ', '-1', 'x', '', '0.5', '007', '.25', '9007199254740993'));
  const model = fc.constantFrom('a', 'b:7b', 'é', ' a', 'c', 'A', '');
  const extra = fc.constantFrom('', '', '', '60', '-1', '5m', ' ');
  const header = fc.constantFrom('at,model,duration', 'id,at,model,duration', 'at,model,duration,keep_alive', 'at,model,duration,timeout,num_ctx');
  const file = fc.tuple(header, fc.array(fc.tuple(time, model, time, extra, extra), { maxLength: 12 }), fc.boolean()).map(([h, rows, sorted]) => {
    const cols = h.split(',');
    let t = 0;
    const lines = rows.map(([at, m, d, x, y], i) => {
      // Mostly in order, so the interesting rows get past the arrival check.
      const when = sorted && /^\d+(\.\d+)?$/.test(at) ? String((t += Number(at))) : at;
      const cells: Record<string, string> = { id: i % 3 ? `r${i}` : '', at: when, model: m, duration: d, keep_alive: x, timeout: x, num_ctx: y };
      return cols.map((c) => cells[c]).join(',');
    });
    return `${h}\n${lines.join('\n')}\n`;
  });
  let n = 0;
  await fc.assert(fc.asyncProperty(file, fc.boolean(), async (text, open) => {
    const f = join(dir, `t${n++}.csv`);
    writeFileSync(f, text);
    expect(await fast(f, open)).toEqual(reference(f, text, open));
  }), { numRuns: RUNS, seed: 16 });
});

