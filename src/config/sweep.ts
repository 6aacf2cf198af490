import { InputError, msg, nearest, type Message } from '../diag/index.js';
import { axisPath, sweepablePaths } from './sweepable.js';
import { type Axis, cells } from './grid.js';
import { deepMerge } from './merge.js';
import { RANGE_MESSAGE } from './ranges.js';
import { CandidateSchema, type CandidateFile, type ScenarioFile } from './schema.js';
import type { YamlSource } from './yaml-source.js';

/**
 * A sweep's axes (the scenario's `sweep:` then any `--grid`), applied to every
 * candidate: each candidate × each cell becomes one candidate, named
 * "candidate | KEY=v, …" (just the cell when the scenario has no candidates).
 */
export function expandSweep(src: YamlSource, shape: ScenarioFile, extra: readonly Axis[]): ScenarioFile {
  const axes: Axis[] = [...Object.entries(shape.sweep ?? {}).map(([key, values]) => ({ key, values })), ...extra];
  if (axes.length === 0) return shape;
  for (const a of axes) checkAxis(src, a, shape.sweep?.[a.key] !== undefined);
  const base: CandidateFile[] = shape.candidates?.length ? shape.candidates : [{ name: '' }];
  const expanded: CandidateFile[] = [];
  const seen = new Set<string>();
  for (const c of base) {
    for (const cell of cells(axes)) {
      const merged = cell.patches.reduce<unknown>((acc, p) => deepMerge(acc, p), c) as CandidateFile;
      // Candidates the axes override entirely collapse into one cell, named by its axis values.
      const { name: _, ...what } = merged;
      const key = canonical(what);
      if (seen.has(key)) continue;
      seen.add(key);
      const own = canonical(cell.patches.reduce<unknown>((acc, p) => deepMerge(acc, p), {}));
      expanded.push({ ...merged, name: c.name && key !== own ? `${c.name} | ${cell.label}` : cell.label });
    }
  }
  return { ...shape, candidates: expanded };
}

/**
 * Each value of an axis must make a valid candidate override. An axis from the
 * command line is reported there, with the nearest sweepable path for a typo.
 */
function checkAxis(src: YamlSource, axis: Axis, inFile: boolean): void {
  const fail = (m: Message) => (inFile
    ? src.error(['sweep', axis.key], m, true)
    : new InputError({ file: '(command line)', line: 0, field: `--grid ${axis.key}`, problem: m[0], ...(m[1] ? { hint: m[1] } : {}) }));
  if (axis.values.length === 0) throw fail(msg.badAxis(axis.key, 'no values'));
  for (const v of axis.values) {
    const probe = cells([{ key: axis.key, values: [v] }])[0]!.patches[0]!;
    const res = CandidateSchema.safeParse({ name: 'probe', ...probe });
    if (!res.success) {
      const issue = res.error.issues[0]!;
      if (issue.code === 'unrecognized_keys') {
        const near = nearest(axisPath(axis.key), sweepablePaths());
        throw fail(msg.badAxis(axis.key, `unknown field "${issue.keys[0]}"`, near));
      }
      const problem = issue.message.startsWith(RANGE_MESSAGE) ? `${String(v)} is out of range, ${issue.message.slice(RANGE_MESSAGE.length)}` : `${String(v)}: ${issue.message}`;
      throw fail(msg.badAxis(axis.key, problem));
    }
  }
}

/** JSON with sorted keys, so equal overrides compare equal whatever order they were written in. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}
