import { axisValues } from '../plan/plan.js';

/**
 * Short axis labels for sweep cells: "keep 5m | OLLAMA_NUM_PARALLEL=1,
 * OLLAMA_KEEP_ALIVE=5m" reads "keep 5m · parallel 1 · keep 5m" on an axis, and
 * the full name stays in the table. Labels that would collide fall back to
 * the full name.
 */
const SHORT: [RegExp, (v: string, m: RegExpMatchArray) => string][] = [
  [/^(server\.)?OLLAMA_NUM_PARALLEL$/, (v) => `parallel ${v}`],
  [/^(server\.)?OLLAMA_KEEP_ALIVE$/, (v) => `keep ${v}`],
  [/^(server\.)?OLLAMA_MAX_LOADED_MODELS$/, (v) => `max loaded ${v}`],
  [/^(server\.)?OLLAMA_MAX_QUEUE$/, (v) => `queue ${v}`],
  [/^(server\.)?OLLAMA_CONTEXT_LENGTH$/, (v) => `ctx ${v}`],
  [/^(server\.)?OLLAMA_SCHED_SPREAD$/, (v) => `spread ${v}`],
  [/^(server\.)?OLLAMA_([A-Z_]+)$/, (v, m) => `${m[2]!.toLowerCase().replaceAll('_', ' ')} ${v}`],
  [/^host\.gpu$/, (v) => v],
  [/^host\.count$/, (v) => `${v} GPU${v === '1' ? '' : 's'}`],
  [/^host\.vram$/, (v) => v],
  [/^fleet\.hosts$/, (v) => `${v} host${v === '1' ? '' : 's'}`],
  [/^fleet\.router$/, (v) => v],
  [/^rate_scale$/, (v) => `×${v} load`],
  [/^policy\.eviction$/, (v) => `${v} order`],
  [/^models\.(.+)\.([a-z_]+)$/, (v, m) => `${m[1]} ${m[2]!.replace('keep_alive', 'keep')} ${v}`],
];

export function shortLabel(candidate: string): string {
  const bar = candidate.lastIndexOf(' | ');
  const values = axisValues(candidate);
  const keys = Object.keys(values);
  if (keys.length === 0) return candidate;
  const prefix = bar >= 0 ? candidate.slice(0, bar) : '';
  const parts = keys.map((k) => {
    for (const [re, f] of SHORT) {
      const m = k.match(re);
      if (m) return f(values[k]!, m);
    }
    return `${k} ${values[k]}`;
  });
  return [prefix, ...parts].filter(Boolean).join(' · ');
}

/** Short labels for every cell, unique: where two would read the same, both keep their full names. */
export function shortLabels(candidates: readonly string[]): string[] {
  const short = candidates.map(shortLabel);
  const seen = new Map<string, number>();
  for (const s of short) seen.set(s, (seen.get(s) ?? 0) + 1);
  return short.map((s, i) => (seen.get(s)! > 1 ? candidates[i]! : s));
}
