/**
 * The trace formats `workload.sources` reads. Each names, per request field,
 * the column (CSV) or key (JSONL) holding it, the unit of its time column, and
 * whether times are rebased so the first arrival is 0. The readers in src/io
 * stream the rows; src/workload/source-mapper.ts turns them into requests.
 */
export type TimeUnit = 's' | 'ms' | 'iso';

/** Request fields a source can fill, plus `session` (a key that keeps a conversation on one model). */
export const SOURCE_FIELDS = ['id', 'at', 'model', 'duration', 'keep_alive', 'num_ctx', 'timeout', 'op', 'prompt_tokens', 'output_tokens', 'session'] as const;
export type SourceField = (typeof SOURCE_FIELDS)[number];

export interface TraceFormat {
  kind: 'csv' | 'jsonl';
  /** field → column or key in the file; `columns:` in the scenario overrides these for csv and jsonl. */
  columns: Partial<Record<SourceField, string>>;
  time: TimeUnit;
  rebase: boolean;
  /** Whether rows name their own model (else the source needs model: or split:). */
  hasModel: boolean;
  /** ollamasim: a column outside the request fields is a mistake, not data to ignore. */
  strictHeader?: boolean;
  /** A session key computed from the whole row (Mooncake: the first non-shared prefix block). */
  session?: (row: Record<string, unknown>) => unknown;
}

const identity = Object.fromEntries(SOURCE_FIELDS.map((f) => [f, f])) as Record<SourceField, string>;

export const FORMATS: Record<string, TraceFormat> = {
  ollamasim: { kind: 'csv', columns: identity, time: 's', rebase: false, hasModel: true, strictHeader: true },
  csv: { kind: 'csv', columns: identity, time: 's', rebase: true, hasModel: true },
  jsonl: { kind: 'jsonl', columns: identity, time: 's', rebase: true, hasModel: true },
  // Azure LLM inference trace 2023 (Patel et al., Splitwise, ISCA 2024): one service per file.
  'azure-llm-2023': {
    kind: 'csv', time: 'iso', rebase: true, hasModel: false,
    columns: { at: 'TIMESTAMP', prompt_tokens: 'ContextTokens', output_tokens: 'GeneratedTokens' },
  },
  // Mooncake FAST'25 traces: ms timestamps; hash_ids[0] is the shared system prompt, [1] the conversation.
  mooncake: {
    kind: 'jsonl', time: 'ms', rebase: true, hasModel: false,
    columns: { at: 'timestamp', prompt_tokens: 'input_length', output_tokens: 'output_length' },
    session: (row) => (Array.isArray(row.hash_ids) ? row.hash_ids[1] ?? row.hash_ids[0] : undefined),
  },
  // BurstGPT (HPMLL/BurstGPT): Timestamp in s, Model ChatGPT / GPT-4; v3 adds Session ID.
  burstgpt: {
    kind: 'csv', time: 's', rebase: true, hasModel: true,
    columns: { at: 'Timestamp', model: 'Model', prompt_tokens: 'Request tokens', output_tokens: 'Response tokens', session: 'Session ID' },
  },
};

export const FORMAT_NAMES = Object.keys(FORMATS);

/**
 * ISO-8601 date-time → µs since the epoch, or NaN. Accepts a space or T,
 * any number of fractional digits (Azure writes 7), and Z or ±hh:mm; no zone
 * means UTC (only differences matter once rebased).
 */
export function parseIsoMicros(s: string): number {
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?\s*(Z|[+-]\d{2}:?\d{2})?\s*$/.exec(s);
  if (!m) return NaN;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  if (Number.isNaN(ms)) return NaN;
  const frac = m[7] ? Math.round(Number(`0.${m[7]}`) * 1e6) : 0;
  let offset = 0;
  if (m[8] && m[8] !== 'Z') {
    const z = m[8].replace(':', '');
    offset = (z[0] === '-' ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5))) * 60e6;
  }
  return ms * 1000 + frac - offset;
}

/** A time cell in the given unit → µs, or NaN when it does not read as one. */
export function timeMicros(v: unknown, unit: TimeUnit): number {
  if (unit === 'iso') return typeof v === 'string' ? parseIsoMicros(v) : NaN;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return unit === 'ms' ? Math.round(n * 1000) : Math.round(n * 1e6);
}
