import type { ResolvedScenario } from '../config/types.js';
import type { Trace } from '../workload/trace.js';

/**
 * The scenario as the what-if page carries it: the resolved base (everything
 * but the candidates, which the page resolves itself from the scenario text and
 * its settings) and the trace's columns packed into one byte array. JSON keeps
 * NaN and ±Infinity (keep_alive "absent" and "forever") as tagged strings.
 */
export type PageBase = Omit<ResolvedScenario, 'candidates' | 'trace'>;

const COLUMNS = ['at', 'model', 'duration', 'keepAlive', 'numCtx', 'timeout', 'op', 'promptTokens', 'outputTokens', 'fromTokens'] as const;
type Typed = Float64Array | Int32Array | Uint8Array;
const KINDS = { Float64Array, Int32Array, Uint8Array } as const;

export interface TraceHeader {
  length: number;
  columns: { name: string; kind: keyof typeof KINDS; offset: number }[];
  ids: (string | null)[] | null;
}

export function encodeTrace(t: Trace): { header: TraceHeader; bytes: Uint8Array } {
  const present = COLUMNS.map((name) => [name, (t as unknown as Record<string, Typed | null | undefined>)[name]] as const)
    .filter((e): e is readonly [typeof COLUMNS[number], Typed] => e[1] !== null && e[1] !== undefined);
  let size = 0;
  const columns = present.map(([name, a]) => {
    const kind = a.constructor.name as keyof typeof KINDS;
    size = Math.ceil(size / 8) * 8; // each column aligned for its typed array view
    const col = { name, kind, offset: size };
    size += t.length * a.BYTES_PER_ELEMENT;
    return col;
  });
  const bytes = new Uint8Array(size);
  present.forEach(([, a], i) => bytes.set(new Uint8Array(a.buffer, a.byteOffset, t.length * a.BYTES_PER_ELEMENT), columns[i]!.offset));
  return { header: { length: t.length, columns, ids: t.ids ? t.ids.slice(0, t.length) : null }, bytes };
}

export function decodeTrace(h: TraceHeader, bytes: Uint8Array): Trace {
  const own = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
  const t: Record<string, unknown> = { length: h.length, keepAlive: null, numCtx: null, timeout: null, op: null, ids: h.ids };
  for (const c of h.columns) t[c.name] = new KINDS[c.kind](own.buffer as ArrayBuffer, own.byteOffset + c.offset, h.length);
  return t as unknown as Trace;
}

export function toJson(v: unknown): string {
  return JSON.stringify(v, (_, x) => (typeof x === 'number' && !Number.isFinite(x) ? { $num: String(x) } : x));
}

export function fromJson<T>(text: string): T {
  return JSON.parse(text, (_, x) => (x && typeof x === 'object' && typeof x.$num === 'string' && Object.keys(x).length === 1 ? Number(x.$num) : x)) as T;
}
