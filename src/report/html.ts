import type { CandidateSummary } from '../metrics/index.js';
import type { Chart } from './charts.js';
import { formatWait, pathologiesOf, pathologyName, PATHOLOGY_NAMES } from './pathologies.js';
import { columnsFor } from './table.js';

/**
 * report.html: one self-contained page (inline SVG charts, no scripts, no
 * network), opening from file://. Every user-supplied string is escaped.
 */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** What a page may add to the run report's table, charts and scenario. */
export interface PageExtras {
  /** Sweeps: per row, the 95 % half-widths in the summary's fields (shown as ± beside rounded means). */
  intervals?: CandidateSummary[];
  /** Short names used on chart axes, one per row (the table shows both). */
  labels?: string[];
  /** Sections (already HTML, every user string escaped by their builder) shown before the comparison. */
  before?: string[];
  /** Lines shown as warnings under the title. */
  warnings?: string[];
}

/** Longer scenarios (inline requests) are cut: the page stays small, the file has it all. */
const SCENARIO_LIMIT = 100_000;

export function reportHtml(title: string, summaries: CandidateSummary[], charts: { chart: Chart; svg: string }[], scenarioText: string, extras: PageExtras = {}): string {
  const scenario = scenarioText.length > SCENARIO_LIMIT
    ? `${scenarioText.slice(0, SCENARIO_LIMIT)}\n… (${scenarioText.length - SCENARIO_LIMIT} more characters: see the scenario file)`
    : scenarioText;
  const warnings = extras.warnings?.length ? `<ul class="warn">${extras.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} — ollamasim</title>
<style>
body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }
table { border-collapse: collapse; font-size: 0.85rem; } th, td { padding: 0.25rem 0.5rem; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child, td:first-child, .left { text-align: left; } td:first-child { white-space: nowrap; }
td.full { font-size: 0.75em; color: #555; min-width: 16rem; white-space: normal; } .how { color: #555; max-width: 60rem; } pre { background: #f6f6f6; padding: 1rem; overflow: auto; }
svg { max-width: 100%; height: auto; } .warn li { color: #8a1c00; } .pm { color: #777; font-size: 0.8em; } .key { font-size: 0.8rem; }
.scroll { overflow-x: auto; }
</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>Simulated by ollamasim: the same trace replayed against each candidate setting of Ollama's scheduler.</p>
${warnings}
${(extras.before ?? []).join('\n')}
<h2>Comparison</h2>
${comparisonHtml(summaries, extras)}
${pathologySection(summaries)}
${charts.map(({ chart, svg }) => chartSection(chart, svg)).join('\n')}
<h2>The scenario as run</h2>
<pre>${escapeHtml(scenario)}</pre>
</body></html>
`;
}

/** Every column of the CLI's table (the same cells), with ± intervals for sweeps and the short label when one is used. */
export function comparisonHtml(summaries: readonly CandidateSummary[], extras: Pick<PageExtras, 'intervals' | 'labels'> = {}): string {
  const columns = columnsFor(summaries);
  const labelled = extras.labels?.some((l, i) => l !== summaries[i]?.candidate) ?? false;
  const head = (labelled ? '<th>label</th>' : '') + columns.map((c) => `<th${c.left ? ' class="left"' : ''}>${escapeHtml(c.title)}</th>`).join('');
  const rows = summaries.map((s, i) => {
    const ci = extras.intervals?.[i];
    const cells = columns.map((c, k) => {
      const v = c.cell(s);
      const half = ci && k > 0 ? c.cell(ci) : '';
      const pm = half && /[1-9]/.test(half) ? ` <span class="pm">± ${escapeHtml(half)}</span>` : '';
      const cls = labelled && k === 0 ? 'left full' : c.left ? 'left' : '';
      return `<td${cls ? ` class="${cls}"` : ''}>${escapeHtml(v)}${pm}</td>`;
    });
    return `<tr>${labelled ? `<td>${escapeHtml(extras.labels![i]!)}</td>` : ''}${cells.join('')}</tr>`;
  });
  const note = extras.intervals ? '<p class="how">Means over the replications, rounded; ± is the half-width of the 95 % confidence interval (Student t), shown when it is not 0.</p>' : '';
  return `<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table></div>${note}`;
}

function chartSection(chart: Chart, svg: string): string {
  const key = chart.key && chart.key.length > 0
    ? `<p class="key">${chart.key.map((k) => `<b>${escapeHtml(k.label)}</b> ${escapeHtml(k.name)}`).join(' · ')}</p>`
    : '';
  return `<section class="chart" id="${chart.id}"><h2>${escapeHtml(chart.title)}</h2>\n<p class="how">How to read this: ${escapeHtml(chart.howToRead)}</p>\n${svg}\n${key}</section>`;
}

/** Which candidate hit which pathology, how many requests waited on it and for how long: why a p95 is 10,000 s. */
export function pathologySection(summaries: readonly CandidateSummary[]): string {
  const rows = summaries.flatMap((s) => pathologiesOf(s).map((p) =>
    `<tr><td>${escapeHtml(s.candidate)}</td><td class="left">${escapeHtml(pathologyName(p.kind))}</td><td class="left">${escapeHtml(p.issue)}</td><td>${p.requests}</td><td>${escapeHtml(formatWait(p.wait_s))}</td><td class="left">${escapeHtml(PATHOLOGY_NAMES[p.kind]?.what ?? '')}</td></tr>`));
  if (rows.length === 0) return '';
  return `<section id="pathologies"><h2>Scheduler pathologies</h2>
<p class="how">The scheduler waited on something a known Ollama pathology explains. These waits are Ollama's behaviour, reproduced, not a fault of the simulation: they are why some latencies are extreme.</p>
<table><thead><tr><th>candidate</th><th>pathology</th><th>Ollama issue</th><th>requests that waited</th><th>total wait</th><th>what happens</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table></section>`;
}
