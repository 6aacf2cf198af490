import { patchFor } from './grid.js';
import { CandidateSchema } from './schema.js';
import { defOf, unwrap } from './validate.js';

/**
 * Every path a sweep axis may set, read from the candidate schema itself, so a
 * field added to candidates is an axis at once (and its test, test/whatif/axes,
 * fails until the field has one). A path ends at a single value; lists
 * (`host.gpus`, `warm`, `faults`) are replaced whole by a candidate and are not
 * axes. `*` stands for a model name: `models.*.keep_alive`.
 */
export function sweepablePaths(): string[] {
  return leaves(CandidateSchema, '').filter((p) => p !== 'name');
}

function leaves(schema: unknown, prefix: string): string[] {
  const s = unwrap(schema);
  const d = defOf(s);
  const at = (k: string) => (prefix ? `${prefix}.${k}` : k);
  if (!d) return [];
  if (d.type === 'object') return Object.entries(d.shape as Record<string, unknown>).flatMap(([k, v]) => leaves(v, at(k)));
  if (d.type === 'record') return leaves(d.valueType, at('*'));
  if (d.type === 'array' || d.type === 'tuple') return [];
  return [prefix];
}

/**
 * Paths a candidate may set but the simulator does not model: a sweep over one
 * shows the same figures in every cell, and the loader says so (README, How
 * faithful it is).
 */
export const NOT_MODELLED: Readonly<Record<string, string>> = {
  'server.OLLAMA_KV_CACHE_TYPE': 'the KV cache type is accepted but not modelled (memory is estimated at f16)',
};

/** An axis key as a schema path: `OLLAMA_KEEP_ALIVE` → `server.OLLAMA_KEEP_ALIVE`, `models.llama3.1:8b.num_ctx` → `models.*.num_ctx`. */
export function axisPath(key: string): string {
  const parts: string[] = [];
  let v: unknown = patchFor(key, null);
  while (v !== null && typeof v === 'object') {
    const [k, next] = Object.entries(v as Record<string, unknown>)[0]!;
    parts.push(parts[0] === 'models' && parts.length === 1 ? '*' : k);
    v = next;
  }
  return parts.join('.');
}
