import type { CandidateSummary } from '../metrics/index.js';

/**
 * The comparison table printed by `ollamasim run`: one row per candidate.
 * Pure: summaries in, text out.
 */
interface Column {
  title: string;
  cell(s: CandidateSummary): string;
  left?: boolean;
  /** Shown only when this holds for some candidate (columns most runs would leave at 0). */
  when?: (s: CandidateSummary) => boolean;
}

const secs = (x: number | null) => (x === null ? '–' : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);
const num = (x: number) => String(x);
const gib = (x: number) => x.toFixed(1);
const gibh = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));

const COLUMNS: Column[] = [
  { title: 'candidate', cell: (s) => (s.eviction_order === 'ollama' ? s.candidate : `${s.candidate} [${s.eviction_order}]`), left: true },
  { title: 'ok', cell: (s) => num(s.ok) },
  { title: '503', cell: (s) => num(s.rejected_503) },
  { title: '400', cell: (s) => num(s.rejected_400) },
  { title: '500', cell: (s) => num(s.failed_500) },
  { title: 'cancelled', cell: (s) => num(s.cancelled) },
  { title: 'stuck', cell: (s) => num(s.stuck) },
  { title: 'p50 s', cell: (s) => secs(s.latency_p50_s) },
  { title: 'p95 s', cell: (s) => secs(s.latency_p95_s) },
  { title: 'p99 s', cell: (s) => secs(s.latency_p99_s) },
  { title: 'cold', cell: (s) => pct(s.cold_share) },
  { title: 'loads', cell: (s) => num(s.loads) },
  { title: 'OOM loads', cell: (s) => num(s.load_ooms), when: (s) => s.load_ooms > 0 },
  { title: 'evictions', cell: (s) => num(s.evictions) },
  { title: 'VRAM mean GiB', cell: (s) => gib(s.vram_mean_gib) },
  { title: 'peak GiB', cell: (s) => gib(s.vram_peak_gib) },
  { title: 'resident GiB·h', cell: (s) => gibh(s.resident_gib_hours) },
  { title: 'idle GiB·h', cell: (s) => gibh(s.idle_resident_gib_hours) },
];

export function comparisonTable(summaries: readonly CandidateSummary[]): string {
  const columns = COLUMNS.filter((c) => !c.when || summaries.some(c.when));
  const cells = summaries.map((s) => columns.map((c) => c.cell(s)));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...cells.map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row.map((v, i) => (columns[i]!.left ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ').trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [line(columns.map((c) => c.title)), rule, ...cells.map(line)].join('\n') + '\n';
}
