import type { CandidateSummary } from '../metrics/index.js';
import { base, type Chart } from './charts.js';

/** True when the candidates ran under more than one Ollama version (the upgrade comparison). */
export function comparesVersions(summaries: readonly CandidateSummary[]): boolean {
  return new Set(summaries.map((s) => s.ollama_version)).size > 1;
}

const METRICS = [
  { key: 'p95', title: 'p95 latency (s)', of: (s: CandidateSummary) => s.latency_p95_s ?? 0 },
  { key: '503s', title: '503s (queue full)', of: (s: CandidateSummary) => s.rejected_503 },
  { key: 'loads', title: 'loads', of: (s: CandidateSummary) => s.loads },
] as const;

/**
 * The same traffic under several Ollama versions: p95 latency, 503s and loads
 * per candidate, each labelled with its version and era (summary.json's
 * ollama_version, ollama_era). For a sweep the summaries are the cells' means.
 */
export function versionChart(summaries: readonly CandidateSummary[]): Chart {
  const values = summaries.flatMap((s) => METRICS.map((m) => ({
    candidate: label(s), version: s.ollama_version, era: s.ollama_era, metric: m.title, value: m.of(s),
  })));
  return {
    id: 'versions', title: 'p95, 503s and loads per Ollama version',
    howToRead: 'Each row is one candidate, labelled with the Ollama version whose scheduler rules ran and its era. Before v0.11.5 (E1) there is no fast path: every request queues, so a busy queue turns into 503s sooner and a loaded model\'s requests wait behind evictions; E1 loads also let a loaded model\'s requests pass. Before v0.30.0 a 2nd model must fit fully instead of 80 %, so fewer evictions and loads where models nearly fit. Compare the bars of one metric across versions to see what an upgrade changes for this traffic.',
    spec: base('p95, 503s and loads per Ollama version', {
      data: { values },
      facet: { column: { field: 'metric', type: 'nominal', title: null, sort: METRICS.map((m) => m.title) } },
      spec: {
        width: 200,
        mark: 'bar',
        encoding: {
          y: { field: 'candidate', type: 'nominal', title: null, sort: null, axis: { labelLimit: 420 } },
          x: { field: 'value', type: 'quantitative', title: null, axis: { format: '~r' } },
          color: { field: 'era', type: 'nominal', title: 'era', sort: ['E1', 'E2', 'E3'] },
          tooltip: [{ field: 'candidate' }, { field: 'metric' }, { field: 'value', format: '.2f' }],
        },
      },
      resolve: { scale: { x: 'independent' } },
    }),
  };
}

/** The candidate with its version and era, unless its name already says the version (a sweep cell). */
function label(s: CandidateSummary): string {
  return s.candidate.includes(s.ollama_version) ? `${s.candidate} (${s.ollama_era})` : `${s.candidate} (${s.ollama_version}, ${s.ollama_era})`;
}
