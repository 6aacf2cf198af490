import type { z } from 'zod';
import { msg, nearest, type InputError } from '../diag/index.js';
import type { Path, YamlSource } from './yaml-source.js';
import { RANGE_MESSAGE } from './ranges.js';
import { ScenarioSchema, type ScenarioFile } from './schema.js';

/**
 * Checks the scenario's shape with zod and turns the first problem, in file
 * order, into one FILE:LINE message with a "did you mean" for unknown keys.
 */
export function validateShape(src: YamlSource, raw: unknown): ScenarioFile {
  const res = ScenarioSchema.safeParse(raw);
  if (res.success) return res.data;
  const issues = res.error.issues.filter((issue) => !misspelt(issue, res.error.issues, raw));
  const errors = issues.map((issue) => toError(src, raw, issue));
  // First in file order; on one line an unknown key goes first (a typo also makes the right key "missing").
  errors.sort((a, b) => a.line - b.line || a.rank - b.rank);
  throw errors[0]!.error;
}

/**
 * A required field reported missing because the user misspelt it (`workloads:`
 * for `workload:`): the unknown key, with its did-you-mean, is the one to report.
 */
function misspelt(issue: z.core.$ZodIssue, all: readonly z.core.$ZodIssue[], raw: unknown): boolean {
  if (issue.code === 'unrecognized_keys' || valueAt(raw, issue.path as Path) !== undefined) return false;
  const parent = issue.path.slice(0, -1);
  const name = String(issue.path[issue.path.length - 1]);
  return all.some((o) => o.code === 'unrecognized_keys' && o.path.length === parent.length && o.path.every((p, i) => p === parent[i])
    && o.keys.some((k) => nearest(k, allowedKeys(parent as Path)) === name));
}

interface Located { line: number; rank: number; error: InputError }

function toError(src: YamlSource, raw: unknown, issue: z.core.$ZodIssue): Located {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)) as Path;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const keyPath = [...path, key];
    return { line: src.line(keyPath, true), rank: 0, error: src.error(keyPath, msg.unknownKey(key, allowedKeys(path)), true) };
  }
  const value = valueAt(raw, path);
  const message = value === undefined ? msg.missing()
    : issue.code === 'custom' && issue.message.startsWith(RANGE_MESSAGE) ? msg.outOfRange(describe(value), issue.message.slice(RANGE_MESSAGE.length))
    : typeof value === 'number' && !Number.isFinite(value) ? msg.notFinite(String(value))
    : msg.wrongType(expectedAt(issue), describe(value));
  return { line: src.line(path), rank: 1, error: src.error(path, message) };
}

function expectedAt(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return article(issue.expected);
  if (issue.code === 'invalid_union') return 'a text or a number';
  if (issue.code === 'invalid_value') return `one of ${issue.values.map(String).join(', ')}`;
  return issue.message;
}

function article(t: string): string {
  if (t === 'array') return 'a list';
  if (t === 'object') return 'a mapping of fields';
  if (t === 'string') return 'a text';
  return `a ${t}`;
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `"${v}"`;
  return String(v);
}

function valueAt(raw: unknown, path: Path): unknown {
  let v: unknown = raw;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

/** The keys the schema allows at `path`, found by walking zod's definitions. */
function allowedKeys(path: Path): string[] {
  let schema: unknown = ScenarioSchema;
  for (const seg of path) schema = child(unwrap(schema), seg);
  const def = defOf(unwrap(schema));
  return def?.type === 'object' ? Object.keys(def.shape as object) : [];
}

type Def = { type: string; [k: string]: unknown };
/** A zod schema's definition, and the schema under optional/nullable wrappers (also used by sweepable.ts). */
export const defOf = (s: unknown): Def | undefined => (s as { def?: Def } | undefined)?.def;

export function unwrap(s: unknown): unknown {
  let d = defOf(s);
  while (d && (d.type === 'optional' || d.type === 'nullable')) {
    s = d.innerType;
    d = defOf(s);
  }
  return s;
}

function child(s: unknown, seg: string | number): unknown {
  const d = defOf(s);
  if (!d) return undefined;
  if (d.type === 'object') return (d.shape as Record<string, unknown>)[String(seg)];
  if (d.type === 'array') return d.element;
  if (d.type === 'record') return d.valueType;
  if (d.type === 'union') return (d.options as unknown[]).find((o) => defOf(unwrap(o))?.type === 'object');
  return undefined;
}
