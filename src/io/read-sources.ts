import { MAX_REQUESTS } from '../config/ranges.js';
import { RequestRows, type ModelRates } from '../config/request-rows.js';
import { SourceMapper, type RowFail, type RowGet, type SourceSpec } from '../config/source-mapper.js';
import { msg } from '../diag/index.js';
import { FORMATS, type SourceField, SOURCE_FIELDS } from '../workload/formats.js';
import { mergeTraces } from '../workload/merge.js';
import type { Trace } from '../workload/trace.js';
import { failIn, readCsv, streamJsonl } from './read-rows.js';
import { RowFilter } from '../config/row-filter.js';

export interface SourcesResult {
  trace: Trace;
  invalidKeepAlive: number;
  firstInvalid: string | null;
  /** Rows left out by bad_rows: skip, one line per source. */
  warnings: string[];
}

/**
 * Reads every `workload.sources` entry (streamed) and merges them by time.
 * Each source gets its own random streams (`source1`, `source2`, …), so adding
 * a source never changes the requests another one yields.
 */
export async function readSources(
  specs: readonly SourceSpec[], columns: readonly Partial<Record<SourceField, string>>[], modelNames: readonly string[], rates: readonly ModelRates[], seed: number,
  maxRows = MAX_REQUESTS,
): Promise<SourcesResult> {
  const traces: Trace[] = [];
  let invalidKeepAlive = 0;
  let firstInvalid: string | null = null;
  const warnings: string[] = [];
  // Files on one clock (e.g. Azure code + conv, same hour) share the origin, so they stay aligned.
  const origin = new Map<string, number>();
  for (let i = 0; i < specs.length; i++) {
    if (!specs[i]!.rebase) continue;
    const t = await firstArrival(specs[i]!, columns[i] ?? {}, modelNames, seed);
    origin.set(specs[i]!.time, Math.min(origin.get(specs[i]!.time) ?? Infinity, t));
  }
  for (let i = 0; i < specs.length; i++) {
    const rows = new RequestRows(modelNames, rates);
    rows.maxRows = maxRows;
    const o = origin.get(specs[i]!.time);
    const filter = await readSource(specs[i]!, columns[i] ?? {}, rows, seed, `source${i + 1}`, o !== undefined && Number.isFinite(o) ? o : undefined);
    const skipped = filter.warning();
    if (skipped) warnings.push(skipped);
    traces.push(rows.build());
    invalidKeepAlive += rows.invalidKeepAlive;
    firstInvalid ??= rows.firstInvalid;
  }
  return { trace: mergeTraces(traces), invalidKeepAlive, firstInvalid, warnings };
}

class Peeked {
  constructor(readonly t: number) {}
}

/** The earliest arrival of a source as written, µs (the first row; every row when it is to be sorted). */
async function firstArrival(spec: SourceSpec, columns: Partial<Record<SourceField, string>>, modelNames: readonly string[], seed: number): Promise<number> {
  let min = Infinity;
  try {
    await readSource(spec, columns, new RequestRows(modelNames), seed, 'peek', undefined, (t) => {
      if (!spec.sort) throw new Peeked(t);
      min = Math.min(min, t);
    });
  } catch (e) {
    if (e instanceof Peeked) return e.t;
    throw e;
  }
  return min;
}

/**
 * One source into `rows`. `columns` overrides the format's own column names
 * (csv, jsonl); `origin` (µs) is what a rebased source subtracts; `peek`, when
 * given, receives each row's time instead of the mapper.
 */
export async function readSource(
  spec: SourceSpec, columns: Partial<Record<SourceField, string>>, rows: RequestRows, seed: number, tag: string,
  origin?: number, peek?: (t: number) => void,
): Promise<RowFilter> {
  const format = FORMATS[spec.format]!;
  const names = { ...format.columns, ...columns };
  const fail = failIn(spec.file);
  const mapper = new SourceMapper(spec, rows, seed, tag, format.kind === 'csv', origin);
  const atColumn = names.at ?? 'at';
  const sorted: { t: number; get: RowGet; fail: RowFail; where: string }[] = [];
  // bad_rows and where (src/config/row-filter.ts): per row, with its line.
  const filter = new RowFilter(spec.file, spec.badRows, spec.where);
  const take = (get: RowGet, line: number) => filter.row(() => {
    const f: RowFail = (field, m) => filter.mark(fail(line, field === 'at' ? atColumn : (names[field as SourceField] ?? field), m), m);
    const where = `${spec.file}:${line}`;
    if (peek) peek(mapper.rawTime(get, f, atColumn));
    else if (spec.sort) sorted.push({ t: mapper.rawTime(get, f, atColumn), get, fail: f, where });
    else mapper.add(get, f, where, atColumn);
  });
  if (format.kind === 'csv') {
    const index = new Map<SourceField, number>();
    const whereIndex = new Map<string, number>();
    await readCsv(
      spec.file,
      (header) => {
        if (format.strictHeader) {
          for (const h of header) if (!(SOURCE_FIELDS as readonly string[]).includes(h) || h === 'session') throw fail(1, h, msg.unknownColumn(h, SOURCE_FIELDS.filter((x) => x !== 'session')));
        }
        for (const [field, col] of Object.entries(names) as [SourceField, string][]) {
          const k = header.indexOf(col);
          if (k >= 0) index.set(field, k);
        }
        if (!index.has('at')) throw fail(1, atColumn, msg.missingColumn(atColumn));
        if (format.hasModel && !spec.model && !spec.split && !index.has('model')) throw fail(1, names.model ?? 'model', msg.missingColumn(names.model ?? 'model'));
        for (const c of filter.columns) {
          if (!header.includes(c)) throw fail(1, c, msg.whereColumn(c, header));
          whereIndex.set(c, header.indexOf(c));
        }
      },
      (r, line) => {
        if (!filter.matches((c) => r.text(whereIndex.get(c)!))) return;
        // The mapper may keep a row's getter past this call (sorting, repetition), and the CsvRow is reused: take the cells' text.
        const row = r.cells();
        take((f) => { const k = index.get(f); return k === undefined ? undefined : row[k]?.trim(); }, line);
      },
    );
  } else {
    await streamJsonl(spec.file, (obj, line) => {
      if (!filter.matches((c) => obj[c])) return;
      take((f) => (f === 'session' && format.session ? format.session(obj) : obj[names[f] ?? f]), line);
    });
  }
  if (spec.sort) {
    sorted.sort((a, b) => a.t - b.t);
    for (const r of sorted) filter.row(() => mapper.add(r.get, r.fail, r.where, atColumn));
  }
  filter.row(() => mapper.finish());
  return filter;
}
