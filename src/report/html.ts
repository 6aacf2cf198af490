import type { CandidateSummary } from '../metrics/index.js';
import type { Chart } from './charts.js';

/**
 * report.html: one self-contained page (inline SVG charts, no scripts, no
 * network), opening from file://. Every user-supplied string is escaped.
 */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Loads that ran out of memory: a column only when some candidate has one. */
const OOM_LOADS = 'OOM loads';

const COLUMNS: [string, (s: CandidateSummary) => string][] = [
  ['candidate', (s) => s.candidate + (s.eviction_order === 'ollama' ? '' : ` [${s.eviction_order}]`)],
  ['ok', (s) => String(s.ok)], ['503', (s) => String(s.rejected_503)], ['500', (s) => String(s.failed_500)],
  ['cancelled', (s) => String(s.cancelled)], ['stuck', (s) => String(s.stuck)],
  ['p50 s', (s) => fmt(s.latency_p50_s)], ['p95 s', (s) => fmt(s.latency_p95_s)], ['p99 s', (s) => fmt(s.latency_p99_s)],
  ['cold', (s) => (s.cold_share === null ? '–' : `${(s.cold_share * 100).toFixed(1)} %`)],
  ['loads', (s) => String(s.loads)], [OOM_LOADS, (s) => String(s.load_ooms)], ['evictions', (s) => String(s.evictions)],
  ['VRAM mean GiB', (s) => s.vram_mean_gib.toFixed(1)], ['peak GiB', (s) => s.vram_peak_gib.toFixed(1)],
  ['resident GiB·h', (s) => s.resident_gib_hours.toFixed(1)], ['idle GiB·h', (s) => s.idle_resident_gib_hours.toFixed(1)],
];

function fmt(x: number | null): string {
  return x === null ? '–' : x < 10 ? x.toFixed(2) : x.toFixed(1);
}

export function reportHtml(title: string, summaries: CandidateSummary[], charts: { chart: Chart; svg: string }[], scenarioText: string): string {
  const columns = COLUMNS.filter(([t]) => t !== OOM_LOADS || summaries.some((s) => s.load_ooms > 0));
  const head = columns.map(([t]) => `<th>${escapeHtml(t)}</th>`).join('');
  const rows = summaries.map((s) => `<tr>${columns.map(([, f]) => `<td>${escapeHtml(f(s))}</td>`).join('')}</tr>`).join('\n');
  const sections = charts.map(({ chart, svg }) =>
    `<section class="chart" id="${chart.id}"><h2>${escapeHtml(chart.title)}</h2>\n<p class="how">How to read this: ${escapeHtml(chart.howToRead)}</p>\n${svg}\n</section>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} — ollamasim</title>
<style>
body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }
table { border-collapse: collapse; font-size: 0.85rem; } th, td { padding: 0.25rem 0.5rem; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child, td:first-child { text-align: left; } .how { color: #555; max-width: 60rem; } pre { background: #f6f6f6; padding: 1rem; overflow: auto; }
svg { max-width: 100%; height: auto; }
</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>Simulated by ollamasim: the same trace replayed against each candidate setting of Ollama's scheduler.</p>
<h2>Comparison</h2>
<table><thead><tr>${head}</tr></thead><tbody>
${rows}
</tbody></table>
${sections}
<h2>The scenario as run</h2>
<pre>${escapeHtml(scenarioText)}</pre>
</body></html>
`;
}
