/**
 * A candidate is a deep partial override of the scenario: mappings merge key
 * by key, while lists and scalars replace what they override (a candidate's
 * `gpus: [...]` is the whole new GPU list, not an edit of the old one).
 * `undefined` leaves the base value alone; `null` is a value (e.g. keep_alive:
 * null = absent) and replaces it.
 */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) out[key] = deepMerge(base[key], value);
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
