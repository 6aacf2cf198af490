/**
 * Sweeps: axes of values over scenario fields, expanded to the Cartesian
 * product and applied on top of every candidate. An axis key is a path into a
 * candidate — `server.OLLAMA_KEEP_ALIVE` (or just `OLLAMA_KEEP_ALIVE`),
 * `models.llama3.1:8b.keep_alive` (model names may contain dots), `host.count`,
 * `host.gpu`, `fleet.hosts`, `policy.eviction`, … — whatever a candidate may override.
 */
export interface Axis {
  key: string;
  values: unknown[];
}

/** `KEY=v1,v2,...` from the command line; numeric text becomes a number (so "-1" means forever). */
export function parseGridArg(arg: string): Axis | null {
  const eq = arg.indexOf('=');
  if (eq <= 0 || eq === arg.length - 1) return null;
  return { key: arg.slice(0, eq).trim(), values: arg.slice(eq + 1).split(',').map((v) => coerce(v.trim())) };
}

function coerce(v: string): unknown {
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(v) ? Number(v) : v;
}

/** The override object a key sets: { server: { OLLAMA_KEEP_ALIVE: v } }, { models: { 'llama3.1:8b': { keep_alive: v } } }. */
export function patchFor(key: string, value: unknown): Record<string, unknown> {
  if (key.startsWith('OLLAMA_')) return { server: { [key]: value } };
  if (key.startsWith('models.')) {
    const rest = key.slice('models.'.length);
    const dot = rest.lastIndexOf('.');
    if (dot > 0) return { models: { [rest.slice(0, dot)]: { [rest.slice(dot + 1)]: value } } };
  }
  const parts = key.split('.');
  let out: Record<string, unknown> = { [parts[parts.length - 1]!]: value };
  for (let i = parts.length - 2; i >= 0; i--) out = { [parts[i]!]: out };
  return out;
}

export interface Cell {
  /** The axis values of this cell, by key. */
  values: Record<string, unknown>;
  /** What to merge into a candidate for it. */
  patches: Record<string, unknown>[];
  /** "OLLAMA_KEEP_ALIVE=5m, host.count=2". */
  label: string;
}

/** The Cartesian product of the axes, the first axis varying slowest. */
export function cells(axes: readonly Axis[]): Cell[] {
  let out: Cell[] = [{ values: {}, patches: [], label: '' }];
  for (const axis of axes) {
    const next: Cell[] = [];
    for (const c of out) {
      for (const v of axis.values) {
        const part = `${axis.key}=${String(v)}`;
        next.push({ values: { ...c.values, [axis.key]: v }, patches: [...c.patches, patchFor(axis.key, v)], label: c.label ? `${c.label}, ${part}` : part });
      }
    }
    out = next;
  }
  return out;
}
