import { msg } from '../diag/index.js';
import type { Path, YamlSource } from './yaml-source.js';
import type { Distribution } from '../workload/generators.js';
import type { SyntheticFile } from './schema.js';
import type { ResolvedUsers } from './types.js';
import { parseDuration } from './units.js';
import { MAX_SECONDS, RANGES } from './ranges.js';

type UsersFile = NonNullable<SyntheticFile['users']>;
type DistFile = UsersFile['duration'];

/** `workload.synthetic.users` → closed-loop users, checked at their lines. */
export function resolveUsers(
  src: YamlSource, u: UsersFile, modelNames: readonly string[], end: number,
): ResolvedUsers {
  const path: Path = ['workload', 'synthetic', 'users'];
  if (!Number.isInteger(u.count) || u.count < 1) throw src.error([...path, 'count'], msg.notPositiveInt(String(u.count)));
  const models = u.models.map((name, k) => {
    const i = modelNames.indexOf(name);
    if (i < 0) throw src.error([...path, 'models', k], msg.unknownModel(name, modelNames));
    return i;
  });
  if (models.length === 0) throw src.error([...path, 'models'], msg.missing());
  const w = models.map((_, k) => (u.s === undefined ? 1 : 1 / (k + 1) ** u.s));
  const sum = w.reduce((a, b) => a + b, 0);
  const dist = (d: DistFile): Distribution | null => (d === undefined ? null : typeof d === 'number' ? { fixed: d } : d);
  const duration = dist(u.duration);
  const promptTokens = dist(u.prompt_tokens);
  const outputTokens = dist(u.output_tokens);
  // Token-sized requests need rates for their models on every candidate's host: checked per candidate by the loader.
  if (!duration && !promptTokens && !outputTokens) throw src.error([...path, 'duration'], msg.missing());
  return {
    count: u.count,
    models,
    weights: w.map((x) => x / sum),
    think: thinkTime(src, u.think_time, [...path, 'think_time']),
    duration,
    promptTokens,
    outputTokens,
    end,
  };
}

function thinkTime(src: YamlSource, v: UsersFile['think_time'], path: Path): ResolvedUsers['think'] {
  if (typeof v === 'object') return v;
  const us = parseDuration(v);
  if (us === null || us < 0) throw src.error(path, msg.badDuration(String(v)));
  if (us > MAX_SECONDS * 1e6) throw src.error(path, msg.outOfRange(String(v), RANGES.seconds.text));
  return { mean: us / 1e6 };
}
