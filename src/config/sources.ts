import { msg } from '../diag/index.js';
import type { Path, YamlSource } from './yaml-source.js';
import { FORMAT_NAMES, FORMATS, SOURCE_FIELDS, type SourceField } from '../workload/formats.js';
import type { SourceFile } from './schema.js';
import type { SourceSpec } from './source-mapper.js';

export interface ResolvedSources {
  specs: SourceSpec[];
  columns: Partial<Record<SourceField, string>>[];
}

/**
 * Checks `workload.sources` against the scenario (formats, model names,
 * scales, window) and resolves file paths; each mistake points at its line.
 */
export function resolveSources(
  src: YamlSource, list: readonly SourceFile[], modelNames: readonly string[],
  resolveFile: (f: string) => string, duration: (v: unknown, p: Path) => number,
): ResolvedSources {
  const specs: SourceSpec[] = [];
  const columns: Partial<Record<SourceField, string>>[] = [];
  list.forEach((s, i) => {
    const path: Path = ['workload', 'sources', i];
    const format = FORMATS[s.format];
    if (!format) throw src.error([...path, 'format'], msg.unknownFormat(s.format, FORMAT_NAMES));
    const mappings = [s.model, s.models, s.split].filter((x) => x !== undefined).length;
    if (mappings > 1) throw src.error(path, msg.oneModelMapping());
    if (mappings === 0 && !format.hasModel) throw src.error(path, msg.needsModelMapping(s.format));
    const known = (name: string, p: Path) => {
      if (!modelNames.includes(name)) throw src.error(p, msg.unknownModel(name, modelNames));
    };
    if (s.model !== undefined) known(s.model, [...path, 'model']);
    for (const [k, v] of Object.entries(s.models ?? {})) known(v, [...path, 'models', k]);
    s.split?.models.forEach((m, k) => known(m, [...path, 'split', 'models', k]));
    if (s.split && s.split.models.length === 0) throw src.error([...path, 'split', 'models'], msg.missing());
    for (const k of Object.keys(s.columns ?? {})) {
      if (!(SOURCE_FIELDS as readonly string[]).includes(k)) throw src.error([...path, 'columns', k], msg.unknownKey(k, SOURCE_FIELDS), true);
    }
    const positive = (v: number | undefined, key: string) => {
      if (v !== undefined && !(v > 0 && Number.isFinite(v))) throw src.error([...path, key], msg.notPositive(String(v)));
      return v ?? 1;
    };
    const start = s.window?.start !== undefined ? duration(s.window.start, [...path, 'window', 'start']) / 1e6 : 0;
    const end = s.window?.end !== undefined ? duration(s.window.end, [...path, 'window', 'end']) / 1e6 : Infinity;
    if (end <= start) throw src.error([...path, 'window'], msg.badWindow());
    specs.push({
      file: resolveFile(s.file),
      format: s.format,
      time: s.time ?? format.time,
      rebase: format.rebase,
      ...(s.model !== undefined ? { model: s.model } : {}),
      ...(s.models ? { models: s.models } : {}),
      ...(s.split ? { split: { models: s.split.models, s: positive(s.split.s ?? 1.1, 's') } } : {}),
      timeScale: positive(s.time_scale, 'time_scale'),
      windowStart: start,
      windowEnd: end,
      rateScale: positive(s.rate_scale, 'rate_scale'),
      sort: s.sort ?? false,
      badRows: s.bad_rows ?? 'fail',
      ...(s.where ? { where: Object.fromEntries(Object.entries(s.where).map(([k, v]) => [k, (Array.isArray(v) ? v : [v]).map(String)])) } : {}),
    });
    columns.push((s.columns ?? {}) as Partial<Record<SourceField, string>>);
  });
  return { specs, columns };
}
